"""The public side: the feedback form, and the customer's answer and withdrawal
pages (no login: the emailed link is the key)."""

import datetime
import uuid

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import ratelimit, tokens
from ..conf import setting
from ..emails import contact, site_name
from ..rendering import layout_context, render
from ..responses import form_changed, link_expired, link_not_valid, problem, too_many
from ..settings import ModerationSettings
from . import actions
from .consent import ConsentRequest
from .forms import ConsentAnswerForm, FeedbackForm

Status = ConsentRequest.Status


def serve_feedback_page(page, request):
    form = None
    if request.method == "POST":
        network = ratelimit.client_network(request)
        if wait := ratelimit.hit("feedback-ip", network, *setting("COMMENT_RATE_IP")):
            return too_many(request, wait, page)
        form = FeedbackForm(request.POST, page=page)
        if form.is_tampered() or form.is_honeypot_filled():
            return form_changed(
                request,
                _("Nothing was saved. Reload the page and write your feedback again."),
                page,
            )
        if form.is_valid():
            actions.submit_feedback(form, page=page, ip_network=network)
            return redirect(page.url + "?sent=1")
        form.refresh_security_data()
    return TemplateResponse(
        request,
        page.template,
        layout_context(
            {
                "page": page,
                "self": page,
                "form": form or FeedbackForm(page=page),
                "sent": request.GET.get("sent") == "1",
                "privacy_url": ModerationSettings.for_request(request).privacy_url(
                    request
                ),
            }
        ),
    )


def _evidence(request):
    return {
        "request_id": request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex,
        "ip_network": ratelimit.client_network(request),
    }


def _expired(request, consent_request):
    days = ModerationSettings.for_request(request).consent_expiry_days
    return timezone.now() - consent_request.created_at > datetime.timedelta(days=days)


@require_http_methods(["GET", "POST"])
def answer(request, token):
    """The customer's yes or no to the words and name in the permission email."""
    consent_request = actions.find_request(token)
    if response := _not_awaiting(request, consent_request):
        return response
    form = ConsentAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consent_request = actions.answer(
            consent_request,
            granted=form.cleaned_data["answer"] == "yes",
            style=form.cleaned_data.get("attribution_style") or None,
            **_evidence(request),
        )
        return render(
            request,
            "moderation/testimonials/answered.html",
            {
                "consent_request": consent_request,
                "already": False,
                "withdraw_url": reverse(
                    "moderation:testimonial_withdraw",
                    args=[consent_request.withdraw_token()],
                ),
            },
        )
    return render(
        request,
        "moderation/testimonials/answer.html",
        {
            "consent_request": consent_request,
            "form": form,
            "site_name": site_name(request),
        },
    )


def _not_awaiting(request, consent_request):
    """The page for a link that can take no answer (unknown, replaced, expired,
    or answered already), or None while the request awaits one."""
    reach = _reach(request)
    if consent_request is None:
        return link_not_valid(
            request,
            _(
                "It may have been cut off when it was copied. Open it from our email "
                "again; if it still fails, tell us and we will help."
            )
            if reach
            else _(
                "It may have been cut off when it was copied. Open it from our email again."
            ),
            contact=reach,
        )
    status = consent_request.status
    if status == Status.AWAITING and _expired(request, consent_request):
        actions.expire(consent_request)
        status = Status.EXPIRED
    if status == Status.SUPERSEDED:
        return problem(
            request,
            410,
            _("This link was replaced"),
            _(
                "We sent you a newer email about these words. Please answer from that one."
            ),
        )
    if status == Status.EXPIRED:
        return link_expired(
            request,
            _(
                "Nothing will be published. If you would still like us to quote you, "
                "tell us and we will ask again."
            )
            if reach
            else _("Nothing will be published."),
            contact=reach,
        )
    if status != Status.AWAITING:
        return render(
            request,
            "moderation/testimonials/answered.html",
            {"consent_request": consent_request, "already": True},
        )
    return None


def _reach(request):
    """How the customer reaches the shop, or None when no way is set: then the
    pages promise no help they cannot point to."""
    reach = contact(request)
    return reach if reach["email"] or reach["url"] else None


@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    reach = _reach(request)
    try:
        pk = tokens.read("testimonial.withdraw", token)
    except tokens.LinkError:
        return link_not_valid(
            request,
            _(
                "Open it from our confirmation email again, or tell us and we will "
                "take your words down."
            )
            if reach
            else _("Open it from our confirmation email again."),
            contact=reach,
        )
    consent_request = (
        ConsentRequest.objects.select_related("testimonial").filter(pk=pk).first()
    )
    if consent_request is None:
        # Its testimonial was deleted: nothing of it is published any more.
        return link_not_valid(
            request,
            _(
                "There is nothing left to withdraw: these words are no longer published."
            ),
            contact=reach,
        )
    if request.method == "POST":
        actions.withdraw(consent_request, **_evidence(request))
        messages.success(
            request,
            _("Your permission is withdrawn; your words are no longer published."),
        )
        return render(
            request,
            "moderation/testimonials/withdrawn.html",
            {"consent_request": consent_request},
        )
    return render(
        request,
        "moderation/testimonials/withdraw.html",
        {"consent_request": consent_request, "site_name": site_name(request)},
    )
