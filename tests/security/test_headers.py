"""Response headers (issue 7 §1): Content-Security-Policy (django-csp, with the
admin's own policy in core/security.py), Permissions-Policy, and the
headers Django's SecurityMiddleware and XFrameOptionsMiddleware send."""

import html5lib
import pytest
from django.urls import reverse

from tests.factories import ArticleFactory
from tests.security.conftest import csp_directives

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/news/", "/search/?q=council", "/feed/", "/robots.txt"]


@pytest.fixture
def story():
    return ArticleFactory(section__slug="news", section__name="News")


def all_sources(response):
    return {source for sources in csp_directives(response).values() for source in sources}


# --- The public site -------------------------------------------------------------


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_run_only_the_sites_own_script_files(client, story, path):
    response = client.get(path)

    assert csp_directives(response)["script-src"] == ["'self'"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_allow_nothing_inline_nor_eval(client, story, path):
    sources = all_sources(client.get(path))

    assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"} & sources
    assert not any(source.startswith(("'nonce-", "'sha")) for source in sources)


def test_the_article_page_is_covered_too(client, story):
    assert csp_directives(client.get(story.get_absolute_url()))["script-src"] == ["'self'"]


def test_plugins_base_tags_and_framing_are_refused(client, story):
    directives = csp_directives(client.get("/"))

    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]


def test_every_script_on_the_article_page_is_a_file_or_inert_data(client, story):
    # So the policy breaks nothing: no inline script is there to be blocked.
    document = html5lib.parse(
        client.get(story.get_absolute_url()).content, namespaceHTMLElements=False
    )

    for script in document.iter("script"):
        assert script.get("src") or script.get("type") == "application/ld+json"


def test_the_404_page_is_covered_too(client):
    assert csp_directives(client.get("/no/such/page/"))["script-src"] == ["'self'"]


# --- The admin ---------------------------------------------------------------------


def test_the_story_editors_import_map_carries_the_policys_nonce(staff_client):
    response = staff_client.get(reverse("admin:articles_article_add"))

    nonces = [s for s in csp_directives(response)["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    document = html5lib.parse(response.content, namespaceHTMLElements=False)
    import_maps = [s for s in document.iter("script") if s.get("type") == "importmap"]
    assert [script.get("nonce") for script in import_maps] == [nonce]


def test_admin_pages_without_the_editor_get_no_nonce(staff_client):
    response = staff_client.get(reverse("admin:index"))

    assert csp_directives(response)["script-src"] == ["'self'"]


def test_the_admin_allows_no_inline_script(staff_client):
    sources = csp_directives(staff_client.get(reverse("admin:articles_article_add")))["script-src"]

    assert "'unsafe-inline'" not in sources


def test_the_admin_allows_inline_only_the_editors_own_stylesheet(staff_client):
    response = staff_client.get(reverse("admin:articles_article_add"))

    style_src = csp_directives(response)["style-src"]
    assert style_src[0] == "'self'"
    assert [source[:8] for source in style_src[1:]] == ["'sha256-"]


def test_the_admin_login_page_gets_the_admin_policy(client):
    response = client.get(reverse("admin:login"))

    assert csp_directives(response)["frame-ancestors"] == ["'none'"]


# --- The 500 page -----------------------------------------------------------------


@pytest.fixture
def failing_client(client, settings):
    settings.ROOT_URLCONF = "tests.security.urls_failing"
    client.raise_request_exception = False
    return client


def test_the_500_page_may_style_itself_inline(failing_client):
    response = failing_client.get("/failing/")

    assert response.status_code == 500
    assert "'unsafe-inline'" in csp_directives(response)["style-src"]


def test_the_500_page_runs_no_inline_script(failing_client):
    response = failing_client.get("/failing/")

    assert csp_directives(response)["script-src"] == ["'self'"]


# --- The other headers ---------------------------------------------------------------


@pytest.mark.parametrize("feature", ["camera", "microphone", "geolocation", "payment", "usb"])
def test_browser_features_are_denied_to_every_page(client, feature):
    policy = client.get("/")["Permissions-Policy"]

    assert f"{feature}=()" in [part.strip() for part in policy.split(",")]


def test_content_type_sniffing_is_off(client):
    assert client.get("/")["X-Content-Type-Options"] == "nosniff"


def test_the_referrer_is_only_the_origin_across_sites(client):
    assert client.get("/")["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_may_not_be_framed(client):
    assert client.get("/")["X-Frame-Options"] == "DENY"


def test_windows_we_open_cannot_reach_back(client):
    assert client.get("/")["Cross-Origin-Opener-Policy"] == "same-origin"


def test_only_the_response_forms_frame_may_be_framed_and_only_by_the_site(client, story):
    response = client.get(reverse("comments:form", args=[story.pk]))

    assert csp_directives(response)["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert csp_directives(response)["script-src"] == ["'self'"]


def test_a_changed_policy_setting_takes_effect(client, story, settings):
    client.get("/")  # the site's policy, as this process first built it
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'none'"]}
    }

    assert "img-src 'none'" in client.get("/")["Content-Security-Policy"]
