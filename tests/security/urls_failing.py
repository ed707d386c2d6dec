"""A URLconf with one view that fails, to see the real 500 path (handler500
through every middleware) in tests/security/test_headers.py."""

from django.urls import path

from newsroom.urls import handler500, urlpatterns  # noqa: F401  (handler500 is used by Django)


def failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("failing/", failing_view), *urlpatterns]
