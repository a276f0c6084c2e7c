"""Feedback and testimonials in the Wagtail admin (Moderation menu). The
dashboard's panel is in ``dashboard.py``."""

import django_filters
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import snippets as snippet_views

from ..admin_doors import (
    CheckedSnippetViewSet,
    PolicyCheckedBulkActionMixin,
    PolicyCheckedChooserViewSet,
    ReadOnlyViewSet,
)
from ..admin_ui import (
    AdminDatesInspectMixin,
    MaskedEmailColumn,
    PrivateAddress,
    PrivateAddressIndexMixin,
    PrivateAddressInspectMixin,
    post_button,
)
from ..permissions import ADD_TESTIMONIAL, VIEW_CUSTOMER_EMAIL
from . import actions
from .consent import ConsentRequest
from .models import CONSENT_REQUIRED_MESSAGE, Feedback, Testimonial

FEEDBACK_EMAIL = PrivateAddress(
    "email",
    permission=VIEW_CUSTOMER_EMAIL,
    log_action="moderation.feedback.reveal_email",
    url_namespace="moderation_feedback",
)
CUSTOMER_EMAIL = PrivateAddress(
    "customer_email",
    permission=VIEW_CUSTOMER_EMAIL,
    log_action="moderation.testimonial.reveal_email",
    url_namespace="wagtailsnippets_moderation_testimonial",
)


class FeedbackFilterSet(WagtailFilterSet):
    rating = django_filters.ChoiceFilter(choices=[(n, str(n)) for n in range(1, 6)])
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Received"), widget=DateRangePickerWidget
    )
    has_testimonial = django_filters.BooleanFilter(
        label=gettext_lazy("Has a testimonial"),
        field_name="testimonials",
        lookup_expr="isnull",
        exclude=True,
        distinct=True,
    )

    class Meta:
        model = Feedback
        fields = ["rating", "created_at"]


class FeedbackIndexView(PrivateAddressIndexMixin, generic.IndexView):
    private_address = FEEDBACK_EMAIL
    public_search_fields = ["body", "name"]


class FeedbackInspectView(
    AdminDatesInspectMixin, PrivateAddressInspectMixin, generic.InspectView
):
    private_address = FEEDBACK_EMAIL

    @property
    def header_buttons(self):
        if not self.request.user.has_perm(ADD_TESTIMONIAL):
            return []
        url = reverse("moderation_feedback:draft_testimonial", args=[self.object.pk])
        return [post_button(_("Draft a testimonial from this"), url, "openquote")]


@require_POST
def draft_testimonial_view(request, pk):
    feedback = get_object_or_404(Feedback, pk=pk)
    testimonial = actions.draft_from_feedback(feedback, request.user)
    messages.success(
        request,
        _(
            "Draft testimonial created. Trim the quote, then submit it to “Testimonial permission”."
        ),
    )
    return redirect("wagtailsnippets_moderation_testimonial:edit", testimonial.pk)


class FeedbackViewSet(ReadOnlyViewSet):
    model = Feedback
    name = "moderation_feedback"
    url_prefix = "moderation/feedback"
    icon = "mail"
    menu_label = gettext_lazy("Feedback")
    menu_order = 200
    index_view_class = FeedbackIndexView
    inspect_view_class = FeedbackInspectView
    inspect_view_fields = [
        "name",
        "email",
        "body",
        "rating",
        "order_reference",
        "page",
        "created_at",
    ]
    filterset_class = FeedbackFilterSet
    search_backend_name = None
    list_display = [
        "excerpt",
        "name",
        MaskedEmailColumn("email", label=gettext_lazy("Email")),
        "rating",
        DateColumn("created_at", label=gettext_lazy("Received")),
    ]
    ordering = ["-created_at"]

    def get_extra_urlpatterns(self):
        return [
            path("draft/<int:pk>/", draft_testimonial_view, name="draft_testimonial"),
            FEEDBACK_EMAIL.url_pattern(Feedback),
        ]


