"""Emails the site writes, rendered from ``<template>.txt`` and ``<template>.html``.

The app's own are ``moderation/emails/<name>`` (in ``moderation/templates/``), so a
host overrides one by putting a template of the same path in its own templates.

Sending goes through Django's mail API, and so through the outbox
(``EMAIL_BACKEND``): call this inside the transaction that decided to send, and
the email goes out if, and only if, that transaction commits.
"""

from email.utils import formataddr, parseaddr

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
    reach = contact(absolute=True)
    context = {
        "subject": subject,
        "site_name": site_name(),
        "contact": reach,
        **(context or {}),
    }
    message = EmailMultiAlternatives(
        subject=str(subject),
        body=render_text(f"{template}.txt", context),
        from_email=from_address(),
        to=[to] if isinstance(to, str) else list(to),
        headers=headers or {},
        reply_to=reply_to or ([reach["email"]] if reach["email"] else []),
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


def absolute_url(path, site=None):
    """``path`` on ``site`` (the default site when None), for a link in an email:
    it starts with the site's address as set in Settings → Sites, never with
    whatever host a request named."""
    site = site or Site.objects.filter(is_default_site=True).first()
    return (site.root_url if site else "").rstrip("/") + path


def site_name(request=None):
    """Who the emails and pages are from: ``MODERATION_SITE_NAME``, else the
    name of the request's Wagtail site (the default site without a request),
    else ``WAGTAIL_SITE_NAME``."""
    name = setting("SITE_NAME")
    if not name:
        if request is not None:
            site = Site.find_for_request(request)
        else:
            site = Site.objects.filter(is_default_site=True).only("site_name").first()
        name = (site and site.site_name) or getattr(settings, "WAGTAIL_SITE_NAME", "")
    return name


def from_address():
    """``DEFAULT_FROM_EMAIL``'s address under the shop's name, so the customer
    sees who writes: "Harbour & Hearth <noreply@…>"."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((site_name() or name, address)) if address else ""


def contact(request=None, *, absolute=False):
    """How people reach the shop: ``email`` (``MODERATION_REPLY_TO_EMAIL``) and
    ``url`` (``MODERATION_CONTACT_URL``; a path made absolute for an email),
    either None when not set, and the shop's ``site_name``."""
    url = setting("CONTACT_URL")
    if url and absolute and url.startswith("/"):
        url = absolute_url(url)
    return {
        "email": setting("REPLY_TO_EMAIL") or None,
        "url": url or None,
        "site_name": site_name(request),
    }
