# The newsroom's two roles, least privilege (issue 2 §4):
#   Editors: everything on stories and what hangs off them, and they publish.
#   Writers: write and edit drafts and submit them for review; they cannot
#            publish, schedule, unpublish or delete.
# What a writer may do with a story that is already published is decided in
# articles/admin.py (ArticleAdmin.has_change_permission): no change.
#
# The permission lists are written out here, not imported, so that this
# migration means the same thing whatever the models look like later.

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITABLE_MODELS = ["article", "section", "author", "tag", "source", "pullquote", "byline"]

GROUP_PERMISSIONS = {
    "Editors": [
        f"{action}_{model}"
        for model in EDITABLE_MODELS
        for action in ("add", "change", "delete", "view")
    ]
    + ["publish_article"],
    "Writers": [
        f"{action}_{model}"
        for model in ("article", "source", "pullquote", "byline")
        for action in ("add", "change", "view")
    ]
    + ["view_section", "view_author", "view_tag"],
}


def create_groups(apps, schema_editor):
    # On a fresh database permissions are created by the post_migrate signal,
    # i.e. after this migration has run: create this app's now.
    articles_config = apps.get_app_config("articles")
    articles_config.models_module = True
    create_permissions(articles_config, apps=apps, verbosity=0)
    articles_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
