# Editors manage the redirects (issue 16): old addresses that lead to new
# ones, or answer "410 Gone". Writers do not: a redirect changes what every
# reader's old link shows. Editors see every preview link in one list (made
# and revoked from a story's page, where writers manage their own stories'
# links). Written out, as in 0003_editor_groups.

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [f"{action}_redirect" for action in ("add", "change", "delete", "view")] + [
    "view_sharelink"
]


def grant(apps, schema_editor):
    articles_config = apps.get_app_config("articles")
    articles_config.models_module = True
    create_permissions(articles_config, apps=apps, verbosity=0)
    articles_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_redirects_and_preview_links")]

    operations = [migrations.RunPython(grant, revoke)]
