"""The "Testimonial permission" workflow: one step, "Customer permission", that
only the customer can complete. ``install`` is run by migration 0006; ``apps`` is
the migration's app registry (or ``django.apps.apps``)."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState

from ..permissions import CHANGE_TESTIMONIAL
from .actions import request_permission


class CustomerPermissionTask(Task):
    """A workflow step only the customer can complete, from the permission email.
    Starting it sends the email; no editor can approve it."""

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        request_permission(workflow_state.content_object, task_state, user)
        return task_state

    def locked_for_user(self, obj, user):
        return True  # the text must not change while the customer reads it

    def user_can_access_editor(self, obj, user):
        return user.has_perm(CHANGE_TESTIMONIAL)

    def get_actions(self, obj, user):
        if user.has_perm(CHANGE_TESTIMONIAL):
            return [("reject", _("Cancel the request"), False)]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _(
            "Waits for the customer's permission, given from the link in our email"
        )

    class Meta:
        verbose_name = _("customer permission task")
        verbose_name_plural = _("customer permission tasks")


def install(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    CustomerPermissionTask = apps.get_model("moderation", "CustomerPermissionTask")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="moderation", model="customerpermissiontask"
    )
    testimonial_type, _ = ContentType.objects.get_or_create(
        app_label="moderation", model="testimonial"
    )
    task = CustomerPermissionTask.objects.create(
        name="Customer permission", content_type=task_type, active=True
    )
    workflow = Workflow.objects.create(name="Testimonial permission", active=True)
    # WorkflowTask.objects, not workflow.workflow_tasks: WorkflowTask.workflow is
    # a ParentalKey, whose manager's create() only keeps the row in memory.
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.update_or_create(
        content_type=testimonial_type, defaults={"workflow": workflow}
    )
    return workflow
