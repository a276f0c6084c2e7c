from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonalDataAction(models.Model):
    """One export or erasure of a person's data. Kept as the record that it
    happened, so it never holds the address it was about."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASE = "erase", _("Erasure")

    class Source(models.TextChoices):
        ADMIN = "admin", _("An editor, in the admin")
        COMMAND = "command", _("A management command")
        SELF_SERVICE = "self", _("The person, from an emailed link")

    kind = models.CharField(verbose_name=_("what"), max_length=10, choices=Kind.choices)
    source = models.CharField(
        verbose_name=_("asked by"), max_length=10, choices=Source.choices
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.JSONField(
        verbose_name=_("records"),
        default=dict,
        help_text=_("How many records of each kind were exported or erased."),
    )
    # A self-service link works once: the hash of its token is unique here.
    link_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(verbose_name=_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["link_hash"],
                condition=~models.Q(link_hash=""),
                name="personal_data_link_used_once",
            )
        ]
        permissions = [
            ("manage_personal_data", _("Can export and erase a person's data"))
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def total(self):
        return sum(self.summary.values())
