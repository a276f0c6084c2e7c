"""RSS and Atom feeds of the latest published articles.

https://docs.djangoproject.com/en/5.2/ref/contrib/syndication/
"""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from .models import ArticlePage


class LatestArticlesFeed(Feed):
    description = _("The latest articles.")
    items_in_feed = 20

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return Site.find_for_request(request)

    def title(self, site):
        return site.site_name if site and site.site_name else _("Articles")

    def link(self, site):
        return site.root_url if site else "/"

    def items(self, site):
        articles = ArticlePage.objects.live().public()
        if site:
            articles = articles.descendant_of(site.root_page)
        return articles.prefetch_related("tags").order_by("-date", "-pk")[
            : self.items_in_feed
        ]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.intro

    def item_link(self, article):
        return article.get_url(request=self.request)

    def item_author_name(self, article):
        return article.author_name

    def item_pubdate(self, article):
        return datetime.datetime.combine(
            article.date, datetime.time(), tzinfo=datetime.UTC
        )

    def item_updateddate(self, article):
        return article.last_published_at or timezone.now()

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
