"""Small builders for tests (not the demo content)."""

import datetime

from wagtail.models import Locale, Page, Site

from blog.models import ArticlePage, BlogIndexPage


def blog_index(title="Journal", slug="journal"):
    """A blog index as the default site's root page."""
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    index = root.add_child(instance=BlogIndexPage(title=title, slug=slug))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": index,
            "site_name": "Test",
        },
    )
    return index


def article(index, title="An article", *, days_ago=0, live=True, tags=(), **fields):
    page = ArticlePage(
        title=title,
        date=datetime.date.today() - datetime.timedelta(days=days_ago),
        author_name=fields.pop("author_name", "Ann Author"),
        intro=fields.pop("intro", f"The introduction to {title}."),
        body=fields.pop(
            "body", [{"type": "paragraph", "value": f"<p>Body of {title}.</p>"}]
        ),
        live=live,
        **fields,
    )
    index.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
        page.save()
    if live:
        page.save_revision().publish()
    return page


def comment(page, body="A kind word.", *, status="approved", parent=None, **fields):
    from moderation.comments.models import Comment
    from moderation.sanitize import sanitize

    return Comment.objects.create(
        page=page,
        parent=parent,
        thread=(parent.thread or parent) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author_name=fields.pop("author_name", "Cora Commenter"),
        author_email=fields.pop("author_email", "cora@example.com"),
        body=body,
        body_html=sanitize(body),
        status=status,
        **fields,
    )
