"""Small pieces shared by our Wagtail admin screens."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
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
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views

from .compat import RegisteredPolicyMixin, policy_registry
from .privacy import mask_email, reveal_email


def post_button(label, url, icon, button_class=HeaderButton):
    """A button whose action changes state, so it POSTs (Wagtail's w-action controller)."""
    return button_class(
        label,
        url=url,
        icon_name=icon,
        attrs={
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": url,
        },
    )


class ReadOnlyHistoryView(HistoryView):
    """Nobody changes these records, but things happen to them (an email retried,
    an address revealed): whoever may read one may read its history."""

    any_permission_required = ["view"]
    inspect_url_name = None
    header_buttons = []

    def get_edit_url(self, instance):
        # No edit screen: the breadcrumb leads back to the inspect one.
        if self.inspect_url_name:
            return reverse(self.inspect_url_name, args=[instance.pk])


class ReadOnlyViewSet(RegisteredPolicyMixin, ModelViewSet):
    """For records the site writes and people only read (and act on through
    ``extra_urlpatterns``): no add, edit, copy or delete screens."""

    inspect_view_enabled = True
    copy_view_enabled = False
    history_view_class = ReadOnlyHistoryView

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path(
                "history-results/<int:pk>/",
                self.history_results_view,
                name="history_results",
            ),
            *self.get_extra_urlpatterns(),
        ]

    def get_extra_urlpatterns(self):
        return []


# Wagtail's own doors, checked against the model's permission policy -----------
#
# Wagtail adds views around a snippet that check less than its listing does: the
# choosers check nothing, the workflow views only ask the task, and a bulk action
# shows anyone the objects they may not touch, by name. Each mixin below lets the
# model's registered permission policy decide first; ``CheckedSnippetViewSet``
# puts them all on a snippet viewset.

LISTING_PERMISSIONS = ["add", "change", "delete", "view"]  # Wagtail's IndexView's


class PolicyCheckedChooserMixin:
    """A chooser view for users who may see the model's listing, choosing only
    among what the chooser lists (``get_object_list``, which the viewset may
    narrow: the chosen views honour it too)."""

    def dispatch(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(self.model_class)
        if not policy.user_has_any_permission(request.user, LISTING_PERMISSIONS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self):
        return self.model_class._default_manager.all()

    def _valid_pks(self, pks):
        valid = []
        for pk in pks:
            try:
                valid.append(self.model_class._meta.pk.to_python(pk))
            except ValidationError:
                continue
        return valid

    def get_object(self, pk):
        if not self._valid_pks([pk]):
            raise Http404
        return self.get_object_list().get(pk=pk)

    def get_objects(self, pks):
        return self.get_object_list().filter(pk__in=self._valid_pks(pks))


class CheckedChooseView(PolicyCheckedChooserMixin, snippet_chooser.ChooseView):
    pass


class CheckedChooseResultsView(
    PolicyCheckedChooserMixin, snippet_chooser.ChooseResultsView
):
    pass


class CheckedChosenView(PolicyCheckedChooserMixin, snippet_chooser.SnippetChosenView):
    pass


class CheckedChosenMultipleView(
    PolicyCheckedChooserMixin, snippet_chooser.SnippetChosenMultipleView
):
    pass


class CheckedChooserCreateView(
    PolicyCheckedChooserMixin, snippet_chooser.SnippetCreateView
):
    def dispatch(self, request, *args, **kwargs):
        # Wagtail's view fails on a chooser with no creation form (ours have none).
        if self.get_creation_form_class() is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PolicyCheckedChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = CheckedChooseView
    choose_results_view_class = CheckedChooseResultsView
    chosen_view_class = CheckedChosenView
    chosen_multiple_view_class = CheckedChosenMultipleView
    create_view_class = CheckedChooserCreateView

    # Wagtail passes the viewset's get_object_list() to the choose views only.
    @property
    def chosen_view(self):
        return self.construct_view(
            self.inject_view_methods(self.chosen_view_class, ["get_object_list"])
        )

    @property
    def chosen_multiple_view(self):
        return self.construct_view(
            self.inject_view_methods(
                self.chosen_multiple_view_class, ["get_object_list"]
            )
        )


class EditorAccessMixin:
    """For Wagtail's workflow views of a snippet (an action, its form, the cancel
    confirmation), which otherwise answer anyone first ("not awaiting moderation",
    with the object's title) and leave the rest to the task: whoever may open
    the object's editor may use them. That is Wagtail's rule for the edit view:
    the "change" permission, or the current task letting the user in."""

    def dispatch(self, request, *args, **kwargs):
        obj, user = self.object, request.user
        policy = policy_registry.get_by_type(self.model)
        task = obj.current_workflow_task
        if not (
            policy.user_has_permission_for_instance(user, "change", obj)
            or (task and task.user_can_access_editor(obj, user))
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CheckedWorkflowActionView(EditorAccessMixin, snippet_views.WorkflowActionView):
    pass


class CheckedCollectWorkflowActionDataView(
    EditorAccessMixin, snippet_views.CollectWorkflowActionDataView
):
    pass


class CheckedConfirmWorkflowCancellationView(
    EditorAccessMixin, snippet_views.ConfirmWorkflowCancellationView
):
    pass


class CheckedWorkflowPreviewView(EditorAccessMixin, snippet_views.WorkflowPreviewView):
    pass


class PolicyCheckedBulkActionMixin:
    """For a bulk action: users the model's policy does not allow
    ``permission_policy_action`` are turned away, instead of being shown the
    objects they may not touch."""

    permission_policy_action = None

    def dispatch(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(self.model)
        if not policy.user_has_permission(request.user, self.permission_policy_action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CheckedSnippetViewSet(RegisteredPolicyMixin, snippet_views.SnippetViewSet):
    """Wagtail's snippet viewset, with the doors it opens beside the listing
    checked as above. Our snippet viewsets start from this one."""

    chooser_viewset_class = PolicyCheckedChooserViewSet
    create_template_name = "moderation/admin/snippet_create.html"
    edit_template_name = "moderation/admin/snippet_edit.html"
    workflow_action_view_class = CheckedWorkflowActionView
    collect_workflow_action_data_view_class = CheckedCollectWorkflowActionDataView
    confirm_workflow_cancellation_view_class = CheckedConfirmWorkflowCancellationView
    workflow_preview_view_class = CheckedWorkflowPreviewView


# Private addresses (promise 1 in DESIGN.md) -----------------------------------


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
