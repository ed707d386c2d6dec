from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Plumbing every app stands on, importing none of them: database helpers
    and the PostgreSQL backend, the database-outage page, the fail-soft cache,
    /healthz, the security headers and the client-IP rule."""

    name = "core"
    verbose_name = "Core"
