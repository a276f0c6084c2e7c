"""Small pieces shared by our Wagtail admin screens."""

from django.urls import path
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton


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


class ReadOnlyViewSet(ModelViewSet):
    """For records the site writes and people only read (and act on through
    ``extra_urlpatterns``): no add, edit, copy or delete screens."""

    inspect_view_enabled = True
    copy_view_enabled = False

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
