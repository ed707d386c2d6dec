"""newsroom/settings.py: signed-in staff's sessions come from the cache."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_reads_the_session_without_a_query(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.get("/admin/")

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200

    assert not [query for query in queries if "django_session" in query["sql"]]


def test_a_session_the_cache_lost_still_signs_its_reader_in(client):
    from django.core.cache import cache

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    cache.clear()  # evicted, or Redis restarted

    assert client.get("/admin/").status_code == 200
    assert Session.objects.exists()
