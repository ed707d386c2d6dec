"""Django's PostgreSQL backend with two savings for every request (base.py)."""
