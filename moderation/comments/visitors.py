"""What the public side knows of a visitor and the page they are on: the
comments their browser wrote (a signed cookie, ``MODERATION_COMMENT_COOKIE_NAME``)
and whether a page takes comments. The comment views, the feeds and the
``{% comments %}`` tag all ask here."""

import datetime

from django.core import signing
from django.http import Http404
from wagtail.models import Page

from ..conf import setting
from .models import CommentsMixin

COOKIE_SALT = "moderation.comments.cookie"
COOKIE_AGE = datetime.timedelta(days=30)
REMEMBERED = 20  # comments a browser remembers, most recent first


# The browser's own comments ------------------------------------------------------


def remembered_ids(request):
    try:
        value = request.get_signed_cookie(
            setting("COMMENT_COOKIE_NAME"), salt=COOKIE_SALT, max_age=COOKIE_AGE
        )
    except (KeyError, signing.BadSignature):
        return []
    return [int(part) for part in value.split(",") if part.isdigit()]


def remember(response, request, comment):
    ids = [comment.pk, *(pk for pk in remembered_ids(request) if pk != comment.pk)]
    response.set_signed_cookie(
        setting("COMMENT_COOKIE_NAME"),
        ",".join(map(str, ids[:REMEMBERED])),
        salt=COOKIE_SALT,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


# Pages that take comments --------------------------------------------------------


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
