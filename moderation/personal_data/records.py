"""Everything stored about one email address: find it, export it, erase it.

The one place that knows every home of an address (promise 1 in docs/design.md). A
model that starts storing an address must be added here, and the erasure test
(which searches the whole database afterwards) will say so if it is not.
"""

import json
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from ..addresses import matching, normalize
from ..comments.models import Comment, PageCommentCounts, VerifiedEmail
from ..outbox.models import OutboxEmail
from ..privacy import mask_email
from ..sanitize import sanitize
from ..testimonials import actions as testimonial_actions
from ..testimonials.consent import ConsentRecord, ConsentRequest
from ..testimonials.models import Feedback, Testimonial
from .models import PersonalDataAction

ERASED = "erased"  # stands in for an address in a sent email's recipients


class CommentChoice(models.TextChoices):
    KEEP = "keep", gettext_lazy("Keep the comments, signed “Deleted user”")
    REMOVE = "remove", gettext_lazy("Remove the comments")


@dataclass
class Found:
    """Where one address is stored. Matching ignores case: mail servers do."""

    address: str
    comments: models.QuerySet
    feedback: models.QuerySet
    testimonials: models.QuerySet
    confirmations: models.QuerySet
    accounts: models.QuerySet
    emails: list

    @classmethod
    def search(cls, address):
        address = normalize(address)
        # Recipients are a JSON list: read them here rather than trust each
        # database's JSON text for case and non-ASCII letters. Exports are rare.
        sent_to = [
            pk
            for pk, recipients in OutboxEmail.objects.values_list(
                "pk", "recipients"
            ).iterator(chunk_size=2000)
            if address in map(normalize, recipients)
        ]
        return cls(
            address=address,
            comments=matching(Comment.objects.all(), "author_email", address),
            feedback=matching(Feedback.objects.all(), "email", address),
            testimonials=matching(Testimonial.objects.all(), "customer_email", address),
            confirmations=VerifiedEmail.objects.filter(email=address),
            accounts=_accounts(address),
            emails=list(OutboxEmail.objects.filter(pk__in=sent_to)),
        )

    def summary(self):
        """How many records of each kind: what an editor sees before erasing."""
        return {
            "comments": self.comments.count(),
            "feedback": self.feedback.count(),
            "testimonials": self.testimonials.count(),
            "confirmations": self.confirmations.count(),
            "accounts": self.accounts.count(),
            "emails": len(self.emails),
        }


def _accounts(address):
    """Accounts with the address, or named by it: many sites use the email
    address as the username."""
    User = get_user_model()
    return User._default_manager.alias(
        address=Lower(User.get_email_field_name()), name=Lower(User.USERNAME_FIELD)
    ).filter(Q(address=address) | Q(name=address))


# Export -----------------------------------------------------------------------


def export(address, *, source, user=None, link_hash="", progress=None):
    """One document with everything stored about ``address``, and nothing about
    anyone else. ``progress(done, total)`` is called as records are read."""
    found = Found.search(address)
    read = _Progress(sum(found.summary().values()) or 1, progress)
    comments = found.comments.select_related("page", "user").iterator()
    testimonials = found.testimonials.prefetch_related(
        "consent_requests", "consent_records"
    )
    document = {
        "email": found.address,
        "exported_at": timezone.now(),
        "about": _(
            "Everything this site stores about this email address. Addresses are "
            "never published; names are shown only next to what you wrote."
        ),
        "comments": [_comment_data(c) for c in read(comments)],
        "email_confirmed_at": [c.verified_at for c in read(found.confirmations)],
        "accounts": [_account_data(a) for a in read(found.accounts)],
        "feedback": [
            _feedback_data(f)
            for f in read(found.feedback.select_related("page").iterator())
        ],
        "testimonials": [_testimonial_data(t) for t in read(testimonials)],
        "emails_sent_to_you": [_email_data(e) for e in read(found.emails)],
    }
    document["subscriptions"] = _subscriptions(document["comments"])
    read.finish()
    _record(PersonalDataAction.Kind.EXPORT, found.summary(), source, user, link_hash)
    return document


