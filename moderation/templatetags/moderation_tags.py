"""``{% comments page %}``: everything a page shows of its comments, and the form.

Any page type with ``moderation.models.CommentsMixin`` can use it (see there).
"""

from django import template

from ..comments import listing
from ..comments.forms import CommentForm
from ..comments.models import Comment
from ..comments.visitors import accepts_comments, remembered_ids
from ..conf import setting
from ..settings import ModerationSettings

register = template.Library()


@register.inclusion_tag("moderation/comments/section.html", takes_context=True)
def comments(context, page):
    request = context["request"]
    page_of_threads, threads, total = listing.threads(
        page, request.GET.get("comments", 1)
    )
    own_ids = remembered_ids(request)
    own_waiting = (
        list(
            Comment.objects.for_page(page).filter(
                pk__in=own_ids,
                status__in=[Comment.Status.UNCONFIRMED, Comment.Status.PENDING],
            )
        )
        if own_ids
        else []
    )
    policy = ModerationSettings.for_request(request)
    open_ = accepts_comments(page, policy)
    form = getattr(request, "comment_form", None)
    replying_to = None
    if open_ and form is None:
        replying_to = _reply_target(page, request.GET.get("reply"))
        form = CommentForm(page=page, user=request.user, parent=replying_to)
    elif form is not None:
        replying_to = form.parent_comment or _reply_target(
            page, form.data.get("parent")
        )
    return {
        "request": request,
        "page": page,
        "threads": threads,
        "page_of_threads": page_of_threads,
        "total": total,
        "own_waiting": own_waiting,
        "own_ids": set(own_ids),
        "comments_open": open_,
        "form": form,
        "replying_to": replying_to,
        "max_depth": setting("COMMENT_MAX_DEPTH"),
        "privacy_url": policy.privacy_url(request),
    }


def _reply_target(page, value):
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return (
        Comment.objects.for_page(page)
        .approved()
        .filter(pk=pk, depth__lt=setting("COMMENT_MAX_DEPTH"))
        .first()
    )
