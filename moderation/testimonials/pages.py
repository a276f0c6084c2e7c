"""The app's page types: editors put them under the home page of any site.

Apart from ``models.py`` so that they may use the views and actions, which use
the models (``moderation/models.py`` gathers them for Django)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..rendering import layout_context
from .models import Testimonial
from .views import serve_feedback_page


class FeedbackPage(Page):
    """A page with a feedback form; editors can place it anywhere."""

    intro = RichTextField(
        verbose_name=_("introduction"), blank=True, features=["bold", "italic", "link"]
    )
    thank_you = models.CharField(
        verbose_name=_("thank-you message"),
        max_length=300,
        default=_("Thank you for your feedback. We read every message."),
        help_text=_(
            "Shown after sending. Do not promise publication: we always ask first."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("thank_you"),
    ]
    template = "moderation/testimonials/feedback_page.html"
    # Under the home page of any site (no parent_page_types), with nothing below.
    subpage_types = []

    class Meta:
        verbose_name = _("feedback page")

    def serve(self, request, *args, **kwargs):
        return serve_feedback_page(self, request)


class TestimonialsPage(Page):
    """Published testimonials, each with the name its customer agreed to."""

    __test__ = False  # not a pytest class, despite the name

    intro = RichTextField(
        verbose_name=_("introduction"), blank=True, features=["bold", "italic", "link"]
    )
    content_panels = Page.content_panels + [FieldPanel("intro")]
    template = "moderation/testimonials/testimonials_page.html"
    subpage_types = []

    class Meta:
        verbose_name = _("testimonials page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["testimonials"] = Testimonial.objects.shown()
        return layout_context(context)
