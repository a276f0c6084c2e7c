"""Promise 1: an email address is never published, in any encoding."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from moderation.comments import actions
from moderation.outbox import delivery
from tests import factories
from tests.corpora import email_probes, probe_hits

pytestmark = pytest.mark.django_db
PROBES = email_probes()


def test_probe_corpus_is_complete():
    assert len(PROBES) == 50


def test_no_commenter_email_appears_in_anything_public(client):
    index = factories.blog_index()
    article = factories.article(index, "Privacy matters")
    first = None
    for number, row in enumerate(PROBES):
        comment = factories.comment(
            article,
            f"Comment number {number}",
            author_name=f"Probe {number}",
            author_email=row["address"],
            parent=first,
            notify_on_reply=True,
        )
        first = first or comment
    # A held reply, approved later, sends a notice to the first commenter.
    reply = factories.comment(
        article,
        "A reply",
        status="pending",
        parent=first,
        author_email=PROBES[1]["address"],
    )
    actions.approve(reply)
    delivery.dispatch()

    public = {
        "article": client.get(article.url).content.decode(),
        "index": client.get("/").content.decode(),
        "comment feed": client.get(
            f"/comments/pages/{article.pk}/feed/"
        ).content.decode(),
        "comment json": client.get(
            f"/comments/pages/{article.pk}/comments.json"
        ).content.decode(),
        "article feed": client.get("/feeds/articles/rss/").content.decode(),
        "sitemap": client.get("/sitemap.xml").content.decode(),
        "404 page": client.get("/no-such-page/").content.decode(),
    }
    (notice,) = mail.outbox  # to the first commenter, about someone else's reply
    other_probes = [row for row in PROBES if row["address"] != notice.to[0]]
    public["reply notice"] = notice.body + notice.alternatives[0][0]

    assert (
        "Probe 49" in public["article"]
        and "Comment number 49" in public["comment json"]
    )
    assert {
        name: probe_hits(text, PROBES)
        for name, text in public.items()
        if name != "reply notice"
    } == {name: [] for name in public if name != "reply notice"}
    assert probe_hits(public["reply notice"], other_probes) == []


def article_queries(client, article):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.url)
    assert response.status_code == 200
    return len(queries)


def test_article_query_count_is_the_same_for_10_and_1000_comments(client):
    index = factories.blog_index()
    small = factories.article(index, "Ten comments")
    large = factories.article(index, "A thousand comments")
    for article, count in ((small, 10), (large, 1000)):
        roots = [factories.comment(article, f"Root {n}") for n in range(count // 2)]
        for n, root in enumerate(roots):
            factories.comment(article, f"Reply {n}", parent=root)
    article_queries(client, small)  # warm caches (site root paths, settings)

    assert article_queries(client, small) == article_queries(client, large)
