"""Small pieces shared by our Wagtail admin screens."""

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
