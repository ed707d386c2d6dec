"""`manage.py export_commenter_data` and `erase_commenter_data` (comments/management/commands)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

ADA = "ada@example.org"


@pytest.fixture
def adas_response():
    return CommentFactory(author_email=ADA, author_name="Ada Reader", body="First thoughts.")


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_export_prints_json_to_standard_output(adas_response):
    data = json.loads(run("export_commenter_data", ADA))

    assert data["commenters"][0]["comments"][0]["comment"] == "First thoughts."


def test_export_writes_a_file_when_asked(adas_response, tmp_path):
    target = tmp_path / "ada.json"

    run("export_commenter_data", ADA, "--output", str(target))

    assert json.loads(target.read_text())["commenters"][0]["email"] == ADA


def test_export_needs_an_address():
    with pytest.raises(CommandError):
        call_command("export_commenter_data")


def test_erase_anonymises_and_says_so(adas_response):
    output = run("erase_commenter_data", ADA)

    assert "Anonymised 1 response" in output
    assert Comment.objects.get(pk=adas_response.pk).author_name == "Anonymous"


def test_erase_with_delete_deletes(adas_response):
    output = run("erase_commenter_data", ADA, "--delete")

    assert "Deleted 1 response" in output
    assert not Comment.objects.filter(pk=adas_response.pk).exists()


def test_a_dry_run_changes_nothing(adas_response):
    output = run("erase_commenter_data", ADA, "--dry-run")

    assert "1 response(s) would be anonymised" in output
    assert Comment.objects.get(pk=adas_response.pk).author_email == ADA


def test_export_finds_a_non_ascii_address_by_its_idna_form():
    CommentFactory(author_email="Jane@MÜNCHEN.de", body="Servus.")

    data = json.loads(run("export_commenter_data", "jane@xn--mnchen-3ya.de"))

    assert data["commenters"][0]["comments"][0]["comment"] == "Servus."


def test_erase_finds_a_non_ascii_address_in_another_case():
    jane = CommentFactory(author_email="Jane@MÜNCHEN.de")

    output = run("erase_commenter_data", "jane@münchen.de")

    assert "Anonymised 1 response" in output
    assert Comment.objects.get(pk=jane.pk).author_email == ""
