"""Comments in the Wagtail admin: the moderation queue, one comment's page, bulk
actions and the dashboard panel. Every change calls ``actions``.

https://docs.wagtail.org/en/stable/topics/snippets/customising.html
"""

import datetime

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views import snippets as snippet_views

from ..admin_ui import (
    CheckedSnippetViewSet,
    MaskedEmailColumn,
    PolicyCheckedBulkActionMixin,
    PrivateAddress,
    PrivateAddressIndexMixin,
    PrivateAddressInspectMixin,
    post_button,
)
from . import actions
from .models import Comment

MODERATE = "moderation.moderate_comment"
VIEW_EMAIL = "moderation.view_email_comment"
Status = Comment.Status
AUTHOR_EMAIL = PrivateAddress(
    "author_email",
    permission=VIEW_EMAIL,
    log_action="moderation.comment.reveal_email",
    url_namespace="wagtailsnippets_moderation_comment",
)


class CommentPermissionPolicy(ModelPermissionPolicy):
    """Comments are written by people and changed only through moderation
    actions: nobody adds or edits one in a form. Moderators may delete."""

    def user_has_permission(self, user, action):
        if action in {"add", "change"}:
            return False
        if action in {"view", "delete"}:
            return user.has_perm(MODERATE)
        return super().user_has_permission(user, action)


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        choices=Status.choices, label=gettext_lazy("Status")
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Written"), widget=DateRangePickerWidget
    )
    has_links = django_filters.BooleanFilter(
        label=gettext_lazy("Has links"), method="filter_has_links"
    )
    signed_in = django_filters.BooleanFilter(
        label=gettext_lazy("From a signed-in user"),
        field_name="user",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = Comment
        fields = ["status", "page", "created_at"]

    def filter_has_links(self, queryset, name, value):
        if value is None:
            return queryset
        method = queryset.filter if value else queryset.exclude
        return method(body_html__contains="<a ")


def comment_flags(comment):
    flags = []
    if "<a " in comment.body_html:
        flags.append(_("links"))
    if comment.user_id:
        flags.append(_("signed in"))
    if comment.by_staff:
        flags.append(_("from the site"))
    if comment.parent_id:
        flags.append(_("reply"))
    return ", ".join(flags)


class CommentIndexView(PrivateAddressIndexMixin, snippet_views.IndexView):
    private_address = AUTHOR_EMAIL
    public_search_fields = ["body", "author_name"]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("page")


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Reply as the site"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=gettext_lazy(
            "Published at once under your name, marked as from the site."
        ),
    )


class EmailAuthorForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=150)
    message = forms.CharField(
        label=gettext_lazy("Message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=gettext_lazy(
            "Sent through the site, about this comment. You will not see their address."
        ),
    )


class CommentInspectView(PrivateAddressInspectMixin, snippet_views.InspectView):
    template_name = "moderation/comments/admin/inspect.html"
    private_address = AUTHOR_EMAIL

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comment = self.object
        context.update(
            parent=comment.parent,
            replies=comment.replies.order_by("created_at"),
            reply_form=ReplyForm() if comment.status == Status.APPROVED else None,
            email_form=EmailAuthorForm() if comment.author_email else None,
        )
        return context

    def get_by_staff_display_value(self):
        return _("Yes") if self.object.by_staff else _("No")

    def get_body_html_display_value(self):
        return self.object.html

    def get_status_display_value(self):
        return self.object.get_status_display()

    @property
    def header_buttons(self):
        return [
            post_button(
                label,
                reverse(
                    "wagtailsnippets_moderation_comment:action",
                    args=[self.object.pk, name],
                ),
                icon,
            )
            for name, label, icon, status in SINGLE_ACTIONS
            if self.object.status not in (status, Status.DELETED)
        ]


class CommentDeleteView(snippet_views.DeleteView):
    """Wagtail's delete removes the row and, through the foreign key, every reply
    with it, and logs only "wagtail.delete". A moderator's delete is
    ``actions.delete``: replies stay under a "deleted" placeholder, the page's
    counts are refreshed and ``moderation.comment.remove`` is logged."""

    def delete_action(self):
        actions.delete(self.object, self.request.user)


