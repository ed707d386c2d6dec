from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core.health import HEALTH_PATH, READY_PATH, healthz, readyz

urlpatterns = [
    path(HEALTH_PATH.lstrip("/"), healthz, name="healthz"),
    path(READY_PATH.lstrip("/"), readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("comments/", include("comments.urls")),
    # Last: the articles app owns the top-level section paths (/<section>/...).
    path("", include("articles.urls")),
]

# Django's own 500 view, allowed its self-contained page's inline style (CSP).
handler500 = "core.security.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