class _Progress:
    """Counts the records as an export reads them, for ``progress(done, total)``."""

    def __init__(self, total, progress):
        self.total, self.progress, self.done = total, progress, 0

    def __call__(self, items):
        for item in items:
            yield item
            self.done += 1
            if self.progress:
                self.progress(self.done, self.total)

    def finish(self):
        if self.progress:
            self.progress(self.total, self.total)


def as_json(document):
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def _comment_data(comment):
    return {
        "id": comment.pk,
        "page": comment.page.title,
        "in_reply_to": comment.parent_id,
        "name_shown": comment.author_name,
        "signed_in_as": comment.user.get_username() if comment.user else None,
        "text": comment.body,
        "status": comment.get_status_display(),
        "written_at": comment.created_at,
        "edited_at": comment.edited_at,
        "published_at": comment.approved_at,
        "tell_me_when_published": comment.notify_on_approval,
        "tell_me_about_replies": comment.notify_on_reply,
        "network": comment.ip_network,
    }


def _subscriptions(comments):
    """The notices the person asked for, from their exported comments."""
    return [
        {
            "comment": c["id"],
            "page": c["page"],
            "tell_me_when_published": c["tell_me_when_published"],
            "tell_me_about_replies": c["tell_me_about_replies"],
        }
        for c in comments
        if c["tell_me_when_published"] or c["tell_me_about_replies"]
    ]


def _account_data(user):
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "joined_at": user.date_joined,
        "last_login": user.last_login,
    }


def _email_data(email):
    return {
        "subject": email.subject,
        "status": email.get_status_display(),
        "queued_at": email.created_at,
        "sent_at": email.sent_at,
    }


def _feedback_data(feedback):
    return {
        "id": feedback.pk,
        "page": feedback.page.title if feedback.page else None,
        "name": feedback.name,
        "feedback": feedback.body,
        "rating": feedback.rating,
        "order_reference": feedback.order_reference,
        "received_at": feedback.created_at,
        "network": feedback.ip_network,
    }


def _testimonial_data(testimonial):
    return {
        "id": testimonial.pk,
        "quote": testimonial.quote,
        "name": testimonial.customer_name,
        "shown_as": testimonial.attribution,
        "product": testimonial.product,
        "published": testimonial.live,
        "permission_requests": [
            {
                "asked_at": r.created_at,
                "quote_shown": r.quote,
                "name_shown": r.attribution,
                "status": r.get_status_display(),
                "reminded_at": r.reminded_at,
                "answered_at": r.answered_at,
            }
            for r in testimonial.consent_requests.all()
        ],
        "answers": [
            {
                "answer": r.get_answer_display(),
                "when": r.answered_at,
                "how": r.method,
                "quote_shown": r.quote,
                "name_shown": r.attribution,
                "network": r.ip_network,
            }
            for r in testimonial.consent_records.all()
        ],
    }


# Erasure ----------------------------------------------------------------------


def erase(address, *, comments, source, user=None, link_hash=""):
    """Remove ``address`` everywhere, in one transaction. ``comments`` is a
    ``CommentChoice``: keep them signed "Deleted user", or remove them.

    Published testimonials are unpublished; consent evidence keeps only its hash,
    dates and answer. The erasure is recorded without the address."""
    comments = CommentChoice(comments)
    with transaction.atomic():
        found = Found.search(address)
        summary = found.summary()
        _erase_comments(found, comments)
        _erase_testimonials(found, user)
        feedback_ids = list(found.feedback.values_list("pk", flat=True))
        relabel_log_entries(Feedback, feedback_ids, _("Erased feedback"))
        found.feedback.delete()
        found.confirmations.delete()
        _erase_accounts(found)
        _erase_emails(found)
        action = _record(
            PersonalDataAction.Kind.ERASE, summary, source, user, link_hash
        )
    return action


