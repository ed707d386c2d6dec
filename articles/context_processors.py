from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject

import pagecache

from .models import Section

# The section navigation, kept in the cache until a section changes
# (articles/signals.py deletes it on commit), so a warm page spends no query on
# it; fetched with a story's fragments when a page fetches those ahead
# (registered with the page cache in apps.py).
SECTION_NAV_CACHE_KEY = "articles:section-nav:v1"


def section_nav():
    """[{"name", "slug", "url"}] for every section, in navigation order."""
    nav = pagecache.cached_value(SECTION_NAV_CACHE_KEY)
    if nav is None:
        nav = [
            {"name": section.name, "slug": section.slug, "url": section.get_absolute_url()}
            for section in Section.objects.only("name", "slug")
        ]
        cache.set(SECTION_NAV_CACHE_KEY, nav, None)
    return nav


def forget_section_nav():
    cache.delete(SECTION_NAV_CACHE_KEY)


# The addresses every page's shell links to, resolved once per process rather than
# by a {% url %} or {% static %} per link per render (about a tenth of a signed-in
# reader's page). Keyed by what they depend on that can differ between requests
# (the script prefix, a request's own URLconf); any changed setting forgets them.
_shell_links = {}


def shell_links():
    """{"home", "search", "feed", "atom_feed", and the shell's static files}."""
    key = (get_script_prefix(), get_urlconf())
    links = _shell_links.get(key)
    if links is None:
        links = _shell_links[key] = {
            "home": reverse("articles:home"),
            "search": reverse("articles:search"),
            "feed": reverse("articles:feed"),
            "atom_feed": reverse("articles:atom_feed"),
            "corrections": reverse("articles:corrections"),
            "bootstrap_css": static("vendor/bootstrap/bootstrap.min.css"),
            "site_css": static("css/newsroom.css"),
            "mark_svg": static("img/mark.svg"),
            "comment_frame_js": static("comments/frame.js"),
        }
    return links


@receiver(setting_changed)
def forget_shell_links(**kwargs):
    # override_settings in tests (STATIC_URL, ROOT_URLCONF, the storage...).
    _shell_links.clear()


def site(request):
    """The publication's name and address, its sections and the shell's links,
    for every template.

    The navigation is lazy: a page that does not show it (the admin) does not
    even look in the cache.
    """
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        "nav_sections": SimpleLazyObject(section_nav),
        "links": shell_links(),
    }
