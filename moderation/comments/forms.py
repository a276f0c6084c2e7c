"""The public comment form: signed against tampering, with a honeypot.

Modelled on django-contrib-comments' ``CommentSecurityForm``: a hidden timestamp
and a ``salted_hmac`` over page, parent and timestamp.
"""

import time

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from ..conf import setting
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


class CommentForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=50,
        help_text=_("Shown next to your comment."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
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
    # Honeypot: hidden from people by CSS; bots fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    page = forms.IntegerField(widget=forms.HiddenInput)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    timestamp = forms.IntegerField(widget=forms.HiddenInput)
    security_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, data=None, *, page, user=None, parent=None, **kwargs):
        self.target_page = page
        self.user = user if user is not None and user.is_authenticated else None
        self.parent_comment = None
        super().__init__(data, **kwargs)
        self.fields["body"].apply_length_limit()
        if self.user:
            # A signed-in user comments under their username and account email.
            del self.fields["name"]
            del self.fields["email"]
        for name, field in self.fields.items():
            if not field.widget.is_hidden:
                field.widget.attrs["aria-describedby"] = (
                    f"id_{name}-help id_{name}-error"
                )
        if data is None:
            self.initial.update(self.security_data(parent.pk if parent else None))

    # Security: the hidden fields ------------------------------------------------

    def security_data(self, parent_id, timestamp=None):
        timestamp = int(timestamp or time.time())
        return {
            "page": self.target_page.pk,
            "parent": parent_id or "",
            "timestamp": timestamp,
            "security_hash": self.make_hash(self.target_page.pk, parent_id, timestamp),
        }

    @staticmethod
    def make_hash(page_id, parent_id, timestamp):
        value = f"{page_id}-{parent_id or ''}-{timestamp}"
        return salted_hmac(
            "moderation.comments.form", value, algorithm="sha256"
        ).hexdigest()

    def is_tampered(self):
        """True if a hidden field was changed: the caller answers 400, not the form."""
        data = self.data
        try:
            page_id = int(data.get("page", ""))
            parent_id = int(data["parent"]) if data.get("parent") else None
            timestamp = int(data.get("timestamp", ""))
        except (TypeError, ValueError):
            return True
        if page_id != self.target_page.pk:
            return True
        expected = self.make_hash(page_id, parent_id, timestamp)
        return not constant_time_compare(expected, data.get("security_hash", ""))

    def is_honeypot_filled(self):
        return bool(self.data.get("website"))

    def refresh_security_data(self):
        """Give a re-displayed form a fresh timestamp, keeping what was typed."""
        data = self.data.copy()
        data.update(self.security_data(self.data.get("parent") or None))
        self.data = data

    # Validation -----------------------------------------------------------------

    def clean_timestamp(self):
        timestamp = self.cleaned_data["timestamp"]
        age = time.time() - timestamp
        if age > setting("COMMENT_FORM_MAX_AGE") or age < -60:
            raise ValidationError(
                _(
                    "This form is too old or comes from the future. "
                    "Your text is still here: please send it again."
                ),
                code="stale",
            )
        return timestamp

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Please give a name to show next to your comment."))
        return name

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

    def top_errors(self):
        """Errors to show above the form: the form's own and its hidden fields'."""
        errors = list(self.non_field_errors())
        for field in self.hidden_fields():
            errors += field.errors
        return errors

    @property
    def author_name(self):
        return self.user.get_username() if self.user else self.cleaned_data["name"]

    @property
    def author_email(self):
        return self.user.email if self.user else self.cleaned_data["email"]
