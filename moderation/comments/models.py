import html
import re

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from ..addresses import normalize, validate_deliverable
from ..privacy import shown_name


class PublicNameField(models.CharField):
    """A name others see, always as ``shown_name`` makes it: cleaned when
    written and again when read, so rows written before the rule are safe too."""

    def from_db_value(self, value, expression, connection):
        return shown_name(value) if value else value

    def pre_save(self, model_instance, add):
        value = shown_name(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):  # update() and lookups
        value = super().get_prep_value(value)
        return shown_name(value) if value else value


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def for_page(self, page):
        return self.filter(page_id=page.pk)

    def visible(self):
        """Shown on the page: approved, or deleted but kept as a placeholder."""
        return self.filter(status__in=[Comment.Status.APPROVED, Comment.Status.DELETED])


class Comment(models.Model):
    """What someone wrote under a page. The email address is never shown publicly."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for email confirmation")
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Published")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")
        DELETED = "deleted", _("Deleted by its author")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="moderation_comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    thread = models.ForeignKey(
        "self",
        verbose_name=_("thread"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The top-level comment this reply belongs to (empty for one)."),
    )
    depth = models.PositiveSmallIntegerField(verbose_name=_("depth"), default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed-in user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    author_name = PublicNameField(
        verbose_name=_("name"),
        max_length=50,
        help_text=_("Shown next to the comment: the username of a signed-in user."),
    )
    author_email = models.EmailField(
        verbose_name=_("email"),
        blank=True,
        validators=[validate_deliverable],
        help_text=_(
            "Never published. Used only for confirmation and the notices asked for."
        ),
    )
    body = models.TextField(verbose_name=_("text as written"))
    body_html = models.TextField(
        verbose_name=_("text as shown"),
        help_text=_(
            "The sanitised HTML that pages show; made from the text as written."
        ),
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    by_staff = models.BooleanField(
        verbose_name=_("from the site"),
        default=False,
        help_text=_("Written by an editor for the site; marked as such on the page."),
    )
    notify_on_approval = models.BooleanField(
        verbose_name=_("tell the author when published"), default=False
    )
    notify_on_reply = models.BooleanField(
        verbose_name=_("tell the author about replies"), default=False
    )
    ip_network = models.CharField(
        verbose_name=_("network"),
        max_length=50,
        blank=True,
        help_text=_("The sender's network (/24 or /48), never the full IP address."),
    )
    created_at = models.DateTimeField(
        verbose_name=_("written at"), default=timezone.now
    )
    approved_at = models.DateTimeField(
        verbose_name=_("published at"), null=True, blank=True
    )
    edited_at = models.DateTimeField(verbose_name=_("edited at"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    # A comment's link to its page is not a use of the page: without this,
    # Wagtail's reference index gets a row per comment and its "Usage" of a
    # page lists every comment (and each save costs a few more queries).
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            # A page's threads, oldest first (the article listing), read in
            # order without sorting them all.
            models.Index(
                fields=["page", "depth", "created_at", "id"],
                name="comment_page_threads_idx",
            ),
            # A page's counts, from the index alone.
            models.Index(
                fields=["page", "status", "depth", "created_at"],
                name="comment_threads_idx",
            ),
            # The replies of the threads on one listing page.
            models.Index(
                fields=["thread", "status", "created_at"], name="comment_replies_idx"
            ),
            models.Index(fields=["author_email", "status"], name="comment_email_idx"),
            # The moderation queue (newest first) without sorting every pending row.
            models.Index(fields=["status", "created_at"], name="comment_queue_idx"),
        ]
        permissions = [
            ("moderate_comment", _("Can moderate comments")),
            ("view_email_comment", _("Can see commenters' email addresses")),
        ]

    def __str__(self):
        return f"{self.author_name}: {Truncator(self.text).chars(60)}"

    @property
    def text(self):
        """What readers see, as plain text without its markup: for excerpts and
        titles, where ``<strong>`` would show as written."""
        spaced = re.sub(r"</p>|<br\s*/?>", " ", self.body_html)
        return " ".join(html.unescape(strip_tags(spaced)).split())

    @property
    def excerpt(self):
        return Truncator(self.text).chars(80) or _("(deleted)")

    @property
    def is_visible(self):
        return self.status in (self.Status.APPROVED, self.Status.DELETED)

    @property
    def initials(self):
        """For the avatar: never a hash of the email (that would publish it)."""
        words = [word for word in self.author_name.split() if word[:1].isalnum()]
        letters = "".join(word[0] for word in words[:2]) or self.author_name[:1] or "?"
        return letters.upper()

    @property
    def html(self):
        # body_html is made by sanitize.py when the comment is saved (promise 5):
        # this is the one place comment text is marked safe.
        return mark_safe(self.body_html)

    @property
    def anchor(self):
        return f"comment-{self.pk}"


class PageCommentCounts(models.Model):
    """How many comments a page shows, stored so that listing a page with 100,000
    comments costs what listing one with 10 does. Refreshed, under a row lock,
    whenever a comment becomes visible or stops being visible."""

    page = models.OneToOneField(
        "wagtailcore.Page",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    published = models.PositiveIntegerField(default=0)
    threads = models.PositiveIntegerField(
        default=0, help_text=_("Visible top-level comments: what is paginated.")
    )

    class Meta:
        verbose_name = _("comment counts of a page")
        verbose_name_plural = _("comment counts of pages")

    def __str__(self):
        return f"{self.page_id}: {self.published} published, {self.threads} threads"

    @classmethod
    def refresh(cls, page_ids):
        """Count again, for each page in ``page_ids``, in one UPDATE each."""
        with transaction.atomic(savepoint=False):
            for page_id in sorted(set(page_ids)):
                row = cls.objects.filter(page_id=page_id)
                if connection.features.has_select_for_update:
                    # Take the row first: the UPDATE's counts then see every change
                    # committed before it, so two approvals at once both count.
                    list(row.select_for_update().values_list("pk"))
                if not row.update(**_count_subqueries(page_id)):
                    cls.objects.get_or_create(page_id=page_id, defaults=_count(page_id))

    @classmethod
    def of(cls, page):
        counts = cls.objects.filter(page_id=page.pk).first()
        if counts is None:  # comments made before counting began, or in bulk
            cls.refresh([page.pk])
            counts = cls.objects.get(page_id=page.pk)
        return counts


def _counted(page_id):
    """What each count counts."""
    comments = Comment.objects.filter(page_id=page_id)
    return {
        "published": comments.filter(status=Comment.Status.APPROVED),
        "threads": comments.visible().filter(depth=0),
    }


def _count(page_id):
    return {name: rows.count() for name, rows in _counted(page_id).items()}


def _count_subqueries(page_id):
    return {
        name: Coalesce(
            Subquery(
                rows.order_by()
                .values("page_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        )
        for name, rows in _counted(page_id).items()
    }


@receiver(post_save, sender=Comment)
def _count_new_visible_comment(sender, instance, created, raw=False, **kwargs):
    # Status changes go through actions.py, which refreshes; a comment saved as
    # visible from the start (a fixture, the demo) is counted here.
    if created and not raw and instance.is_visible:
        PageCommentCounts.refresh([instance.page_id])


@receiver(post_delete, sender=Comment)
def _count_deleted_comment(sender, instance, origin=None, **kwargs):
    # Only when comments themselves are deleted: when their page is, its counts go too.
    from_comments = (
        isinstance(origin, Comment) or getattr(origin, "model", None) is Comment
    )
    if instance.is_visible and from_comments:
        PageCommentCounts.refresh([instance.page_id])


class VerifiedEmail(models.Model):
    """An address whose owner has clicked a confirmation link once."""

    email = models.EmailField(verbose_name=_("email"), unique=True)
    verified_at = models.DateTimeField(
        verbose_name=_("confirmed at"), default=timezone.now
    )

    class Meta:
        verbose_name = _("confirmed email address")
        verbose_name_plural = _("confirmed email addresses")

    def __str__(self):
        return self.email

    @classmethod
    def is_verified(cls, email):
        return cls.objects.filter(email=normalize(email)).exists()


class CommentsMixin(models.Model):
    """The one way a page type takes comments: mix this in before ``Page``.

    ::

        from moderation.models import CommentsMixin

        class RecipePage(CommentsMixin, Page):
            ...

    and in the page's template, where the comments go::

        {% load moderation_tags %}
        {% comments page %}

    The tag shows the published thread, the commenter's own waiting comments and
    the form while ``comments_open`` is ticked (and Settings → Moderation has not
    closed the page for its age); comments already published stay visible when
    it is unticked. Editors find the checkbox in the page's Settings tab (through
    ``settings_panels``); a page type with its own ``settings_panels``
    adds ``*CommentsMixin.comments_panels`` to them. Adding the mixin to an
    existing page type is a migration adding one boolean column.
    """

    comments_open = models.BooleanField(
        verbose_name=_("comments open"),
        default=True,
        help_text=_(
            "Untick to stop new comments on this page. "
            "Comments already published stay visible."
        ),
    )

    comments_panels = [FieldPanel("comments_open")]
    settings_panels = Page.settings_panels + comments_panels

    class Meta:
        abstract = True
