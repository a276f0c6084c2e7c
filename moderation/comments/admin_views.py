"""Comments in the Wagtail admin: the moderation queue and one comment's page,
with its actions, reply and message to the author. Every change calls
``actions``. The bulk actions are in ``bulk_actions.py``, the dashboard's panels
in ``dashboard.py``.

https://docs.wagtail.org/en/stable/topics/snippets/customising.html
"""

from collections.abc import Callable
from typing import NamedTuple

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.views import snippets as snippet_views

from ..admin_doors import CheckedSnippetViewSet
from ..admin_ui import (
    AdminDatesInspectMixin,
    MaskedEmailColumn,
    PrivateAddress,
    PrivateAddressIndexMixin,
    PrivateAddressInspectMixin,
    link_button,
    post_button,
)
from ..permissions import MODERATE_COMMENTS, VIEW_COMMENTER_EMAIL
from . import actions
from .models import Comment

Status = Comment.Status
AUTHOR_EMAIL = PrivateAddress(
    "author_email",
    permission=VIEW_COMMENTER_EMAIL,
    log_action="moderation.comment.reveal_email",
    url_namespace="wagtailsnippets_moderation_comment",
)


ALL = "all"


class CommentFilterSet(WagtailFilterSet):
    """The queue opens on what waits: without a status in the query string it
    filters to pending comments, shown as the active filter; "All" is a choice.
    A search with no status chosen looks through every comment: whoever types a
    name or an address wants that comment, whatever became of it."""

    status = django_filters.ChoiceFilter(
        choices=[(ALL, gettext_lazy("All")), *Status.choices],
        label=gettext_lazy("Status"),
        empty_label=None,
        widget=forms.RadioSelect,
        method="filter_status",
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

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = ALL if data.get("q") else Status.PENDING
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(status=value)

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


def keyboard_shortcuts():
    """The queue's shortcuts, for Wagtail's keyboard shortcuts dialog (comments.js
    adds them there). Keys are not translated, as Wagtail's are not."""
    return {
        "title": _("Comment moderation"),
        "shortcuts": [
            (_("Next comment"), "j"),
            (_("Previous comment"), "k"),
            (_("Open the chosen comment"), "Enter"),
            (_("Approve"), "a"),
            (_("Reject"), "r"),
            (_("Mark as spam"), "s"),
        ],
    }


class CommentIndexView(PrivateAddressIndexMixin, snippet_views.IndexView):
    private_address = AUTHOR_EMAIL
    public_search_fields = ["body", "author_name"]

    def get_context_data(self, **kwargs):
        # The bulk action bar's words (Wagtail's say "snippets"): see comments.js.
        return super().get_context_data(
            keyboard_shortcuts=keyboard_shortcuts(),
            bulk_action_strings={
                "SINGULAR": _("1 comment selected"),
                "PLURAL": ngettext(
                    "%(objects)s comment selected", "%(objects)s comments selected", 2
                ),
                "ALL": ngettext(
                    "All %(objects)s comment on this screen selected",
                    "All %(objects)s comments on this screen selected",
                    2,
                ),
                "ALL_IN_LISTING": _("All comments in listing selected"),
            },
            **kwargs,
        )

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


class CommentInspectView(
    AdminDatesInspectMixin, PrivateAddressInspectMixin, snippet_views.InspectView
):
    template_name = "moderation/comments/admin/inspect.html"
    private_address = AUTHOR_EMAIL

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comment = self.object
        context.update(
            keyboard_shortcuts=keyboard_shortcuts(),
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
        comment = self.object
        buttons = []
        for action in SINGLE_ACTIONS.values():
            if comment.status in (action.status, Status.DELETED):
                continue
            url = reverse(
                "wagtailsnippets_moderation_comment:action",
                args=[comment.pk, action.name],
            )
            if takes_off_site(comment, action.name):
                # A link to the confirmation page (a GET), not a POST.
                buttons.append(link_button(action.label, url, action.icon, action.key))
            else:
                buttons.append(
                    post_button(action.label, url, action.icon, key=action.key)
                )
        return buttons + self.queue_buttons()

    def queue_buttons(self):
        """Next and previous waiting comment, in the queue's order (newest first)."""
        created_at = self.object.created_at
        pending = Comment.objects.pending().exclude(pk=self.object.pk)
        steps = [
            (
                pending.filter(created_at__lte=created_at).order_by("-created_at"),
                _("Next waiting comment"),
                "arrow-right",
                "j",
            ),
            (
                pending.filter(created_at__gte=created_at).order_by("created_at"),
                _("Previous waiting comment"),
                "arrow-left",
                "k",
            ),
        ]
        buttons = []
        for queryset, label, icon, key in steps:
            if step := queryset.only("pk").first():
                url = reverse(
                    "wagtailsnippets_moderation_comment:inspect", args=[step.pk]
                )
                buttons.append(link_button(label, url, icon, key))
        return buttons


class CommentDeleteView(snippet_views.DeleteView):
    """Wagtail's delete removes the row and, through the foreign key, every reply
    with it, and logs only "wagtail.delete". A moderator's delete is
    ``actions.delete``: replies stay under a "deleted" placeholder, the page's
    counts are refreshed and ``moderation.comment.remove`` is logged."""

    def delete_action(self):
        actions.delete(self.object, self.request.user)

    @property
    def confirmation_message(self):
        if takes_off_site(self.object, "delete"):
            consequence = _("This comment will no longer be shown on “%(title)s”.")
            title = self.object.page.title
            return f"{super().confirmation_message} {consequence % {'title': title}}"
        return super().confirmation_message


class SingleAction(NamedTuple):
    name: str
    label: str
    icon: str
    status: str  # the status it leaves the comment in
    function: Callable
    done_message: str
    key: str = ""  # its keyboard shortcut (listed in Wagtail's shortcuts dialog)


SINGLE_ACTIONS = {
    action.name: action
    for action in [
        SingleAction(
            "approve",
            gettext_lazy("Approve"),
            "check",
            Status.APPROVED,
            actions.approve,
            gettext_lazy("Comment by “%(name)s” approved."),
            "a",
        ),
        SingleAction(
            "reject",
            gettext_lazy("Reject"),
            "cross",
            Status.REJECTED,
            actions.reject,
            gettext_lazy("Comment by “%(name)s” rejected."),
            "r",
        ),
        SingleAction(
            "spam",
            gettext_lazy("Spam"),
            "warning",
            Status.SPAM,
            actions.mark_spam,
            gettext_lazy("Comment by “%(name)s” marked as spam."),
            "s",
        ),
        SingleAction(
            "restore",
            gettext_lazy("Back to queue"),
            "rotate",
            Status.PENDING,
            actions.restore,
            gettext_lazy("Comment by “%(name)s” is back in the queue."),
        ),
    ]
}


def takes_off_site(comment, action_name):
    """Every action but approving takes a published comment off its page."""
    return comment.status == Status.APPROVED and action_name != "approve"


def _moderated_comment(request, pk):
    if not request.user.has_perm(MODERATE_COMMENTS):
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
            _("Your message to %(name)s is on its way.")
            % {"name": comment.author_name},
        )
    else:
        messages.error(
            request, _("The message was not sent: give it a subject and some text.")
        )
    return _back(pk)


class CommentActionView(WagtailAdminTemplateMixin, TemplateView):
    """One moderator action on one comment: a POST does it; a GET asks first,
    saying what will happen (Wagtail's confirmation pattern, as its unpublish
    view). The comment's page links here, instead of posting, when the action
    would take a published comment off its page."""

    template_name = "moderation/comments/admin/confirm_action.html"
    header_icon = "comment"

    def setup(self, request, pk, action):
        super().setup(request, pk=pk, action=action)
        self.comment = _moderated_comment(request, pk)  # the permission first
        if action not in SINGLE_ACTIONS:
            raise Http404
        self.action = SINGLE_ACTIONS[action]

    def get_page_title(self):
        return self.action.label

    def get_page_subtitle(self):
        return str(self.comment)

    def get_context_data(self, **kwargs):
        comment = self.comment
        if takes_off_site(comment, self.action.name):
            consequence = _("This comment will no longer be shown on “%(title)s”.") % {
                "title": comment.page.title
            }
        elif self.action.name == "approve":
            consequence = _("This comment will be shown on “%(title)s”.") % {
                "title": comment.page.title
            }
        else:
            consequence = ""
        return super().get_context_data(
            comment=comment,
            consequence=consequence,
            serious=takes_off_site(comment, self.action.name),
            button_label=_("Yes, %(action)s") % {"action": self.action.label.lower()},
            cancel_url=reverse(
                "wagtailsnippets_moderation_comment:inspect", args=[comment.pk]
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.action.function(self.comment, request.user)
        messages.success(
            request, self.action.done_message % {"name": self.comment.author_name}
        )
        return _back(self.comment.pk)


class CommentViewSet(CheckedSnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = gettext_lazy("Comments")
    menu_order = 100
    url_prefix = "moderation/comments"
    base_url_path = "moderation/comments"
    index_view_class = CommentIndexView
    index_template_name = "moderation/comments/admin/index.html"
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
            path(
                "action/<int:pk>/<str:action>/",
                CommentActionView.as_view(),
                name="action",
            ),
            path("reply/<int:pk>/", reply_view, name="reply"),
            path("email/<int:pk>/", email_author_view, name="email_author"),
            AUTHOR_EMAIL.url_pattern(Comment),
        ]