SINGLE_ACTIONS = [
    ("approve", gettext_lazy("Approve"), "check", Status.APPROVED),
    ("reject", gettext_lazy("Reject"), "cross", Status.REJECTED),
    ("spam", gettext_lazy("Spam"), "warning", Status.SPAM),
    ("restore", gettext_lazy("Back to queue"), "rotate", Status.PENDING),
]
ACTION_FUNCTIONS = {
    "approve": actions.approve,
    "reject": actions.reject,
    "spam": actions.mark_spam,
    "restore": actions.restore,
}
DONE_MESSAGES = {
    "approve": gettext_lazy("Comment by “%(name)s” approved."),
    "reject": gettext_lazy("Comment by “%(name)s” rejected."),
    "spam": gettext_lazy("Comment by “%(name)s” marked as spam."),
    "restore": gettext_lazy("Comment by “%(name)s” is back in the queue."),
}


def _moderated_comment(request, pk):
    if not request.user.has_perm(MODERATE):
        raise PermissionDenied
    return get_object_or_404(Comment, pk=pk)


def _back(pk):
    return redirect("wagtailsnippets_moderation_comment:inspect", pk)


@require_POST
def reply_view(request, pk):
    comment = _moderated_comment(request, pk)
    form = ReplyForm(request.POST)
    if form.is_valid() and comment.status == Status.APPROVED:
        reply = actions.reply_as_site(comment, request.user, form.cleaned_data["body"])
        messages.success(request, _("Your reply is published."))
        return _back(reply.pk)
    messages.error(
        request,
        _(
            "The reply was not sent: write some text, and reply only to a published comment."
        ),
    )
    return _back(pk)


@require_POST
def email_author_view(request, pk):
    comment = _moderated_comment(request, pk)
    form = EmailAuthorForm(request.POST)
    if form.is_valid() and comment.author_email:
        actions.email_author(
            comment,
            request.user,
            form.cleaned_data["subject"],
            form.cleaned_data["message"],
        )
        messages.success(
            request,
            _("Your message is on its way to %(name)s.")
            % {"name": comment.author_name},
        )
    else:
        messages.error(
            request, _("The message was not sent: give it a subject and some text.")
        )
    return _back(pk)


@require_POST
def comment_action_view(request, pk, action):
    if action not in ACTION_FUNCTIONS or not request.user.has_perm(MODERATE):
        raise PermissionDenied
    comment = get_object_or_404(Comment, pk=pk)
    ACTION_FUNCTIONS[action](comment, request.user)
    messages.success(request, DONE_MESSAGES[action] % {"name": comment.author_name})
    return redirect("wagtailsnippets_moderation_comment:inspect", pk)


