"""Bulk data for the benchmarks: 100,000 comments in seconds (bulk_create in
batches), not one factory call per row."""

import datetime

from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from blog.models import ArticlePage, BlogIndexPage
from moderation.comments.models import Comment
from moderation.sanitize import sanitize

BATCH = 2000
BODY = (
    "Thank you for this article. I tried the second approach on our own site and "
    "it worked, though I had to <em>adapt</em> the settings a little. Comment {n}."
)


def site():
    """A blog index as the default site's root, as a fresh install has."""
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    index = root.add_child(instance=BlogIndexPage(title="Journal", slug="journal"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": index},
    )
    return index


def article(index, slug):
    page = ArticlePage(
        title=f"An article ({slug})",
        slug=slug,
        date=datetime.date.today(),
        author_name="Ann Author",
        intro="What we learnt moving comments to a moderated queue.",
        body=[
            {"type": "paragraph", "value": f"<p>Paragraph {n} of the article.</p>"}
            for n in range(5)
        ],
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def comments(page, count, *, status=Comment.Status.APPROVED, replies_every=5):
    """``count`` comments on ``page``: four in five start a thread, the fifth
    replies to an earlier thread, so the listing has real replies to fetch."""
    html = sanitize(BODY.format(n=0))
    start = timezone.now() - datetime.timedelta(seconds=count + 60)
    n_replies = count // replies_every if replies_every else 0
    n_roots = count - n_replies

    def row(n, **fields):
        return Comment(
            page=page,
            author_name=f"Reader {n}",
            author_email=f"reader{n}@example.com",
            body=BODY.format(n=n),
            body_html=html,
            status=status,
            created_at=start + datetime.timedelta(seconds=n),
            **fields,
        )

    with transaction.atomic():
        roots = []
        for first in range(0, n_roots, BATCH):
            batch = [row(n) for n in range(first, min(first + BATCH, n_roots))]
            roots += Comment.objects.bulk_create(batch)
        step = max(1, n_roots // max(1, n_replies)) if n_replies else 1
        for first in range(0, n_replies, BATCH):
            batch = []
            for k in range(first, min(first + BATCH, n_replies)):
                parent = roots[min(k * step, n_roots - 1)]
                batch.append(row(n_roots + k, parent=parent, thread=parent, depth=1))
            Comment.objects.bulk_create(batch)


def settle():
    """After a bulk load, what autovacuum would soon do on PostgreSQL: statistics
    and the visibility map (without it COUNT cannot use an index-only scan)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE moderation_comment")
