"""Every change to a comment goes through here ("Architecture and its rules" in
docs/design.md): public views, admin views, bulk actions and commands all call
these functions. Each checks permission, saves atomically, writes a
``moderation.comment.*`` log entry, sends ``comment_status_changed`` and queues
its emails in the same transaction."""

import datetime
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from ..addresses import matching, normalize
from ..conf import setting
from ..permissions import MODERATE_COMMENTS
from ..privacy import site_signature
from ..sanitize import count_links, sanitize
from ..signals import comment_status_changed
from . import notices
from .models import Comment, PageCommentCounts, VerifiedEmail

Status = Comment.Status


def submit_comment(form, *, page, policy, ip_network=""):
    """Store a comment from a valid ``CommentForm`` under the site's ``policy``
    (``ModerationSettings``); returns it.

    A moderator's comment is published at once and marked as from the site;
    blocked words or domains send it to spam; a guest's first comment waits for
    email confirmation if the site asks for it; a trusted commenter's comment is
    published unless it has many links; anything else waits for a moderator.
    """
    user = form.user
    by_staff = bool(user and user.has_perm(MODERATE_COMMENTS))
    parent = form.parent_comment
    with transaction.atomic():
        comment = Comment.objects.create(
            page=page,
            parent=parent,
            thread=(parent.thread or parent) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            user=user,
            author_name=form.author_name,
            author_email=form.author_email,
            body=form.cleaned_data["body"],
            body_html=form.body_html,
            by_staff=by_staff,
            notify_on_approval=form.cleaned_data["notify_on_approval"],
            notify_on_reply=form.cleaned_data["notify_on_reply"],
            ip_network=ip_network,
            status=Status.PENDING,
        )
        log(instance=comment, action="moderation.comment.post", user=user)
        verified = user is not None or VerifiedEmail.is_verified(comment.author_email)
        if by_staff:
            comment = approve(comment, user)
        elif policy.blocked_reason(email=comment.author_email, html=comment.body_html):
            comment = mark_spam(comment)
        elif not verified and policy.require_email_confirmation:
            comment.status = Status.UNCONFIRMED
            comment.save(update_fields=["status"])
            comment.confirmation_sent = notices.send_confirmation(comment)
        elif verified and _is_trusted(comment, policy):
            comment = approve(comment)
    return comment


def _is_trusted(comment, policy):
    """Enough published comments from this person, and not a link-heavy one."""
    if not policy.auto_approve_after:
        return False
    if count_links(comment.body_html) > policy.hold_links_over:
        return False
    published = Comment.objects.approved()
    if comment.user_id:
        published = published.filter(user_id=comment.user_id)
    else:
        published = matching(published, "author_email", comment.author_email)
    return published.count() >= policy.auto_approve_after


def confirm_email(comment):
    """The author clicked the confirmation link: their comments go to moderation."""
    with transaction.atomic():
        VerifiedEmail.objects.get_or_create(email=normalize(comment.author_email))
        waiting = list(
            matching(
                Comment.objects.select_for_update(),
                "author_email",
                comment.author_email,
            ).filter(status=Status.UNCONFIRMED)
        )
        for each in waiting:
            _set_status(each, Status.PENDING, None, "moderation.comment.confirm")
    return waiting


def approve(comment, user=None):
    """Publish a comment, and send the notices it asked for (once)."""
    _check(user)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.status == Status.APPROVED:
            return comment
        comment.approved_at = timezone.now()
        _set_status(comment, Status.APPROVED, user, "moderation.comment.approve")
        _send_approval_notices(comment)
    return comment


def _send_approval_notices(comment):
    """What the author asked for, and a reply notice to the parent's author."""
    if comment.notify_on_approval and not comment.by_staff:
        notices.send_published(comment)
    parent = comment.parent
    if (
        parent
        and parent.notify_on_reply
        and parent.status == Status.APPROVED
        and parent.author_email
        and normalize(parent.author_email) != normalize(comment.author_email)
    ):
        notices.send_reply(comment, parent)


def approve_many(comments, user=None):
    """Approve many comments in a fixed number of queries (the bulk action), with
    the same log entries, signals and notices as ``approve`` one at a time."""
    _check(user)
    now = timezone.now()
    with transaction.atomic():
        chosen = list(
            Comment.objects.select_for_update(of=("self",))
            .filter(pk__in=[comment.pk for comment in comments])
            .exclude(status=Status.APPROVED)
            .select_related("parent", "page")
        )
        Comment.objects.filter(pk__in=[c.pk for c in chosen]).update(
            status=Status.APPROVED, approved_at=now
        )
        _bulk_log(chosen, "moderation.comment.approve", user, now)
        PageCommentCounts.refresh(comment.page_id for comment in chosen)
        for comment in chosen:
            previous, comment.status, comment.approved_at = (
                comment.status,
                Status.APPROVED,
                now,
            )
            comment_status_changed.send(
                sender=Comment, comment=comment, previous_status=previous, user=user
            )
            _send_approval_notices(comment)
    return chosen