def _erase_comments(found, choice):
    mine = list(found.comments.values_list("pk", flat=True))
    anonymous = {
        "author_name": _("Deleted user"),
        "author_email": "",
        "user": None,
        "notify_on_approval": False,
        "notify_on_reply": False,
        "ip_network": "",
    }
    if choice == CommentChoice.REMOVE:
        # A comment others replied to stays as a "deleted" placeholder so their
        # replies keep their place; the rest go.
        answered = set(
            Comment.objects.filter(parent__in=mine)
            .exclude(pk__in=mine)
            .values_list("parent_id", flat=True)
        )
        Comment.objects.filter(pk__in=answered).update(
            **anonymous, body="", body_html="", status=Comment.Status.DELETED
        )
        Comment.objects.filter(pk__in=set(mine) - answered).delete()
        PageCommentCounts.refresh(
            Comment.objects.filter(pk__in=answered).values_list("page_id", flat=True)
        )
        relabel_log_entries(Comment, mine, _("Erased comment"))
        return
    # Kept: the text stays, but not the address, should they have typed it.
    pattern = re.compile(re.escape(found.address), re.IGNORECASE)
    for comment in Comment.objects.filter(
        pk__in=mine, body__icontains=found.address
    ).only("body"):
        comment.body = pattern.sub(mask_email(found.address), comment.body)
        comment.body_html = sanitize(comment.body)
        comment.save(update_fields=["body", "body_html"])
    Comment.objects.filter(pk__in=mine).update(**anonymous)
    relabel_log_entries(Comment, mine, _("Comment by a deleted user"))


def _erase_testimonials(found, user):
    ids = list(found.testimonials.values_list("pk", flat=True))
    for testimonial in Testimonial.objects.filter(pk__in=ids):
        testimonial_actions.take_down_for_erasure(testimonial, user=user)
    ConsentRequest.objects.filter(testimonial__in=ids).update(
        quote="", customer_name=""
    )
    # Evidence is written once (ConsentRecord.save refuses changes); erasure is the
    # one exception: it keeps the hash, dates, answer and how it was given.
    ConsentRecord.objects.filter(testimonial__in=ids).update(
        quote="", attribution="", ip_network=""
    )
    # Revisions hold old copies of the quote, name and address.
    for testimonial in Testimonial.objects.filter(pk__in=ids):
        testimonial.revisions.delete()
    Testimonial.objects.filter(pk__in=ids).update(
        quote="",
        customer_name="",
        customer_email="",
        feedback=None,
        has_unpublished_changes=False,
        latest_revision=None,
        live_revision=None,
    )
    relabel_log_entries(Testimonial, ids, _("Erased testimonial"))


def _erase_accounts(found):
    """An account stays (it may be an editor's), without the address: not as its
    email, its username or its name. One named by the address gets a new
    username (its password still works), so Wagtail shows that instead."""
    for account in found.accounts:
        email_field = account.get_email_field_name()
        changed = []
        if normalize(getattr(account, email_field)) == found.address:
            setattr(account, email_field, "")
            changed.append(email_field)
        if found.address in normalize(account.get_username()):
            setattr(account, account.USERNAME_FIELD, _erased_username(account))
            changed.append(account.USERNAME_FIELD)
        for field in ("first_name", "last_name"):
            if found.address in normalize(getattr(account, field, "")):
                setattr(account, field, "")
                changed.append(field)
        account.save(update_fields=changed)
        # Log entries about the account (created, edited) carry its old name.
        relabel_log_entries(type(account), [account.pk], str(account))


def _erased_username(account):
    manager = type(account)._default_manager
    base = name = f"erased-user-{account.pk}"
    n = 1
    while manager.filter(**{account.USERNAME_FIELD: name}).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _erase_emails(found):
    sent = OutboxEmail.Status.SENT
    for email in found.emails:
        if email.status != sent:
            email.delete()  # not yet delivered: the person asked not to be reached
            continue
        email.recipients = [
            ERASED if normalize(r) == found.address else r for r in email.recipients
        ]
        email.save(update_fields=["recipients"])


def relabel_log_entries(model, ids, label):
    """Log entries keep the object's label as it was (a name, a text): replace it."""
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in ids],
    ).update(label=label)


def _record(kind, summary, source, user, link_hash):
    action = PersonalDataAction.objects.create(
        kind=kind, source=source, user=user, summary=summary, link_hash=link_hash
    )
    log(instance=action, action=f"moderation.personal_data.{kind}", user=user)
    return action
