"""Every change to feedback, testimonials and consent goes through here."""

import datetime
import logging
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Site

from .. import tokens
from ..permissions import ADD_TESTIMONIAL, MANAGE_PERSONAL_DATA
from ..settings import ModerationSettings
from . import notices
from .consent import ConsentRecord, ConsentRequest, content_hash
from .models import Feedback, Testimonial

logger = logging.getLogger(__name__)
Status = ConsentRequest.Status
ERASURE = "erasure of the customer's data"  # how a consent ended, in its record


def submit_feedback(form, *, page, ip_network=""):
    data = form.cleaned_data
    with transaction.atomic():
        feedback = Feedback.objects.create(
            page=page,
            name=data["name"],
            email=data["email"],
            body=data["body"],
            rating=data.get("rating"),
            order_reference=data.get("order_reference", ""),
            ip_network=ip_network,
        )
        log(instance=feedback, action="moderation.feedback.receive")
    return feedback


def draft_from_feedback(feedback, user):
    """A draft testimonial with the customer's words, for an editor to trim."""
    if not user.has_perm(ADD_TESTIMONIAL):
        raise PermissionDenied
    with transaction.atomic():
        testimonial = Testimonial(
            quote=feedback.body.strip(),
            customer_name=feedback.name,
            customer_email=feedback.email,
            feedback=feedback,
            live=False,
        )
        testimonial.save()
        testimonial.save_revision(user=user, log_action=True)
        log(
            instance=feedback, action="moderation.feedback.draft_testimonial", user=user
        )
    return testimonial


def request_permission(testimonial, task_state, user=None):
    """Called when the workflow's customer step starts: email the exact words."""
    testimonial = Testimonial.objects.get(pk=testimonial.pk)
    revision = testimonial.latest_revision
    content = revision.as_object() if revision else testimonial
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        testimonial.consent_requests.filter(status=Status.AWAITING).update(
            status=Status.SUPERSEDED
        )
        request = ConsentRequest.objects.create(
            testimonial=testimonial,
            revision=revision,
            task_state=task_state,
            quote=content.quote,
            customer_name=content.customer_name,
            attribution_style=content.attribution_style,
            token_hash=tokens.hash_link(token),
        )
        # The link's secret lives only in the sealed outbox message and the
        # customer's mailbox; the database keeps its hash.
        notices.send_permission_request(request, content.customer_email, token)
        log(instance=testimonial, action="moderation.testimonial.request", user=user)
    return request


def find_request(token):
    return (
        ConsentRequest.objects.select_related("testimonial")
        .filter(token_hash=tokens.hash_link(token))
        .first()
    )


def answer(
    request, *, granted, style=None, method="email link", request_id="", ip_network=""
):
    """The customer's yes (optionally with another name) or no. Answering twice
    changes nothing (the caller checks ``request.status`` first)."""
    with transaction.atomic():
        request = ConsentRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != Status.AWAITING:
            return request
        testimonial = request.testimonial
        now = timezone.now()
        if granted:
            if style and style != request.attribution_style:
                # The customer chose another name: that becomes the testimonial's.
                latest = testimonial.latest_revision.as_object()
                latest.attribution_style = style
                latest.save_revision(log_action=False)
                request.attribution_style = style
            _record(
                request,
                ConsentRecord.Answer.GRANTED,
                now,
                method,
                request_id,
                ip_network,
            )
            request.status = Status.GRANTED
            request.answered_at = now
            request.save(update_fields=["status", "answered_at", "attribution_style"])
            log(instance=testimonial, action="moderation.testimonial.consent_granted")
            if request.task_state and request.task_state.status == "in_progress":
                request.task_state.approve(user=None, comment="The customer said yes.")
            notices.send_consent_confirmation(request)
        else:
            _record(
                request,
                ConsentRecord.Answer.DECLINED,
                now,
                method,
                request_id,
                ip_network,
            )
            request.status = Status.DECLINED
            request.answered_at = now
            request.save(update_fields=["status", "answered_at"])
            log(instance=testimonial, action="moderation.testimonial.consent_declined")
            if request.task_state and request.task_state.status == "in_progress":
                request.task_state.reject(user=None, comment="The customer said no.")
    return request


def withdraw(request, *, method="email link", request_id="", ip_network=""):
    """As easy as saying yes: unpublish at once, record it, tell the editors."""
    with transaction.atomic():
        request = ConsentRequest.objects.select_for_update().get(pk=request.pk)
        if request.status == Status.WITHDRAWN:
            return request
        _withdraw(request, method, request_id, ip_network)
        log(
            instance=request.testimonial,
            action="moderation.testimonial.consent_withdrawn",
        )
        notices.tell_editors_about_withdrawal(request.testimonial)
    return request


