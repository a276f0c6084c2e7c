"""The bases of our admin viewsets, and every door Wagtail opens beside a
listing checked against the model's registered permission policy
(``tests/test_admin_doors.py`` walks them all).

Wagtail adds views around a snippet that check less than its listing does: the
choosers check nothing, the workflow views only ask the task, and a bulk action
shows anyone the objects they may not touch, by name. Each mixin below lets the
model's policy decide first; ``CheckedSnippetViewSet`` puts them all on a
snippet viewset, and ``ReadOnlyViewSet`` opens no door but reading.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path, reverse
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views

from .compat import RegisteredPolicyMixin, policy_registry

# Read-only records -------------------------------------------------------------


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
    ``get_extra_urlpatterns``): no add, edit, copy or delete screens."""

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


# Wagtail's own doors ----------------------------------------------------------

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
