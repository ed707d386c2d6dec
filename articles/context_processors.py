from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from .models import Section

# The section navigation, kept in the cache until a section changes
# (articles/signals.py deletes it on commit), so a warm page spends no query on it.
SECTION_NAV_CACHE_KEY = "articles:section-nav:v1"


def section_nav():
    """[{"name", "slug", "url"}] for every section, in navigation order."""
    nav = cache.get(SECTION_NAV_CACHE_KEY)
    if nav is None:
        nav = [
            {"name": section.name, "slug": section.slug, "url": section.get_absolute_url()}
            for section in Section.objects.only("name", "slug")
        ]
        cache.set(SECTION_NAV_CACHE_KEY, nav, None)
    return nav


def forget_section_nav():
    cache.delete(SECTION_NAV_CACHE_KEY)


def site(request):
    """The publication's name and address, and its sections, for every template.

    The navigation is lazy: a page that does not show it (the admin) does not
    even look in the cache.
    """
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        "nav_sections": SimpleLazyObject(section_nav),
    }
