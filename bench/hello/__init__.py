"""The floor of the HTTP bench: a plain Django "hello world" (issue 5).

`django-admin startproject`'s settings (its apps and middleware), DEBUG off,
one view that answers "Hello, world!": what any Django site pays per request
before it does anything of its own. The bench serves it with the same
gunicorn.conf.py and worker count as Newsroom, and reports every page's
throughput as a share of this one's.
"""