def take_down_for_erasure(testimonial, *, user=None):
    """The customer asked for their data to be erased. Their consent ends as
    with a withdrawal (recorded, off the site at once, nothing scheduled); a
    request they have not answered is cancelled with its workflow, so its link
    says so; the editors are told. Neither the log entry nor the notice carries
    the address or the words: the caller empties the testimonial next.
    ``user`` is the editor erasing, or None for the person or a command."""
    if user is not None and not user.has_perm(MANAGE_PERSONAL_DATA):
        raise PermissionDenied
    with transaction.atomic():
        testimonial = Testimonial.objects.select_for_update().get(pk=testimonial.pk)
        was_live = testimonial.live
        if workflow_state := testimonial.current_workflow_state:
            workflow_state.cancel(user=user)
        standing = list(
            testimonial.consent_requests.select_for_update().filter(
                status__in=[Status.AWAITING, Status.GRANTED]
            )
        )
        cancelled = sum(request.status == Status.AWAITING for request in standing)
        for request in standing:
            _withdraw(request, ERASURE)
        _take_down(testimonial)
        if not (was_live or workflow_state or standing):
            return False
        log(
            instance=testimonial,
            action="moderation.testimonial.take_down",
            user=user,
            data={"unpublished": was_live, "requests_cancelled": cancelled},
        )
        notices.tell_editors_about_erasure(
            testimonial, unpublished=was_live, cancelled=bool(cancelled)
        )
    return True


def _withdraw(request, method, request_id="", ip_network=""):
    """Consent ends: recorded, and the testimonial taken down. ``request`` is
    locked by the caller."""
    _record(
        request,
        ConsentRecord.Answer.WITHDRAWN,
        timezone.now(),
        method,
        request_id,
        ip_network,
    )
    request.status = Status.WITHDRAWN
    request.save(update_fields=["status"])
    _take_down(request.testimonial)


def _take_down(testimonial):
    """Off the site at once, and nothing scheduled may bring it back."""
    if testimonial.live:
        testimonial.unpublish(log_action=False)
    testimonial.revisions.filter(approved_go_live_at__isnull=False).update(
        approved_go_live_at=None
    )


def forget_customer(testimonial):
    """Retention (Settings → Moderation): the customer's address goes from the
    testimonial and from every revision. Nothing else changes: what they agreed
    to stands, and the withdrawal link in their email still works. Not while a
    request waits for their answer: that still needs the address."""
    with transaction.atomic():
        testimonial = Testimonial.objects.select_for_update().get(pk=testimonial.pk)
        if testimonial.consent_requests.filter(status=Status.AWAITING).exists():
            return False
        Testimonial.objects.filter(pk=testimonial.pk).update(customer_email="")
        for revision in testimonial.revisions.only("content"):
            if revision.content.get("customer_email"):
                content = {**revision.content, "customer_email": ""}
                testimonial.revisions.filter(pk=revision.pk).update(content=content)
        log(instance=testimonial, action="moderation.testimonial.forget_customer")
    return True


def _record(request, answer_value, when, method, request_id, ip_network):
    """The evidence: exactly what the customer saw, and how they answered."""
    ConsentRecord.objects.create(
        testimonial=request.testimonial,
        consent_request=request,
        revision=request.revision,
        quote=request.quote,
        attribution=request.attribution,
        content_hash=content_hash(request.quote, request.attribution),
        answer=answer_value,
        answered_at=when,
        method=method,
        request_id=request_id,
        ip_network=ip_network,
    )


def expire(request):
    """No answer in time: the step is rejected and the editors are told."""
    with transaction.atomic():
        request = ConsentRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != Status.AWAITING:
            return request
        _record(request, ConsentRecord.Answer.EXPIRED, timezone.now(), "expiry", "", "")
        request.status = Status.EXPIRED
        request.save(update_fields=["status"])
        if request.task_state and request.task_state.status == "in_progress":
            request.task_state.reject(user=None, comment="No answer in time.")
        log(
            instance=request.testimonial,
            action="moderation.testimonial.consent_expired",
        )
        notices.tell_editors_about_expiry(request.testimonial)
    return request


def remind(request):
    """One reminder, with a fresh link (the first one stops working)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        updated = ConsentRequest.objects.filter(
            pk=request.pk, status=Status.AWAITING, reminded_at__isnull=True
        ).update(reminded_at=timezone.now(), token_hash=tokens.hash_link(token))
        if updated:
            notices.send_permission_request(
                request, request.testimonial.customer_email, token, reminder=True
            )
            log(instance=request.testimonial, action="moderation.testimonial.remind")
    return bool(updated)


def send_reminders_and_expire(now=None):
    """Celery beat, daily: remind after N days, expire after M days."""
    now = now or timezone.now()
    awaiting = ConsentRequest.objects.filter(status=Status.AWAITING).select_related(
        "testimonial"
    )
    policy = ModerationSettings.for_site(Site.objects.get(is_default_site=True))
    expiry = datetime.timedelta(days=policy.consent_expiry_days)
    reminder = datetime.timedelta(days=policy.consent_reminder_days)
    counts = {"reminded": 0, "expired": 0}
    for request in awaiting.filter(created_at__lte=now - expiry):
        expire(request)
        counts["expired"] += 1
    for request in awaiting.filter(
        created_at__lte=now - reminder, reminded_at__isnull=True
    ):
        counts["reminded"] += remind(request)
    return counts
