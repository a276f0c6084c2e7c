"""The emails about comments. All go through the outbox, queued in the caller's
transaction. None of them repeats text the commenter typed except to the
commenter themselves after confirming, so the form cannot send spam to a stranger."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .. import ratelimit, tokens
from ..addresses import normalize
from ..conf import setting
from ..emails import absolute_url, send_templated_email


def comment_url(comment):
    """Where ``comment`` is on its page (Wagtail's ``full_url``, from the same
    Settings → Sites address as ``absolute_url``)."""
    return f"{comment.page.full_url}#{comment.anchor}"


def manage_url(comment):
    token = tokens.make("comment.manage", comment.pk)
    path = reverse("moderation:comment_manage", args=[comment.pk])
    return absolute_url(f"{path}?t={token}", comment.page.get_site())


def unsubscribe_url(comment):
    token = tokens.make("comment.unsubscribe", comment.pk)
    return absolute_url(
        reverse("moderation:comment_unsubscribe", args=[token]),
        comment.page.get_site(),
    )


def send_confirmation(comment):
    """The link that moves a guest's comment into moderation. At most a few a day
    per address (returns False when over that: the comment still waits)."""
    limit = setting("CONFIRMATION_EMAILS_PER_DAY")
    if ratelimit.hit(
        "confirmation-email", normalize(comment.author_email), limit, 24 * 60 * 60
    ):
        return False
    token = tokens.make("comment.confirm", comment.pk)
    page = comment.page
    send_templated_email(
        "moderation/emails/comment_confirm",
        to=comment.author_email,
        subject=_("Please confirm your comment on “%(title)s”") % {"title": page.title},
        context={
            "page_title": page.title,
            "page_url": page.full_url,
            "confirm_url": absolute_url(
                reverse("moderation:comment_confirm", args=[token]), page.get_site()
            ),
            "confirm_days": setting("COMMENT_CONFIRM_DAYS"),
            "manage_url": manage_url(comment),
        },
    )
    return True


def send_published(comment):
    page = comment.page
    _send_notice(
        "moderation/emails/comment_published",
        comment,
        subject=_("Your comment on “%(title)s” is published") % {"title": page.title},
        context={"comment_url": comment_url(comment)},
    )


def send_reply(reply, parent):
    page = reply.page
    _send_notice(
        "moderation/emails/comment_reply",
        parent,
        subject=_("%(name)s replied to your comment on “%(title)s”")
        % {"name": reply.author_name, "title": page.title},
        context={"reply": reply, "reply_url": comment_url(reply)},
    )


def _send_notice(template, comment, *, subject, context):
    """A notice to ``comment``'s author, with one-click unsubscribe (RFC 8058)."""
    unsubscribe = unsubscribe_url(comment)
    send_templated_email(
        template,
        to=comment.author_email,
        subject=subject,
        context={
            "comment": comment,
            "page_title": comment.page.title,
            "manage_url": manage_url(comment),
            "unsubscribe_url": unsubscribe,
            **context,
        },
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_message_from_editor(comment, subject, message):
    page = comment.page
    send_templated_email(
        "moderation/emails/comment_message",
        to=comment.author_email,
        subject=subject,
        context={
            "message": message,
            "page_title": page.title,
            "comment_url": comment_url(comment),
        },
    )
