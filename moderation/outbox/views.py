"""The outbox in the Wagtail admin: read-only, with "Retry" for failed emails.

https://docs.wagtail.org/en/stable/extending/generic_views.html
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets import Button, HeaderButton

from ..admin_doors import ReadOnlyViewSet
from ..admin_ui import (
    AdminDate,
    AdminDatesInspectMixin,
    MaskedEmailColumn,
    PrivateAddress,
    PrivateAddressInspectMixin,
    post_button,
)
from ..permissions import RETRY_EMAIL, VIEW_RECIPIENTS
from .actions import retry_email
from .models import OutboxEmail

RECIPIENTS = PrivateAddress(
    "recipients",
    permission=VIEW_RECIPIENTS,
    log_action="moderation.outbox.reveal_recipients",
    url_namespace="moderation_outbox",
)


class OutboxIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can_retry(instance, self.request.user):
            buttons.append(_retry_button(instance))
        return buttons


class OutboxInspectView(
    AdminDatesInspectMixin, PrivateAddressInspectMixin, generic.InspectView
):
    private_address = RECIPIENTS

    def get_status_display_value(self):
        return self.object.get_status_display()

    def get_sent_at_display_value(self):
        if self.object.sent_at:
            return AdminDate(self.object.sent_at)
        return _("Not yet")

    @property
    def header_buttons(self):
        if can_retry(self.object, self.request.user):
            return [_retry_button(self.object, HeaderButton)]
        return []


def can_retry(email, user):
    return email.status == OutboxEmail.Status.FAILED and user.has_perm(RETRY_EMAIL)


def _retry_button(email, button_class=Button):
    url = reverse("moderation_outbox:retry", args=[email.pk])
    return post_button(_("Retry"), url, "rotate", button_class)


@require_POST
def retry_view(request, pk):
    email = get_object_or_404(OutboxEmail, pk=pk)
    if not request.user.has_perm(RETRY_EMAIL):
        raise PermissionDenied
    if retry_email(email, request.user):
        messages.success(request, _("The email is queued to be sent again."))
    else:
        messages.warning(
            request,
            _("Only a failed email can be retried; this one is “%(status)s”.")
            % {"status": email.get_status_display()},
        )
    return redirect("moderation_outbox:inspect", pk)


class OutboxViewSet(ReadOnlyViewSet):
    model = OutboxEmail
    name = "moderation_outbox"
    url_prefix = "moderation/outbox"
    icon = "mail"
    menu_label = gettext_lazy("Outbox")
    menu_order = 900
    index_view_class = OutboxIndexView
    inspect_view_class = OutboxInspectView
    inspect_view_fields = [
        "subject",
        "recipients",
        "status",
        "attempts",
        "last_error",
        "message_id",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    list_display = [
        "subject",
        MaskedEmailColumn("recipients", label=gettext_lazy("To")),
        "status",
        "attempts",
        "last_error",
        DateColumn("created_at", label=gettext_lazy("Queued")),
        DateColumn("sent_at", label=gettext_lazy("Sent")),
    ]
    list_filter = ["status"]
    search_fields = ["subject"]
    search_backend_name = None
    ordering = ["-created_at"]

    def get_extra_urlpatterns(self):
        return [
            path("retry/<int:pk>/", retry_view, name="retry"),
            RECIPIENTS.url_pattern(OutboxEmail),
        ]
