from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..addresses import EmailAddressField
from ..forms import SignedForm, clean_person_name
from .consent import Attribution


class FeedbackForm(SignedForm):
    hash_salt = "moderation.feedback.form"

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = EmailAddressField(
        label=_("Email"),
        max_length=254,
        help_text=_("Never published. We may write to ask before quoting you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = forms.CharField(
        label=_("Your feedback"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Please write something before sending.")},
    )
    rating = forms.TypedChoiceField(
        label=_("Rating (optional)"),
        choices=[("", _("No rating"))] + [(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    order_reference = forms.CharField(
        label=_("Order reference (optional)"), max_length=50, required=False
    )

    field_order = ["name", "email", "body", "rating", "order_reference", "website"]

    def clean_name(self):
        return clean_person_name(
            self.cleaned_data["name"], _("Please tell us your name.")
        )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(_("Please write something before sending."))
        return body


class ConsentAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])
    attribution_style = forms.ChoiceField(choices=Attribution.choices, required=False)
