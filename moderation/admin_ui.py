"""Small pieces shared by our Wagtail admin screens: buttons that POST, dates,
and the private addresses (masked everywhere, revealed one at a time and logged). The
viewsets they sit in start from ``admin_doors.py``."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import get_template
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.compare import FieldComparison, TextDiff
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.fields import BaseFieldDisplay
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import HeaderButton

from .compat import policy_registry
from .privacy import mask_email, reveal_email


def post_button(label, url, icon, button_class=HeaderButton, key=""):
    """A button whose action changes state, so it POSTs (Wagtail's w-action
    controller); ``key``, if given, presses it (Wagtail's w-kbd controller)."""
    attrs = {
        "data-controller": "w-action",
        "data-action": "w-action#post",
        "data-w-action-url-value": url,
    }
    return button_class(label, url=url, icon_name=icon, attrs=with_key(attrs, key))


def link_button(label, url, icon, key=""):
    """A header link, pressed by ``key`` if given (Wagtail's w-kbd controller)."""
    return HeaderButton(label, url=url, icon_name=icon, attrs=with_key({}, key))


def with_key(attrs, key):
    if not key:
        return attrs
    controllers = " ".join(filter(None, [attrs.get("data-controller"), "w-kbd"]))
    return {**attrs, "data-controller": controllers, "aria-keyshortcuts": key}


# Dates: one format on every screen we own ---------------------------------------


class AdminDate(BaseFieldDisplay):
    """Wagtail's human-readable date ("3 hours ago", the exact time in a
    tooltip), as its listings' ``DateColumn`` shows: our templates use the same
    ``human_readable_date`` tag."""

    template_name = "moderation/admin/date.html"


class AdminDatesInspectMixin:
    """For an inspect view: date-and-time fields as ``AdminDate``, not Django's
    default format."""

    def get_field_display_value(self, field_name, field):
        if isinstance(field, models.DateTimeField):
            value = getattr(self.object, field_name)
            return AdminDate(value) if value else "-"
        return super().get_field_display_value(field_name, field)


# Private addresses (promise 1 in docs/design.md) ------------------------------


def addresses(value):
    """An address field's value as a list: one address, or a list (recipients)."""
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def masked(value):
    return ", ".join(mask_email(address) for address in addresses(value))


class PrivateAddress:
    """Where a model keeps a private email address, and how the admin shows it.

    Masked for everyone in listings, exports, forms and revision comparisons.
    Whole only on the object's inspect page, to a user with ``permission``, after
    they press "Reveal" (a POST): ``privacy.reveal_email`` writes a log entry (who,
    whose, when) and the session remembers the reveal for that one object.
    Comments, feedback and testimonials all use this one mechanism.
    """

    SESSION_KEY = "moderation_revealed_emails"
    REMEMBERED = 50  # reveals kept in the session, most recent last

    def __init__(self, field, *, permission, log_action, url_namespace):
        self.field = field
        self.permission = permission
        self.log_action = log_action
        self.url_name = f"{url_namespace}:reveal_email"
        self.inspect_url_name = f"{url_namespace}:inspect"

    def address(self, obj):
        return ", ".join(addresses(getattr(obj, self.field)))

    def masked(self, obj):
        return masked(getattr(obj, self.field))

    def may_see(self, user):
        return user.has_perm(self.permission)

    def _key(self, obj):
        return f"{obj._meta.label_lower}:{obj.pk}"

    def is_revealed(self, request, obj):
        # The permission is checked again: it may have been taken away since.
        return self.may_see(request.user) and self._key(obj) in request.session.get(
            self.SESSION_KEY, []
        )

    def reveal(self, request, obj):
        """Log the reveal and remember it; PermissionDenied without the permission."""
        reveal_email(
            obj,
            request.user,
            field=self.field,
            permission=self.permission,
            action=self.log_action,
        )
        remembered = [
            key
            for key in request.session.get(self.SESSION_KEY, [])
            if isinstance(key, str) and key != self._key(obj)
        ]
        remembered.append(self._key(obj))
        request.session[self.SESSION_KEY] = remembered[-self.REMEMBERED :]

    def inspect_value(self, request, obj):
        """The inspect page's value: the masked address and a "Reveal" button."""
        return PrivateAddressValue(self, request, obj)

    def reveal_view(self, model):
        """The POST behind the "Reveal" button on ``model``'s inspect page."""

        @require_POST
        def view(request, pk):
            policy = policy_registry.get_by_type(model)
            if not policy.user_has_any_permission(request.user, ["view", "change"]):
                raise PermissionDenied
            obj = get_object_or_404(model, pk=pk)
            self.reveal(request, obj)
            return redirect(self.inspect_url_name, pk)

        return view

    def url_pattern(self, model):
        return path("reveal/<int:pk>/", self.reveal_view(model), name="reveal_email")


class PrivateAddressValue(Component):
    template_name = "moderation/admin/private_address.html"

    def __init__(self, private, request, obj):
        self.private, self.request, self.obj = private, request, obj

    def get_context_data(self, parent_context=None):
        private, obj = self.private, self.obj
        revealed = private.is_revealed(self.request, obj)
        can_reveal = (
            not revealed and private.may_see(self.request.user) and private.address(obj)
        )
        return {
            "value": private.address(obj) if revealed else private.masked(obj),
            "revealed": revealed,
            "reveal_url": reverse(private.url_name, args=[obj.pk])
            if can_reveal
            else "",
            "help_id": f"reveal-help-{private.field}",
        }

    def render_html(self, parent_context=None):
        template = get_template(self.template_name)
        return template.render(self.get_context_data(parent_context), self.request)


class PrivateAddressInspectMixin:
    """For an inspect view: the private address field shows masked, with "Reveal"."""

    private_address = None  # a PrivateAddress

    def get_field_display_value(self, field_name, field):
        if field_name == self.private_address.field:
            return self.private_address.inspect_value(self.request, self.object)
        return super().get_field_display_value(field_name, field)


class PrivateAddressIndexMixin:
    """For an index view: the address is masked in exports too, and a search
    looks at it only for users who may see it (or a search would tell them)."""

    private_address = None  # a PrivateAddress
    public_search_fields = []

    @property
    def search_fields(self):
        fields = list(self.public_search_fields)
        if self.private_address.may_see(self.request.user):
            fields.append(self.private_address.field)
        return fields

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        if self.private_address.field in row:
            row[self.private_address.field] = self.private_address.masked(item)
        return row


class MaskedEmailColumn(Column):
    """Masked for everyone: the whole address is a logged "Reveal" away, on the
    inspect page."""

    def get_value(self, instance):
        return masked(super().get_value(instance))


# In edit forms: write-only ------------------------------------------------------


class MaskedEmailComparison(FieldComparison):
    """Revision comparisons say the address changed, masked on both sides."""

    def htmldiff(self):
        before, after = (
            mask_email(value) if value else "" for value in (self.val_a, self.val_b)
        )
        if self.has_changed():
            return TextDiff([("deletion", before), ("addition", after)]).to_html()
        return escape(before)


class PrivateEmailPanel(FieldPanel):
    """An address field that is write-only in the form: the page never carries
    the stored address (it is shown masked, as a hint); left empty, it is kept;
    typed in, it replaces the stored one. Needs ``PrivateFieldsForm`` as the
    model's ``base_form_class``."""

    def get_form_options(self):
        options = super().get_form_options()
        options["write_only_fields"] = [self.field_name]
        return options

    def get_comparison_class(self):
        return MaskedEmailComparison


class PrivateFieldsForm(WagtailAdminModelForm):
    """Keeps the fields of ``PrivateEmailPanel`` write-only (see there)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.write_only_fields:
            field = self.fields[name]
            stored = self.initial.pop(name, "") or ""
            field.initial = None
            if stored:
                masked = mask_email(stored)
                field.required = False
                field.widget.attrs["placeholder"] = masked
                field.help_text = _(
                    "On file: %(masked)s (hidden). Leave empty to keep it, or type "
                    "a new address to replace it. %(help)s"
                ) % {"masked": masked, "help": field.help_text}

    @property
    def write_only_fields(self):
        names = getattr(self.Meta, "write_only_fields", [])
        return [name for name in names if name in self.fields]

    def clean(self):
        cleaned_data = super().clean()
        for name in self.write_only_fields:
            if name in cleaned_data and not cleaned_data[name]:
                cleaned_data[name] = getattr(self.instance, name)
        return cleaned_data
