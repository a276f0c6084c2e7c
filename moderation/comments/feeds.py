"""RSS of a page's approved comments: names and text only."""

from django.contrib.syndication.views import Feed
from django.utils.translation import gettext as _

from .models import Comment
from .visitors import page_with_comments_or_404


class PageCommentsFeed(Feed):
    items_in_feed = 50

    def get_object(self, request, page_id):
        return page_with_comments_or_404(page_id)

    def title(self, page):
        return _("Comments on “%(title)s”") % {"title": page.title}

    def link(self, page):
        return page.url + "#comments"

    def description(self, page):
        return self.title(page)

    def items(self, page):
        comments = Comment.objects.for_page(page).approved().select_related("page")
        return comments.order_by("-created_at", "-pk")[: self.items_in_feed]

    def item_title(self, comment):
        return _("%(name)s on “%(title)s”") % {
            "name": comment.author_name,
            "title": comment.page.title,
        }

    def item_description(self, comment):
        return comment.body_html

    def item_link(self, comment):
        return f"{comment.page.url}#{comment.anchor}"

    def item_pubdate(self, comment):
        return comment.created_at

    def item_author_name(self, comment):
        return comment.author_name
