"""What differs between the Wagtail versions the app supports (7.4 LTS and 8.0).

Permission policies: Wagtail 8 looks a model's policy up in
``wagtail.permissions.policy_registry`` everywhere (viewsets, choosers, bulk
actions, the admin URL finder), and warns when a viewset sets one itself.
Wagtail 7.4 has no registry: each viewset carries its own ``permission_policy``,
a plain ``ModelPermissionPolicy`` unless told otherwise, so a registered policy
would silently not apply. Register with ``register_permission_policy`` from here
and put ``RegisteredPolicyMixin`` first on every viewset of ours: both versions
then enforce the same policy.
"""

from wagtail.permission_policies import ModelPermissionPolicy

try:
    from wagtail.permissions import policy_registry, register_permission_policy
except ImportError:  # Wagtail 7.4
    from wagtail.utils.registry import ObjectTypeRegistry

    class PolicyRegistry(ObjectTypeRegistry):
        """The part of Wagtail 8's registry that the app uses."""

        def get_by_type(self, cls):
            return super().get_by_type(cls) or ModelPermissionPolicy(cls)

    policy_registry = PolicyRegistry()

    def register_permission_policy(model, policy=None, exact_class=False):
        policy_registry.register(
            model, policy or ModelPermissionPolicy(model), exact_class=exact_class
        )

    class RegisteredPolicyMixin:
        """For a ModelViewSet or SnippetViewSet: its views, its chooser's views
        and Wagtail's snippet screens (which ask ``snippet_viewset``) use the
        registered policy."""

        @property
        def permission_policy(self):
            return policy_registry.get_by_type(self.model)

        @property
        def chooser_viewset(self):
            # SnippetViewSet builds its chooser without a policy (a plain one).
            viewset = super().chooser_viewset
            viewset.permission_policy = self.permission_policy
            return viewset

else:

    class RegisteredPolicyMixin:
        """Wagtail 8's viewsets and choosers ask the registry themselves."""


__all__ = ["RegisteredPolicyMixin", "policy_registry", "register_permission_policy"]
