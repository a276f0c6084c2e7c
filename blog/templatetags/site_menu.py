"""The header's navigation: the pages editors mark "Show in menus" (the
Promote tab), the live, public children of this site's root page."""

from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("includes/site_menu.html", takes_context=True)
def site_menu(context):
    request = context.get("request")
    site = request and Site.find_for_request(request)
    current = context.get("page")
    items = []
    if site:
        for item in site.root_page.get_children().live().public().in_menu():
            items.append((item, aria_current(item, current)))
    return {"items": items}


def aria_current(item, current):
    """ "page" on the page itself, "true" on the section a page is in."""
    if current is None or not hasattr(current, "path"):
        return None
    if current.pk == item.pk:
        return "page"
    if current.is_descendant_of(item):
        return "true"
    return None
