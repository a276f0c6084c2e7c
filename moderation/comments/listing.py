"""What a page shows of its comments, in a constant number of queries whatever
their number: one page of threads, then all replies of those threads at once."""

from django.core.paginator import Paginator

from ..conf import setting
from .models import Comment, PageCommentCounts


def threads(page, number):
    """One page of threads: (paginator page, top-level comments with ``.children``,
    the number of published comments)."""
    roots = (
        Comment.objects.for_page(page)
        .visible()
        .filter(depth=0)
        .order_by("created_at", "pk")
    )
    counts = PageCommentCounts.of(page)  # stored: no COUNT over every comment
    paginator = Paginator(roots, setting("COMMENTS_PER_PAGE"))
    paginator.count = counts.threads  # a cached_property, so this is its value
    # get_page: a bad number gives the first page, one too high the last.
    listing = paginator.get_page(number)
    top = list(listing.object_list)
    replies = (
        Comment.objects.visible().filter(thread__in=top).order_by("created_at", "pk")
    )
    by_parent = {}
    for comment in [*top, *replies]:
        comment.children = []
        by_parent.setdefault(comment.parent_id, []).append(comment)
    for comment in [*top, *replies]:
        comment.children = by_parent.get(comment.pk, [])
    return (
        listing,
        [comment for comment in top if _shown(comment)],
        counts.published,
    )


def _shown(comment):
    """A deleted comment stays only as the placeholder its visible replies hang from."""
    comment.children = [child for child in comment.children if _shown(child)]
    return comment.status != Comment.Status.DELETED or bool(comment.children)
