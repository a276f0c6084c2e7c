from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from blog import views as blog_views
from blog.feeds import LatestArticlesAtomFeed, LatestArticlesFeed

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("feeds/articles/rss/", LatestArticlesFeed(), name="articles_rss"),
    path("feeds/articles/atom/", LatestArticlesAtomFeed(), name="articles_atom"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", blog_views.robots_txt, name="robots_txt"),
    path("humans.txt", blog_views.humans_txt, name="humans_txt"),
    path("search/", blog_views.search, name="search"),
    path("", include("moderation.urls")),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree; it must come last.
urlpatterns += [path("", include(wagtail_urls))]
