"""Emails the site writes, rendered from ``<template>.txt`` and ``<template>.html``.

The app's own are ``moderation/emails/<name>`` (in ``moderation/templates/``), so a
host overrides one by putting a template of the same path in its own templates.

Sending goes through Django's mail API, and so through the outbox
(``EMAIL_BACKEND``): call this inside the transaction that decided to send, and
the email goes out if, and only if, that transaction commits.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from wagtail.models import Site

from .conf import setting
from .sanitize import replace_what_html_cannot_carry


def send_templated_email(
    template, *, to, subject, context=None, headers=None, reply_to=None
):
    context = {"subject": subject, "site_name": site_name(), **(context or {})}
    message = EmailMultiAlternatives(
        subject=str(subject),
        body=render_text(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to] if isinstance(to, str) else list(to),
        headers=headers or {},
        reply_to=reply_to or [],
    )
    # The words people typed (a quote, a name) may hold control characters.
    html = replace_what_html_cannot_carry(render_to_string(f"{template}.html", context))
    message.attach_alternative(html, "text/html")
    message.send()
    return message


def render_text(template_name, context):
    """Render a plain-text template without HTML escaping: "<Ann>" stays "<Ann>"."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def site_name():
    """Who the emails are from: ``MODERATION_SITE_NAME``, else the default Wagtail
    site's name, else ``WAGTAIL_SITE_NAME``."""
    name = setting("SITE_NAME")
    if not name:
        site = Site.objects.filter(is_default_site=True).only("site_name").first()
        name = (site and site.site_name) or getattr(settings, "WAGTAIL_SITE_NAME", "")
    return name
