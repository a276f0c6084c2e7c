"""Public endpoints for comments: post, confirm, manage one's own, unsubscribe,
and a page's comments as JSON. Every refusal is a page that says what happened
and what to do, with the right status code (promise 6, through ``responses``)."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from .. import ratelimit, tokens
from ..addresses import normalize
from ..conf import setting
from ..rendering import render
from ..responses import form_changed, link_expired, link_not_valid, problem, too_many
from ..settings import ModerationSettings
from . import actions
from .forms import CommentForm, EditCommentForm
from .models import Comment
from .visitors import (
    accepts_comments,
    page_with_comments_or_404,
    public_page,
    remember,
    remembered_ids,
)

MANAGE_LINK_AGE = datetime.timedelta(days=30)
Status = Comment.Status


# Posting ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def post_comment(request):
    if request.method == "GET":  # a reload or a bookmark of a form sent back
        return _to_the_form(request)
    page = _page_named_in(request.POST)
    if page is None:
        return problem(
            request,
            400,
            _("This comment has no page"),
            _(
                "The form did not say which page it belongs to. Open the page and try again."
            ),
        )
    policy = ModerationSettings.for_request(request)
    if not accepts_comments(page, policy):
        return problem(
            request,
            403,
            _("Comments are closed"),
            _("This page does not take new comments. Nothing was saved."),
            page,
        )
    network = ratelimit.client_network(request)
    if wait := ratelimit.hit("comment-ip", network, *setting("COMMENT_RATE_IP")):
        return too_many(request, wait, page)

    form = CommentForm(request.POST, page=page, user=request.user)
    if refusal := _refuse_unsigned(request, form, page):
        return refusal
    if not form.is_valid():
        form.refresh_security_data()
        request.comment_form = form  # shown by the {% comments %} tag
        return page.serve(request)
    if wait := ratelimit.hit(
        "comment-email", normalize(form.author_email), *setting("COMMENT_RATE_EMAIL")
    ):
        return too_many(request, wait, page)

    comment = actions.submit_comment(form, page=page, policy=policy, ip_network=network)
    messages.success(request, _status_message(comment))
    return _back_to(request, comment, page.get_url(request))


def _page_named_in(data):
    try:
        return public_page(int(data.get("page", "")))
    except ValueError:
        return None


def _to_the_form(request):
    """To the form on the page the form's address names (keeping any other query,
    e.g. ``reply``), or to the site's home page."""
    page = _page_named_in(request.GET)
    if page is None:
        return redirect("/")
    query = request.GET.copy()
    query.pop("page")
    if query:  # the browser keeps the link's own fragment
        return redirect(f"{page.get_url(request)}?{query.urlencode()}")
    return redirect(f"{page.get_url(request)}#comment-form")


def _refuse_unsigned(request, form, page):
    """The page for a form that was not filled in by a person in the form we sent,
    or None."""
    if form.is_tampered():
        return form_changed(
            request,
            _(
                "Some hidden parts of the comment form were not as we sent them, "
                "so nothing was saved. Reload the page and write your comment again."
            ),
            page,
        )
    if form.is_honeypot_filled():
        return problem(
            request,
            400,
            _("This looked automated"),
            _(
                "A field that people leave empty was filled in, so nothing was saved. "
                "If you are a person, reload the page and try again."
            ),
            page,
        )
    return None


def _back_to(request, comment, page_url):
    """To the comment on its page, in a browser that now remembers writing it."""
    response = redirect(f"{page_url}#{comment.anchor}")
    remember(response, request, comment)
    return response


def _status_message(comment):
    if comment.status == Status.SPAM:
        # Said plainly but without detail: a spammer learns nothing to work around.
        return _("Thank you. Your comment was held back by our filters.")
    if comment.status == Status.APPROVED:
        return _("Your comment is published.")
    if comment.status == Status.UNCONFIRMED:
        if getattr(comment, "confirmation_sent", True):
            return _(
                "Thank you! We sent you an email: open the link in it to confirm your "
                "address, and your comment goes to our moderators."
            )
        return _(
            "Thank you! We have already sent confirmation links to this address today: "
            "open one of them and this comment goes to our moderators too."
        )
    return _("Thank you! Your comment is awaiting moderation.")


# Links from emails ----------------------------------------------------------------


