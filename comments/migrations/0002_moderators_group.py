# The Moderators group (issue 3 §3): view, change and delete responses, and
# nothing else (least privilege: no stories, no users, no adding responses).
# Members also need "staff status" to log in to the admin.
#
# Permission codenames are written out, not derived from the model, so that
# this migration means the same thing whatever the model looks like later.

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderators"
CODENAMES = ["view_comment", "change_comment", "delete_comment"]


def create_group(apps, schema_editor):
    # On a fresh database permissions are created by the post_migrate signal,
    # i.e. after this migration has run: create this app's now.
    comments_config = apps.get_app_config("comments")
    comments_config.models_module = True
    create_permissions(comments_config, apps=apps, verbosity=0)
    comments_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label="comments", codename__in=CODENAMES
    )
    missing = set(CODENAMES) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Permissions missing for group {GROUP}: {sorted(missing)}")
    group.permissions.set(permissions)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
