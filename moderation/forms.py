"""Public forms are signed: a hidden timestamp and a ``salted_hmac`` over the
page (and any other hidden ids) and the timestamp, compared with
``constant_time_compare``, plus a honeypot. Modelled on django-contrib-comments'
``CommentSecurityForm``."""

import time

from django import forms
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from .conf import setting
from .privacy import shown_name


class SignedForm(forms.Form):
    hash_salt = None  # one per kind of form
    signed_fields = ("page",)  # hidden ids covered by the hash, besides the timestamp

    # Honeypot: hidden from people by CSS; bots fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    page = forms.IntegerField(widget=forms.HiddenInput)
    timestamp = forms.IntegerField(widget=forms.HiddenInput)
    security_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, data=None, *, page, signed_initial=None, **kwargs):
        self.target_page = page
        super().__init__(data, **kwargs)
        if data is None:
            self.initial.update(self.security_data(signed_initial or {}))

    def security_data(self, values, timestamp=None):
        values = {**values, "page": self.target_page.pk}
        timestamp = int(timestamp or time.time())
        signed = [values.get(name) or "" for name in self.signed_fields]
        return {
            **{name: values.get(name) or "" for name in self.signed_fields},
            "timestamp": timestamp,
            "security_hash": self.make_signature(*signed, timestamp),
        }

    @classmethod
    def make_signature(cls, *values):
        value = "-".join(str(v) for v in values)
        return salted_hmac(cls.hash_salt, value, algorithm="sha256").hexdigest()

    def is_tampered(self):
        """True if a hidden field was changed: the caller answers 400, not the form."""
        data = self.data
        try:
            values = [
                int(data[name]) if data.get(name) else "" for name in self.signed_fields
            ]
            timestamp = int(data.get("timestamp", ""))
        except (TypeError, ValueError):
            return True
        if values[0] != self.target_page.pk:
            return True
        expected = self.make_signature(*values, timestamp)
        return not constant_time_compare(expected, data.get("security_hash", ""))

    def is_honeypot_filled(self):
        return bool(self.data.get("website"))

    def refresh_security_data(self):
        """Give a re-displayed form a fresh timestamp, keeping what was typed."""
        data = self.data.copy()
        data.update(
            self.security_data({name: data.get(name) for name in self.signed_fields})
        )
        self.data = data

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

    def top_errors(self):
        """Errors to show above the form: the form's own and its hidden fields'."""
        errors = list(self.non_field_errors())
        for field in self.hidden_fields():
            errors += field.errors
        return errors


def clean_person_name(value, message):
    """A name typed into a public form, as others will see it."""
    name = " ".join(shown_name(value).split())
    if not name:
        raise ValidationError(message)
    return name
