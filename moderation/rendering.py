"""The app's public pages, rendered inside the host site's layout.

Each extends ``moderation/base.html``, which extends the template named by
``MODERATION_BASE_TEMPLATE`` (default ``"base.html"``, the layout ``wagtail start``
makes). ``{% extends %}`` takes a variable but must be a template's first tag, so
no template tag of ours can look the setting up before it; a context processor
would be one more line for every host to add. So the name travels in the
context: the app's views render through ``render`` below, and its page models
add ``layout_context()`` in ``get_context``. A host's own view that renders one
of these templates does the same.
"""

from django.shortcuts import render as django_render

from .conf import setting


def layout_context(context=None):
    """``context`` plus the host's layout, read now (``override_settings`` works)."""
    return {"moderation_base_template": setting("BASE_TEMPLATE"), **(context or {})}


def render(request, template_name, context=None, status=None):
    """``django.shortcuts.render`` for a page that extends ``moderation/base.html``."""
    return django_render(request, template_name, layout_context(context), status=status)
