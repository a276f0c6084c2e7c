"""Public endpoints for comments: post, confirm, manage one's own, unsubscribe,
and read-only feeds. Every refusal is a page that says what happened and what
to do, with the right status code (promise 6)."""

import datetime

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Page

from .. import ratelimit, tokens
from ..conf import setting
from ..rendering import render
from ..settings import ModerationSettings
from . import actions
from .forms import CommentForm, EditCommentForm
from .models import Comment, CommentsMixin

COOKIE_SALT = "moderation.comments.cookie"
COOKIE_AGE = datetime.timedelta(days=30)
MANAGE_LINK_AGE = datetime.timedelta(days=30)
Status = Comment.Status


# The browser's own comments (a signed cookie, MODERATION_COMMENT_COOKIE_NAME) ---


def remembered_ids(request):
    try:
        value = request.get_signed_cookie(
            setting("COMMENT_COOKIE_NAME"), salt=COOKIE_SALT, max_age=COOKIE_AGE
        )
    except (KeyError, signing.BadSignature):
        return []
    return [int(part) for part in value.split(",") if part.isdigit()]


def remember(response, request, comment):
    ids = [comment.pk, *(pk for pk in remembered_ids(request) if pk != comment.pk)][:20]
    response.set_signed_cookie(
        setting("COMMENT_COOKIE_NAME"),
        ",".join(map(str, ids)),
        salt=COOKIE_SALT,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


# Pages that take comments -----------------------------------------------------


def accepts_comments(page, policy):
    """A page type takes comments through ``CommentsMixin``, while its
    ``comments_open`` is ticked; the site's policy may close old pages."""
    return (
        isinstance(page, CommentsMixin)
        and page.comments_open
        and not policy.is_closed(page)
    )


def public_page(page_id):
    page = Page.objects.live().public().filter(pk=page_id).first()
    return page.specific if page else None


def page_with_comments_or_404(page_id):
    """A public page of a type that takes comments (open or closed), for the feeds."""
    page = public_page(page_id)
    if not isinstance(page, CommentsMixin):
        raise Http404
    return page


def problem(request, status, title, message, page=None, retry_after=None):
    response = render(
        request,
        "moderation/comments/problem.html",
        {"title": title, "message": message, "back_page": page},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def too_many(request, wait, page):
    return problem(
        request,
        429,
        _("Too many comments at once"),
        _("Please wait %(seconds)s seconds, then send your comment again.")
        % {"seconds": wait},
        page,
        retry_after=wait,
    )


# Posting ------------------------------------------------------------------------


@require_POST
def post_comment(request):
    try:
        page = public_page(int(request.POST.get("page", "")))
    except ValueError:
        page = None
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
    if form.is_tampered():
        return problem(
            request,
            400,
            _("This form was changed"),
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
    if not form.is_valid():
        form.refresh_security_data()
        request.comment_form = form  # shown by the {% comments %} tag
        return page.serve(request)
    if wait := ratelimit.hit(
        "comment-email", form.author_email.lower(), *setting("COMMENT_RATE_EMAIL")
    ):
        return too_many(request, wait, page)

    comment = actions.submit_comment(form, page=page, policy=policy, ip_network=network)
    messages.success(request, _status_message(comment))
    response = redirect(f"{page.get_url(request)}#{comment.anchor}")
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
        return problem(
            request,
            410,
            _("This link has expired"),
            _(
                "Links in our emails work for a limited time. Write your comment "
                "again, and we will send a fresh link."
            ),
        )
    return problem(
        request,
        400,
        _("This link is not valid"),
        _(
            "It may have been cut off when it was copied. Open it from the email "
            "again, or copy the whole address."
        ),
    )


@require_GET
def confirm(request, token):
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
    if comment.status == Status.UNCONFIRMED:
        actions.confirm_email(comment)
        messages.success(
            request,
            _("Thank you, your address is confirmed. Your comment awaits moderation."),
        )
    else:
        messages.info(request, _("Your address was already confirmed."))
    response = redirect(f"{comment.page.url}#{comment.anchor}")
    remember(response, request, comment)
    return response


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
    if token:
        try:
            if tokens.read("comment.manage", token, max_age=MANAGE_LINK_AGE) != pk:
                raise tokens.LinkError("invalid")
        except tokens.LinkError as error:
            return _link_problem(request, error)
    elif pk not in remembered_ids(request):
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

    form = EditCommentForm(initial={"body": comment.body})
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            actions.delete_by_author(comment)
            messages.success(request, _("Your comment is deleted."))
            return redirect(comment.page.url + "#comments")
        if not actions.can_edit(comment):
            return problem(
                request,
                403,
                _("It is too late to edit this comment"),
                _(
                    "Comments can be edited for %(minutes)s minutes. You can still delete it."
                )
                % {"minutes": setting("COMMENT_EDIT_MINUTES")},
                comment.page,
            )
        form = EditCommentForm(request.POST)
        if form.is_valid():
            was_published = comment.status == Status.APPROVED
            actions.edit_by_author(comment, form.cleaned_data["body"])
            messages.success(
                request,
                _("Your edit is saved and awaits moderation.")
                if was_published
                else _("Your edit is saved."),
            )
            response = redirect(f"{comment.page.url}#{comment.anchor}")
            remember(response, request, comment)
            return response
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