class CommentViewSet(CheckedSnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = gettext_lazy("Comments")
    menu_order = 100
    url_prefix = "moderation/comments"
    base_url_path = "moderation/comments"
    index_view_class = CommentIndexView
    inspect_view_class = CommentInspectView
    delete_view_class = CommentDeleteView
    inspect_view_enabled = True
    inspect_view_fields = [
        "author_name",
        "author_email",
        "page",
        "status",
        "body_html",
        "created_at",
        "by_staff",
        "ip_network",
    ]
    filterset_class = CommentFilterSet
    search_backend_name = None
    ordering = ["-created_at"]
    list_per_page = 50
    list_export = [
        "author_name",
        "author_email",
        "page",
        "status",
        "created_at",
        "body",
    ]
    copy_view_enabled = False
    list_display = [
        "excerpt",
        "author_name",
        MaskedEmailColumn("author_email", label=gettext_lazy("Email")),
        Column("page", label=gettext_lazy("Page"), accessor=lambda c: c.page.title),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column(
            "flags", label=gettext_lazy("Flags"), accessor=lambda c: comment_flags(c)
        ),
        DateColumn("created_at", label=gettext_lazy("Written")),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("action/<int:pk>/<str:action>/", comment_action_view, name="action"),
            path("reply/<int:pk>/", reply_view, name="reply"),
            path("email/<int:pk>/", email_author_view, name="email_author"),
            AUTHOR_EMAIL.url_pattern(Comment),
        ]


# Bulk actions --------------------------------------------------------------------


class CommentBulkAction(PolicyCheckedBulkActionMixin, SnippetBulkAction):
    models = [Comment]
    permission_policy_action = "moderate"  # moderation.moderate_comment
    template_name = "moderation/comments/bulk_confirm.html"
    action = None  # a function of ``actions``
    done_message = ""

    def check_perm(self, obj):
        return self.request.user.has_perm(MODERATE)

    @classmethod
    def execute_action(cls, objects, **kwargs):
        user = kwargs["self"].request.user  # Wagtail passes the view, not the user
        for comment in objects:
            cls.action(comment, user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.done_message % {"count": num_parent_objects}


class ApproveBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Approve")
    aria_label = gettext_lazy("Approve selected comments")
    action_type = "approve"
    done_message = ngettext_lazy(
        "%(count)s comment approved.", "%(count)s comments approved.", "count"
    )

    @classmethod
    def execute_action(cls, objects, **kwargs):
        # One pass for all of them: approving 1,000 costs a fixed number of queries.
        actions.approve_many(objects, kwargs["self"].request.user)
        return len(objects), 0


class RejectBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Reject")
    aria_label = gettext_lazy("Reject selected comments")
    action_type = "reject"
    action = staticmethod(actions.reject)
    done_message = ngettext_lazy(
        "%(count)s comment rejected.", "%(count)s comments rejected.", "count"
    )


class SpamBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Spam")
    aria_label = gettext_lazy("Mark selected comments as spam")
    action_type = "spam"
    action = staticmethod(actions.mark_spam)
    done_message = ngettext_lazy(
        "%(count)s comment marked as spam.",
        "%(count)s comments marked as spam.",
        "count",
    )


class RestoreBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Restore")
    aria_label = gettext_lazy("Put selected comments back in the queue")
    action_type = "restore"
    action = staticmethod(actions.restore)
    done_message = ngettext_lazy(
        "%(count)s comment back in the queue.",
        "%(count)s comments back in the queue.",
        "count",
    )


class DeleteBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Delete")
    aria_label = gettext_lazy("Delete selected comments")
    action_type = "delete"
    action = staticmethod(actions.delete)
    done_message = ngettext_lazy(
        "%(count)s comment deleted.", "%(count)s comments deleted.", "count"
    )
    classes = {"serious"}


BULK_ACTIONS = [
    ApproveBulkAction,
    RejectBulkAction,
    SpamBulkAction,
    RestoreBulkAction,
    DeleteBulkAction,
]


# Dashboard -----------------------------------------------------------------------


class PendingCommentsPanel(Component):
    """What waits, and 30 days of moderation at a glance (a table with bars: no JS)."""

    name = "pending_comments"
    order = 50
    template_name = "moderation/comments/admin/dashboard_panel.html"
    days = 30

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        if not self.request.user.has_perm(MODERATE):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        waiting = Comment.objects.pending().aggregate(
            count=Count("pk"), oldest=Min("created_at")
        )
        today = timezone.localdate()
        first = today - datetime.timedelta(days=self.days - 1)
        counts = (
            Comment.objects.filter(
                created_at__date__gte=first,
                status__in=[Status.APPROVED, Status.REJECTED, Status.SPAM],
            )
            .annotate(day=TruncDate("created_at"))
            .values("day", "status")
            .annotate(n=Count("pk"))
        )
        per_day = {first + datetime.timedelta(days=n): {} for n in range(self.days)}
        for row in counts:
            per_day.setdefault(row["day"], {})[row["status"]] = row["n"]
        peak = max([sum(day.values()) for day in per_day.values()] + [1])
        return {
            "waiting": waiting,
            "queue_url": reverse("wagtailsnippets_moderation_comment:list")
            + "?status=pending",
            "peak": peak,
            "days": [
                {
                    "date": day,
                    "approved": values.get(Status.APPROVED, 0),
                    "rejected": values.get(Status.REJECTED, 0),
                    "spam": values.get(Status.SPAM, 0),
                    "percent": {
                        key: round(100 * values.get(status, 0) / peak)
                        for key, status in (
                            ("approved", Status.APPROVED),
                            ("rejected", Status.REJECTED),
                            ("spam", Status.SPAM),
                        )
                    },
                }
                for day, values in sorted(per_day.items())
            ],
        }


class PendingCommentsSummaryItem(SummaryItem):
    order = 300

    def is_shown(self):
        return self.request.user.has_perm(MODERATE)

    def render_html(self, parent_context=None):
        count = Comment.objects.pending().count()
        url = reverse("wagtailsnippets_moderation_comment:list") + "?status=pending"
        return format_html(
            '<li><svg class="icon icon-comment icon" aria-hidden="true"><use href="#icon-comment"></use></svg>'
            '<a href="{}">{}</a></li>',
            url,
            ngettext("%(count)s pending comment", "%(count)s pending comments", count)
            % {"count": count},
        )
