from django import forms
from django.utils.translation import gettext_lazy as _

from ..addresses import EmailAddressField
from .records import CommentChoice


class AskForm(forms.Form):
    email = EmailAddressField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "We send a link to this address; only its owner can use it. It works "
            "once, for a day."
        ),
    )
    # Honeypot: hidden from people by CSS; bots fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)


class EraseForm(forms.Form):
    comments = forms.ChoiceField(
        label=_("Your comments"),
        choices=CommentChoice.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Kept: the text stays on the page, signed “Deleted user”, and nothing "
            "links it to you. Removed: the text goes; where others replied, a "
            "“deleted” note keeps their replies in place."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick this box to erase your data.")},
    )
