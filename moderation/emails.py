"""Emails the site writes, rendered from ``templates/emails/<name>.txt`` and ``.html``.

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


def send_templated_email(
    name, *, to, subject, context=None, headers=None, reply_to=None
):
    context = {"subject": subject, "site_name": site_name(), **(context or {})}
    message = EmailMultiAlternatives(
        subject=str(subject),
        body=render_text(f"emails/{name}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to] if isinstance(to, str) else list(to),
        headers=headers or {},
        reply_to=reply_to or [],
    )
    message.attach_alternative(
        render_to_string(f"emails/{name}.html", context), "text/html"
    )
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