class TestimonialFilterSet(WagtailFilterSet):
    permission = django_filters.ChoiceFilter(
        label=gettext_lazy("Permission"),
        choices=[
            ("none", gettext_lazy("Not requested")),
            *ConsentRequest.Status.choices,
        ],
        method="filter_permission",
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Drafted"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Testimonial
        fields = ["live", "created_at"]

    def filter_permission(self, queryset, name, value):
        if "permission" not in queryset.query.annotations:
            queryset = latest_request_fields(queryset)
        if value == "none":
            return queryset.filter(permission__isnull=True)
        return queryset.filter(permission=value)


def latest_request_fields(queryset):
    """Annotate the latest permission request's status and dates: one query for
    the whole listing page instead of three per row."""
    latest = ConsentRequest.objects.filter(testimonial=OuterRef("pk")).order_by(
        "-created_at"
    )
    return queryset.annotate(
        permission=Subquery(latest.values("status")[:1]),
        asked_at=Subquery(latest.values("created_at")[:1]),
        answered_at=Subquery(latest.values("answered_at")[:1]),
    )


def permission_status(testimonial):
    if not testimonial.permission:
        return _("Not requested")
    return ConsentRequest.Status(testimonial.permission).label


class TestimonialIndexView(PrivateAddressIndexMixin, snippet_views.IndexView):
    private_address = CUSTOMER_EMAIL
    public_search_fields = ["quote", "customer_name"]

    def get_base_queryset(self):
        return latest_request_fields(super().get_base_queryset())


class TestimonialInspectView(
    AdminDatesInspectMixin, PrivateAddressInspectMixin, snippet_views.InspectView
):
    template_name = "moderation/testimonials/admin/inspect.html"
    private_address = CUSTOMER_EMAIL

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["requests"] = self.object.consent_requests.prefetch_related("records")
        context["records"] = self.object.consent_records.all()
        return context


class PermissionEmailSentMessage:
    """Submitting a testimonial to its workflow emails the customer: say so,
    instead of Wagtail's "submitted for moderation" (no moderator is involved)."""

    def get_success_message(self, instance=None):
        if self.action in ("submit", "restart-workflow"):
            return _("Permission email sent to the customer for “%(object)s”.") % {
                "object": instance or self.object
            }
        return super().get_success_message(instance)


class TestimonialCreateView(PermissionEmailSentMessage, snippet_views.CreateView):
    pass


class TestimonialEditView(PermissionEmailSentMessage, snippet_views.EditView):
    pass


class TestimonialChooserViewSet(PolicyCheckedChooserViewSet):
    """The testimonial block's chooser (articles, the blog index): for users with
    a testimonial permission, like the listing, and offering only testimonials
    that can appear on the site now, live with their customer's standing yes. A
    block holding any other would render nothing, and a draft's quote is not an
    article writer's business."""

    def get_object_list(self):
        return Testimonial.objects.filter(
            pk__in=[testimonial.pk for testimonial in Testimonial.objects.shown()]
        )


def kept_as_evidence(testimonial):
    """A testimonial its customer answered about holds the evidence of that
    answer (consent records cannot be deleted): it can be unpublished, or emptied
    by an erasure, but not deleted."""
    return testimonial.consent_records.exists()


EVIDENCE_MESSAGE = gettext_lazy(
    "This testimonial holds the record of its customer's answer, which is kept: "
    "it cannot be deleted. Unpublish it instead."
)


class TestimonialDeleteView(snippet_views.DeleteView):
    """Wagtail's delete, which would fail on the kept evidence: says why instead."""

    def get(self, request, *args, **kwargs):
        if kept_as_evidence(self.object):
            return self.refuse()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if kept_as_evidence(self.object):
            return self.refuse()
        return super().post(request, *args, **kwargs)

    def refuse(self):
        messages.error(self.request, EVIDENCE_MESSAGE)
        return redirect(
            "wagtailsnippets_moderation_testimonial:inspect", self.object.pk
        )


class TestimonialDeleteBulkAction(PolicyCheckedBulkActionMixin, DeleteBulkAction):
    """Wagtail's bulk delete, leaving out the testimonials kept as evidence
    (listed apart, with the reason)."""

    models = [Testimonial]
    permission_policy_action = "delete"
    template_name = "moderation/testimonials/admin/bulk_delete.html"

    def check_perm(self, testimonial):
        return super().check_perm(testimonial) and not kept_as_evidence(testimonial)


class TestimonialViewSet(CheckedSnippetViewSet):
    model = Testimonial
    icon = "openquote"
    menu_label = gettext_lazy("Testimonials")
    menu_order = 300
    url_prefix = "moderation/testimonials"
    base_url_path = "moderation/testimonials"
    index_view_class = TestimonialIndexView
    inspect_view_class = TestimonialInspectView
    add_view_class = TestimonialCreateView
    edit_view_class = TestimonialEditView
    delete_view_class = TestimonialDeleteView
    chooser_viewset_class = TestimonialChooserViewSet
    inspect_view_enabled = True
    inspect_view_fields = [
        "quote",
        "customer_name",
        "attribution_style",
        "customer_email",
        "product",
        "feedback",
    ]
    search_backend_name = None
    list_display = [
        "__str__",
        Column(
            "permission", label=gettext_lazy("Permission"), accessor=permission_status
        ),
        DateColumn("asked_at", label=gettext_lazy("Asked")),
        DateColumn("answered_at", label=gettext_lazy("Answered")),
        DateColumn("created_at", label=gettext_lazy("Drafted")),
    ]
    filterset_class = TestimonialFilterSet

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [CUSTOMER_EMAIL.url_pattern(Testimonial)]


def refuse_publish_without_consent(request, obj):
    """Wagtail's "Publish" on a testimonial the customer has not agreed to.

    The model refuses it anyway (``Testimonial.publish``); answering here says
    what is needed and keeps the editor on the testimonial, with their draft
    saved, instead of Wagtail's "you do not have permission" on the dashboard.
    Registered as Wagtail's ``before_publish`` hook.
    """
    if isinstance(obj, Testimonial) and not obj.has_consent():
        messages.error(request, CONSENT_REQUIRED_MESSAGE)
        return redirect("wagtailsnippets_moderation_testimonial:edit", obj.pk)
    return None
