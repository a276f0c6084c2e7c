"""The site's pages: a blog index (the home page) and its articles.

Modelled on wagtail/bakerydemo's blog app.
https://docs.wagtail.org/en/stable/getting_started/tutorial.html
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import validate_unicode_slug
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from moderation.models import CommentsMixin
from moderation.testimonials.blocks import TestimonialBlock

from .blocks import ArticleBodyBlock


def is_slug(value):
    """Tags are found by slug (taggit's, Unicode letters allowed)."""
    try:
        validate_unicode_slug(value)
    except ValidationError:
        return False
    return True


class BlogIndexPage(Page):
    """Lists the articles below it, newest first, a page at a time."""

    intro = RichTextField(
        verbose_name=_("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown above the list of articles."),
    )

    featured = StreamField(
        [("testimonial", TestimonialBlock())],
        verbose_name=_("featured"),
        blank=True,
        help_text=_(
            "Testimonials shown above the articles; each only while its customer agrees."
        ),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("featured")]
    subpage_types = [
        "blog.ArticlePage",
        "blog.InfoPage",
        "moderation.FeedbackPage",
        "moderation.TestimonialsPage",
    ]
    articles_per_page = 10

    class Meta:
        verbose_name = _("blog index")

    def get_articles(self):
        return (
            ArticlePage.objects.live()
            .public()
            .child_of(self)
            .select_related("listing_image")
            .order_by("-date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = self.get_articles()
        tag = request.GET.get("tag", "").strip()
        if tag:
            articles = (
                articles.filter(tags__slug=tag).distinct()
                if is_slug(tag)
                # Not a tag at all (PostgreSQL refuses a NUL byte in a query).
                else articles.none()
            )
        paginator = Paginator(articles, self.articles_per_page)
        # get_page: a bad number gives the first page, one too high the last.
        page = paginator.get_page(request.GET.get("page", 1))
        # Shown back to the reader: no control characters (a NUL is not HTML).
        shown_tag = "".join(char for char in tag if char.isprintable())
        context.update(articles=page, paginator=paginator, tag=shown_tag)
        return context


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "blog.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(CommentsMixin, Page):
    date = models.DateField(verbose_name=_("date"), default=timezone.localdate)
    author_name = models.CharField(
        verbose_name=_("author"),
        max_length=100,
        help_text=_("Shown under the title, e.g. “Maya Okafor”."),
    )
    intro = models.TextField(
        verbose_name=_("introduction"),
        max_length=400,
        help_text=_(
            "One or two sentences. "
            "Shown in the article list, the feed and search results."
        ),
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("listing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown beside the article in the list and at the top of the article."
        ),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    tags = ClusterTaggableManager(
        through=ArticleTag, blank=True, verbose_name=_("tags")
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("author_name"), FieldPanel("tags")],
            heading=_("Article information"),
        ),
        FieldPanel("intro"),
        FieldPanel("listing_image"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")


class InfoPage(Page):
    """A plain page of text, such as the privacy policy."""

    body = RichTextField(
        verbose_name=_("body"),
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
    )

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("information page")
