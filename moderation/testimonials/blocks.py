"""A testimonial inside any StreamField. Consent is checked again when the block
renders, so a withdrawn testimonial never shows, even from a cached page tree."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class TestimonialBlock(blocks.StructBlock):
    testimonial = SnippetChooserBlock("moderation.Testimonial", label=_("Testimonial"))

    class Meta:
        icon = "openquote"
        label = _("Testimonial")
        template = "moderation/testimonials/block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        testimonial = value.get("testimonial")
        context["shown"] = bool(
            testimonial and testimonial.live and testimonial.has_consent()
        )
        return context
