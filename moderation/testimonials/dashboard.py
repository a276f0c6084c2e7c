"""What waits for the customers, on the Wagtail dashboard of those who edit
testimonials (registered in ``wagtail_hooks.py``)."""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.ui.components import Component

from ..permissions import CHANGE_TESTIMONIAL
from .consent import ConsentRequest


class AwaitingCustomersPanel(Component):
    """Permission requests the customers have not answered yet."""

    name = "awaiting_customers"
    order = 60

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        if not self.request.user.has_perm(CHANGE_TESTIMONIAL):
            return ""
        awaiting = ConsentRequest.objects.filter(status=ConsentRequest.Status.AWAITING)
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> — {}</li>',
            (
                (
                    reverse(
                        "wagtailsnippets_moderation_testimonial:inspect",
                        args=[r.testimonial_id],
                    ),
                    r.title,
                    _("asked %(date)s") % {"date": r.created_at.strftime("%d %b %Y")},
                )
                for r in awaiting.order_by("created_at")[:10]
            ),
        )
        return format_html(
            '<section class="w-panel" aria-labelledby="awaiting-customers-title">'
            '<div class="w-panel__header"><h2 class="w-panel__heading" id="awaiting-customers-title">{}</h2></div>'
            '<div class="w-panel__content"><p>{}</p><ul>{}</ul></div></section>',
            _("Testimonials awaiting the customer"),
            ngettext(
                "%(count)s permission request is unanswered.",
                "%(count)s permission requests are unanswered.",
                awaiting.count(),
            )
            % {"count": awaiting.count()},
            items,
        )
