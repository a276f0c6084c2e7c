"""Emails about testimonials, all through the outbox."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ..emails import absolute_url, send_templated_email
from ..permissions import CHANGE_TESTIMONIAL, addresses_of_holders


def send_permission_request(request, email, token, *, reminder=False):
    subject = (
        _("Reminder: may we publish your words?")
        if reminder
        else _("May we publish your words?")
    )
    send_templated_email(
        "moderation/emails/testimonial_permission",
        to=email,
        subject=subject,
        context={
            "quote": request.quote,
            "attribution": request.attribution,
            "answer_url": absolute_url(
                reverse("moderation:testimonial_answer", args=[token])
            ),
            "reminder": reminder,
        },
    )


def send_consent_confirmation(request):
    send_templated_email(
        "moderation/emails/testimonial_confirmed",
        to=request.testimonial.customer_email,
        subject=_("Thank you: your words will be published"),
        context={
            "quote": request.quote,
            "attribution": request.attribution,
            "withdraw_url": absolute_url(
                reverse(
                    "moderation:testimonial_withdraw", args=[request.withdraw_token()]
                )
            ),
        },
    )


def _tell_editors(template, subject, context):
    """Who hears about a testimonial: the people who can act on it, i.e. edit
    testimonials. Comment moderators are not among them unless they can."""
    recipients = addresses_of_holders(CHANGE_TESTIMONIAL)
    if recipients:
        send_templated_email(template, to=recipients, subject=subject, context=context)


def tell_editors_about_withdrawal(testimonial):
    _tell_editors(
        "moderation/emails/testimonial_withdrawn",
        _("A customer withdrew permission for a testimonial"),
        {"testimonial": testimonial},
    )


def tell_editors_about_expiry(testimonial):
    _tell_editors(
        "moderation/emails/testimonial_expired",
        _("A permission request expired without an answer"),
        {"testimonial": testimonial},
    )


def tell_editors_about_called_off_schedule(testimonial):
    _tell_editors(
        "moderation/emails/testimonial_schedule_called_off",
        _("A scheduled testimonial was not published"),
        {"testimonial": testimonial},
    )


def tell_editors_about_erasure(testimonial, *, unpublished, cancelled):
    """By number, not by its words or name: those are being erased."""
    _tell_editors(
        "moderation/emails/testimonial_taken_down",
        _(
            "A testimonial was taken down: the customer asked for their data to be erased"
        ),
        {
            "number": testimonial.pk,
            "unpublished": unpublished,
            "cancelled": cancelled,
            "history_url": absolute_url(
                reverse(
                    "wagtailsnippets_moderation_testimonial:history",
                    args=[testimonial.pk],
                )
            ),
        },
    )
