"""Moderation policy editors change in the Wagtail admin (Settings → Moderation).

https://docs.wagtail.org/en/stable/reference/contrib/settings.html
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="tasks")
class ModerationSettings(BaseSiteSetting):
    require_email_confirmation = models.BooleanField(
        verbose_name=_("confirm guests' email addresses"),
        default=True,
        help_text=_(
            "Recommended. A guest's first comment waits until they click a link sent "
            "to their address, so nobody can comment in someone else's name."
        ),
    )

    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy policy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Linked from every comment and feedback form, next to the email field."
        ),
    )

    class Meta:
        verbose_name = _("moderation")
