"""What waits for the customers, and what they answered no to (or let expire),
on the Wagtail dashboard of those who edit testimonials (registered in
``wagtail_hooks.py``)."""

from django.db.models import F
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import UserObjectsInWorkflowModerationPanel

from ..permissions import CHANGE_TESTIMONIAL
from .consent import ConsentRequest

Status = ConsentRequest.Status


def unanswered_by_customer():
    """Requests whose "no" or expiry stopped the workflow, still waiting for an
    editor to change and resubmit the testimonial, or cancel."""
    return ConsentRequest.objects.filter(
        status__in=[Status.DECLINED, Status.EXPIRED],
        task_state__status="rejected",
        task_state__workflow_state__status="needs_changes",
        task_state__workflow_state__current_task_state=F("task_state"),
    )


class AwaitingCustomersPanel(Component):
    """Permission requests the customers have not answered yet, and those they
    said no to or let expire."""

    name = "awaiting_customers"
    order = 60
    template_name = "moderation/testimonials/admin/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        if not self.request.user.has_perm(CHANGE_TESTIMONIAL):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        awaiting = ConsentRequest.objects.filter(status=Status.AWAITING)
        return {
            "awaiting_count": awaiting.count(),
            "awaiting": awaiting.order_by("created_at")[:10],
            "stopped": unanswered_by_customer()
            .select_related("task_state")
            .order_by("-task_state__finished_at")[:10],
        }


class WorkflowPanelWithoutCustomerAnswers(UserObjectsInWorkflowModerationPanel):
    """Wagtail's "Your pages and snippets in a workflow", without the
    testimonials a customer said no to or let expire: Wagtail would call either
    "Changes requested at Customer permission". Our panel above says which."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        stopped = set(unanswered_by_customer().values_list("task_state_id", flat=True))
        context["workflow_states"] = [
            state
            for state in context["workflow_states"]
            if state.current_task_state_id not in stopped
        ]
        return context


def replace_wagtails_workflow_panel(request, panels):
    """``construct_homepage_panels``: ours instead of Wagtail's."""
    panels[:] = [
        WorkflowPanelWithoutCustomerAnswers()
        if isinstance(panel, UserObjectsInWorkflowModerationPanel)
        else panel
        for panel in panels
    ]
