"""The "Testimonial permission" workflow, with its one step that only the
customer can complete, assigned to testimonials."""

from django.db import migrations

from moderation.testimonials import workflow


def install_workflow(apps, schema_editor):
    workflow.install(apps)


def remove_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(
        name="Testimonial permission"
    ).delete()
    apps.get_model("moderation", "CustomerPermissionTask").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0005_testimonials"),
        ("wagtailcore", "0083_workflowcontenttype"),
    ]

    operations = [migrations.RunPython(install_workflow, remove_workflow)]
