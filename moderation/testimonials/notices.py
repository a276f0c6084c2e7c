"""Emails about testimonials, all through the outbox."""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Site

from ..comments.digest import moderator_emails
from ..emails import send_templated_email


def site_url(path):
    site = Site.objects.filter(is_default_site=True).first()
    return (site.root_url if site else "").rstrip("/") + path


def send_permission_request(request, email, token, *, reminder=False):
    subject = (
        _("Reminder: may we publish your words?")
        if reminder
        else _("May we publish your words?")
    )
    send_templated_email(
        "testimonial_permission",
        to=email,
        subject=subject,
        context={
            "quote": request.quote,
            "attribution": request.attribution,
            "answer_url": site_url(
                reverse("moderation:testimonial_answer", args=[token])
            ),
            "reminder": reminder,
        },
    )


def send_consent_confirmation(request):
    from .actions import withdraw_token

    send_templated_email(
        "testimonial_confirmed",
        to=request.testimonial.customer_email,
        subject=_("Thank you: your words will be published"),
        context={
            "quote": request.quote,
            "attribution": request.attribution,
            "withdraw_url": site_url(
                reverse(
                    "moderation:testimonial_withdraw", args=[withdraw_token(request)]
                )
            ),
        },
    )


def tell_editors_about_withdrawal(testimonial):
    recipients = moderator_emails()
    if recipients:
        send_templated_email(
            "testimonial_withdrawn",
            to=recipients,
            subject=_("A customer withdrew permission for a testimonial"),
            context={"testimonial": testimonial},
        )


def tell_editors_about_expiry(testimonial):
    recipients = moderator_emails()
    if recipients:
        send_templated_email(
            "testimonial_expired",
            to=recipients,
            subject=_("A permission request expired without an answer"),
            context={"testimonial": testimonial},
        )


def tell_editors_about_called_off_schedule(testimonial):
    recipients = moderator_emails()
    if recipients:
        send_templated_email(
            "testimonial_schedule_called_off",
            to=recipients,
            subject=_("A scheduled testimonial was not published"),
            context={"testimonial": testimonial},
        )
