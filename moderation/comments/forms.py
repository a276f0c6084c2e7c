"""The public comment form: signed against tampering, with a honeypot.

Modelled on django-contrib-comments' ``CommentSecurityForm``: a hidden timestamp
and a ``salted_hmac`` over page, parent and timestamp.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from ..addresses import EmailAddressField
from ..conf import setting
from ..forms import SignedForm, clean_person_name
from ..permissions import MODERATE_COMMENTS
from ..privacy import public_name, site_signature
from ..sanitize import count_links, sanitize
from .models import Comment


def clean_body(body):
    """The text and its sanitised HTML, or a ValidationError saying what to fix."""
    body = body.strip()
    if not body:
        raise ValidationError(_("Please write something before sending."))
    html = sanitize(body)
    limit = setting("COMMENT_MAX_LINKS")
    if count_links(html) > limit:
        raise ValidationError(
            _("Please use at most %(limit)s links in a comment.") % {"limit": limit}
        )
    return body, html


class BodyField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Comment"),
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text=_(
                "Plain text. Blank lines start paragraphs; links, <em>, <strong>, "
                "<code>, <blockquote> and lists are kept."
            ),
            error_messages={"required": _("Please write something before sending.")},
            **kwargs,
        )

    def apply_length_limit(self):
        """Read at form time, not import time, so the setting can change."""
        self.max_length = setting("COMMENT_MAX_LENGTH")
        self.validators = [*self.validators, MaxLengthValidator(self.max_length)]
        self.widget.attrs["maxlength"] = self.max_length


class EditCommentForm(forms.Form):
    body = BodyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].apply_length_limit()

    def clean_body(self):
        body, self.body_html = clean_body(self.cleaned_data["body"])
        return body


class CommentForm(SignedForm):
    hash_salt = "moderation.comments.form"
    signed_fields = ("page", "parent")

    name = forms.CharField(
        label=_("Name"),
        max_length=50,
        help_text=_("Shown next to your comment."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = EmailAddressField(
        label=_("Email"),
        max_length=254,
        help_text=_(
            "Never published. We use it only to confirm your comment "
            "and for the notices you ask for."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = BodyField()
    notify_on_approval = forms.BooleanField(
        label=_("Email me when my comment is published"), required=False
    )
    notify_on_reply = forms.BooleanField(
        label=_("Email me about replies"), required=False
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = [
        "name",
        "email",
        "body",
        "notify_on_approval",
        "notify_on_reply",
        "website",
    ]

    def __init__(self, data=None, *, page, user=None, parent=None, **kwargs):
        self.user = user if user is not None and user.is_authenticated else None
        self.parent_comment = None
        super().__init__(
            data,
            page=page,
            signed_initial={"parent": parent.pk if parent else None},
            **kwargs,
        )
        self.fields["body"].apply_length_limit()
        if self.user:
            # A signed-in user comments under their username and account email.
            del self.fields["name"]
            del self.fields["email"]

    @classmethod
    def make_hash(cls, page_id, parent_id, timestamp):
        return cls.make_signature(page_id, parent_id or "", timestamp)

    def clean_name(self):
        return clean_person_name(
            self.cleaned_data["name"],
            _("Please give a name to show next to your comment."),
        )

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_body(self):
        body, self.body_html = clean_body(self.cleaned_data["body"])
        return body

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = Comment.objects.filter(
            pk=parent_id, page_id=self.target_page.pk
        ).first()
        if parent is None or parent.status != Comment.Status.APPROVED:
            raise ValidationError(
                _("You can only reply to a published comment on this page."),
                code="parent",
            )
        if parent.depth + 1 > setting("COMMENT_MAX_DEPTH"):
            raise ValidationError(_("This conversation is too deep for another reply."))
        self.parent_comment = parent
        return parent_id

    @property
    def author_name(self):
        """A moderator's comment is from the site (see ``submit_comment``), and
        signed as the site's replies are."""
        if self.user is None:
            return self.cleaned_data["name"]
        if self.user.has_perm(MODERATE_COMMENTS):
            return site_signature(self.user)
        return public_name(self.user)

    @property
    def author_email(self):
        return self.user.email if self.user else self.cleaned_data["email"]