def _bulk_log(comments, action, user, timestamp):
    content_type = ContentType.objects.get_for_model(Comment)
    shared = uuid.uuid4()  # one user action, as Wagtail groups them
    ModelLogEntry.objects.bulk_create(
        ModelLogEntry(
            content_type=content_type,
            object_id=str(comment.pk),
            label=str(comment),
            action=action,
            user=user,
            timestamp=timestamp,
            uuid=shared,
            data={},
        )
        for comment in comments
    )


def reject(comment, user=None):
    return _moderate(comment, Status.REJECTED, user, "moderation.comment.reject")


def mark_spam(comment, user=None):
    return _moderate(comment, Status.SPAM, user, "moderation.comment.spam")


def restore(comment, user=None):
    """Back to the moderation queue, e.g. a comment marked as spam by mistake."""
    return _moderate(comment, Status.PENDING, user, "moderation.comment.restore")


def delete(comment, user=None):
    """A moderator removes a comment: gone entirely, or a placeholder if people
    have replied to it (their replies stay)."""
    _check(user)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.replies.exists():
            comment.body = comment.body_html = comment.author_email = ""
            comment.notify_on_approval = comment.notify_on_reply = False
            comment.save()
            _set_status(comment, Status.DELETED, user, "moderation.comment.remove")
        else:
            log(instance=comment, action="moderation.comment.remove", user=user)
            comment.delete()
    return comment


def reply_as_site(parent, user, body):
    """An editor answers on the page, marked as from the site, published at once."""
    _check(user)
    if parent.status != Status.APPROVED:
        raise PermissionDenied("Only published comments can be answered.")
    with transaction.atomic():
        reply = Comment.objects.create(
            page_id=parent.page_id,
            parent=parent,
            thread=parent.thread or parent,
            depth=parent.depth + 1,
            user=user,
            author_name=site_signature(user),
            author_email=user.email,
            body=body,
            body_html=sanitize(body),
            by_staff=True,
        )
        log(instance=reply, action="moderation.comment.post", user=user)
        return approve(reply, user)


def email_author(comment, user, subject, message):
    """Write to a commenter through the outbox; the editor never sees the address."""
    _check(user)
    if not comment.author_email:
        raise PermissionDenied("This commenter left no address.")
    with transaction.atomic():
        notices.send_message_from_editor(comment, subject, message)
        log(instance=comment, action="moderation.comment.email_author", user=user)


def can_edit(comment):
    window = datetime.timedelta(minutes=setting("COMMENT_EDIT_MINUTES"))
    return (
        comment.status != Status.DELETED
        and timezone.now() - comment.created_at < window
    )


def edit_by_author(comment, body):
    """The author changes their text within the edit window; a published comment
    goes back to moderation so nothing unreviewed appears on the page."""
    if not can_edit(comment):
        raise PermissionDenied
    with transaction.atomic():
        comment.body = body
        comment.body_html = sanitize(body)
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        if comment.status == Status.APPROVED:
            _set_status(comment, Status.PENDING, None, "moderation.comment.edit")
        else:
            log(instance=comment, action="moderation.comment.edit")
    return comment


def delete_by_author(comment):
    """Remove the text and the address; a placeholder keeps replies in place."""
    with transaction.atomic():
        comment.body = comment.body_html = ""
        comment.author_email = ""
        comment.notify_on_approval = comment.notify_on_reply = False
        comment.save()
        _set_status(comment, Status.DELETED, None, "moderation.comment.delete")
    return comment


def unsubscribe(comment):
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(
            notify_on_approval=False, notify_on_reply=False
        )
        log(instance=comment, action="moderation.comment.unsubscribe")


def _moderate(comment, status, user, action):
    _check(user)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.status != status:
            _set_status(comment, status, user, action)
    return comment


def _check(user):
    if user is not None and not user.has_perm(MODERATE_COMMENTS):
        raise PermissionDenied


def _set_status(comment, status, user, action):
    previous = comment.status
    comment.status = status
    comment.save(update_fields=["status", "approved_at"])
    PageCommentCounts.refresh([comment.page_id])
    log(instance=comment, action=action, user=user)
    comment_status_changed.send(
        sender=Comment, comment=comment, previous_status=previous, user=user
    )