def _link_problem(request, error):
    if error.reason == "expired":
        return link_expired(
            request,
            _(
                "Links in our emails work for a limited time. Write your comment "
                "again, and we will send a fresh link."
            ),
        )
    return link_not_valid(
        request,
        _(
            "It may have been cut off when it was copied. Open it from the email "
            "again, or copy the whole address."
        ),
        status=400,
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The link shows a button; only pressing it confirms (mail scanners and link
    previews fetch links, and must change nothing)."""
    try:
        pk = tokens.read(
            "comment.confirm",
            token,
            max_age=datetime.timedelta(days=setting("COMMENT_CONFIRM_DAYS")),
        )
    except tokens.LinkError as error:
        return _link_problem(request, error)
    comment = Comment.objects.filter(pk=pk).select_related("page").first()
    if comment is None or comment.status == Status.DELETED:
        return problem(
            request,
            410,
            _("This comment no longer exists"),
            _("It was deleted, so there is nothing to confirm."),
        )
    if comment.status == Status.UNCONFIRMED and request.method == "GET":
        return render(request, "moderation/comments/confirm.html", {"comment": comment})
    if comment.status == Status.UNCONFIRMED:
        actions.confirm_email(comment)
        messages.success(
            request,
            _("Thank you, your address is confirmed. Your comment awaits moderation."),
        )
    else:
        messages.info(request, _("Your address was already confirmed."))
    return _back_to(request, comment, comment.page.url)


@csrf_exempt  # RFC 8058: mail clients POST here without a CSRF token; the link is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        pk = tokens.read("comment.unsubscribe", token)
    except tokens.LinkError as error:
        return _link_problem(request, error)
    comment = get_object_or_404(Comment.objects.select_related("page"), pk=pk)
    if request.method == "POST":  # also RFC 8058 one-click from the mail client
        actions.unsubscribe(comment)
        return render(
            request, "moderation/comments/unsubscribed.html", {"comment": comment}
        )
    return render(request, "moderation/comments/unsubscribe.html", {"comment": comment})


@require_http_methods(["GET", "POST"])
def manage(request, pk):
    """Edit (within a short time) or delete one's own comment. Allowed with the
    signed link from an email, or from the browser that wrote it."""
    comment = get_object_or_404(Comment.objects.select_related("page"), pk=pk)
    token = request.GET.get("t") or request.POST.get("t")
    if refusal := _refuse_manage(request, comment, token):
        return refusal
    form = EditCommentForm(initial={"body": comment.body})
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            actions.delete_by_author(comment)
            messages.success(request, _("Your comment is deleted."))
            return redirect(comment.page.url + "#comments")
        if not actions.can_edit(comment):
            return _too_late_to_edit(request, comment)
        form = EditCommentForm(request.POST)
        if form.is_valid():
            return _save_edit(request, comment, form.cleaned_data["body"])
    response = render(
        request,
        "moderation/comments/manage.html",
        {
            "comment": comment,
            "form": form,
            "token": token or "",
            "can_edit": actions.can_edit(comment),
            "edit_minutes": setting("COMMENT_EDIT_MINUTES"),
        },
    )
    if token:
        remember(response, request, comment)
    return response


def _refuse_manage(request, comment, token):
    """The page for someone who may not manage ``comment`` (with ``token``, the
    link from an email, or without), or for a deleted one; None to go on."""
    if token:
        try:
            linked = tokens.read("comment.manage", token, max_age=MANAGE_LINK_AGE)
        except tokens.LinkError as error:
            return _link_problem(request, error)
        if linked != comment.pk:  # a good link, to another comment
            return _link_problem(request, tokens.LinkError("invalid"))
    elif comment.pk not in remembered_ids(request):
        return problem(
            request,
            403,
            _("This is not your comment, as far as we can tell"),
            _(
                "Use the link in the email we sent about it, or the browser you "
                "wrote it in."
            ),
            comment.page,
        )
    if comment.status == Status.DELETED:
        return problem(
            request,
            410,
            _("This comment was deleted"),
            _("There is nothing left to change."),
            comment.page,
        )
    return None


def _too_late_to_edit(request, comment):
    return problem(
        request,
        403,
        _("It is too late to edit this comment"),
        _("Comments can be edited for %(minutes)s minutes. You can still delete it.")
        % {"minutes": setting("COMMENT_EDIT_MINUTES")},
        comment.page,
    )


def _save_edit(request, comment, body):
    was_published = comment.status == Status.APPROVED
    actions.edit_by_author(comment, body)
    messages.success(
        request,
        _("Your edit is saved and awaits moderation.")
        if was_published
        else _("Your edit is saved."),
    )
    return _back_to(request, comment, comment.page.url)


# Read-only ---------------------------------------------------------------------


@require_GET
def comments_json(request, page_id):
    """Approved comments of a public page: names and text, never an email or IP."""
    page = page_with_comments_or_404(page_id)
    comments = Comment.objects.for_page(page).approved().order_by("created_at", "pk")
    rows = comments.values(
        "pk", "parent_id", "author_name", "by_staff", "body_html", "created_at"
    )
    # get_page: a bad number gives the first page, one too high the last (a
    # number past the database's integers would otherwise reach its OFFSET).
    batch = Paginator(rows, 100).get_page(request.GET.get("page"))
    url = reverse("moderation:comments_json", args=[page.pk])
    return JsonResponse(
        {
            "page": {"id": page.pk, "title": page.title, "url": page.full_url},
            "comments": [
                {
                    "id": row["pk"],
                    "parent": row["parent_id"],
                    "author": row["author_name"],
                    "from_site": row["by_staff"],
                    "html": row["body_html"],
                    "created_at": row["created_at"].isoformat(),
                }
                for row in batch
            ],
            "next": f"{url}?page={batch.next_page_number()}"
            if batch.has_next()
            else None,
        }
    )
