"""Page benchmarks, in-process through Django's test Client: the article page at
three sizes and against its template's floor, posting a comment, and the
moderation listing and bulk approval in the Wagtail admin."""

import itertools
import re
import statistics
import time
import types
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.template import engines
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from moderation.comments import listing
from moderation.comments.forms import CommentForm
from moderation.comments.models import Comment
from moderation.conf import setting
from moderation.settings import ModerationSettings

from . import data
from .timing import interleaved

SIZES = (10, 1_000, 100_000)
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')

# The article template with the comment section fed from Python lists: the same
# HTML the page renders, without Wagtail's routing or any query.
FLOOR = engines["django"].from_string(
    """{% extends "base.html" %}{% load i18n %}
{% block content %}<article class="article wrap wrap--narrow"><header>
<p class="breadcrumb"><a href="/">Journal</a></p><h1>{{ page.title }}</h1>
<p class="meta">By {{ page.author_name }}</p><p class="lede">{{ page.intro }}</p>
</header><div class="article__body">{% for p in paragraphs %}{{ p|safe }}{% endfor %}</div>
{% include "moderation/comments/section.html" %}</article>{% endblock %}"""
)


def setup():
    index = data.site()
    pages = {}
    for size in SIZES:
        pages[size] = data.article(index, f"comments-{size}")
        data.comments(pages[size], size)
    data.settle()
    return index, pages


def floor_view(page, rows, total, policy_url):
    """A bare Django view rendering ``rows`` (threads with ``children``)."""
    paginator_page = Paginator(range(total), setting("COMMENTS_PER_PAGE")).page(1)
    paragraphs = [str(block.value) for block in page.body]
    stand_in = types.SimpleNamespace(
        pk=page.pk, title=page.title, author_name=page.author_name, intro=page.intro
    )

    def view(request):
        form = CommentForm(page=page, user=request.user)
        context = {
            "page": stand_in,
            "paragraphs": paragraphs,
            "threads": rows,
            "page_of_threads": paginator_page,
            "total": total,
            "own_waiting": [],
            "own_ids": set(),
            "comments_open": True,
            "form": form,
            "replying_to": None,
            "max_depth": setting("COMMENT_MAX_DEPTH"),
            "privacy_url": policy_url,
        }
        return HttpResponse(FLOOR.render(context, request))

    return view


def article_pages(pages, rounds):
    client = Client()
    factory = RequestFactory()
    cases = {}
    for size, page in pages.items():
        url = page.url
        cases[f"page {size}"] = lambda url=url: _ok(client.get(url))
    last = pages[SIZES[-1]]
    roots = last.moderation_comments.filter(depth=0).count()
    last_number = -(-roots // setting("COMMENTS_PER_PAGE"))
    cases["page 100000, last comments page"] = lambda: _ok(
        client.get(f"{last.url}?comments={last_number}")
    )
    # The floor: the same visible rows, fetched once, rendered from a list.
    for size in (SIZES[0], SIZES[-1]):
        page = pages[size]
        request = factory.get(page.url)
        request.user = types.SimpleNamespace(is_authenticated=False)
        _page, rows, total = listing.threads(page, 1)
        privacy = ModerationSettings.for_request(request).privacy_url(request)
        view = floor_view(page, rows, total, privacy)
        cases[f"floor {size}"] = lambda view=view, request=request: view(request)
    return interleaved(cases, rounds)


def post_comment(pages, rounds):
    """POST the real form (as a browser would: read it, fill it in). The GET is
    not timed; each POST comes from its own network and address, so the rate
    limits never answer instead of the view."""
    client = Client()
    page = pages[SIZES[0]]
    numbers = itertools.count(1)
    form_html = {}

    def fresh_form():
        html = client.get(page.url).content.decode()
        form = html[html.index('id="comment-form"') :]
        form_html["data"] = dict(HIDDEN.findall(form[: form.index("</form>")]))

    def post():
        n = next(numbers)
        values = {
            **form_html["data"],
            "name": f"Nina Reader {n}",
            "email": f"nina{n}@example.com",
            "body": "Lovely article, thank you.",
        }
        values.pop("csrfmiddlewaretoken", None)
        response = client.post(
            "/comments/post/", values, REMOTE_ADDR=f"10.{n // 250 % 250}.{n % 250}.1"
        )
        assert response.status_code == 302, response.status_code

    def bare():
        # The floor of a POST: read the fields and save one row, nothing else.
        n = next(numbers)
        request = RequestFactory().post(
            "/", {"name": f"Nina {n}", "email": f"n{n}@example.com", "body": "Hi."}
        )
        Comment.objects.create(
            page=page,
            author_name=request.POST["name"],
            author_email=request.POST["email"],
            body=request.POST["body"],
            body_html=request.POST["body"],
            status=Comment.Status.PENDING,
        )
        return HttpResponseRedirect(page.url)

    fresh_form()
    # A new form each time would add a timed GET; the signed form stays valid
    # for COMMENT_FORM_MAX_AGE, so one read serves every POST of the run.
    return interleaved({"post comment": post, "bare insert": bare}, rounds)


def moderation_listing(index, rounds):
    """The Wagtail admin's moderation queue (``?status=pending``, the dashboard's
    link) with 1,000 and with 100,000 comments pending. The table holds the same
    100,000 rows in both states: between measurements 99,000 of them are turned
    rejected and back (untimed)."""
    queue_page = data.article(index, "pending-queue")
    data.comments(queue_page, 100_000, status=Comment.Status.PENDING, replies_every=0)
    data.settle()
    mine = Comment.objects.filter(page=queue_page)
    kept = list(mine.values_list("pk", flat=True)[::100])  # 1,000, evenly spread

    def only_1000_pending():
        mine.filter(status=Comment.Status.PENDING).exclude(pk__in=kept).update(
            status=Comment.Status.REJECTED
        )

    def all_100000_pending():
        mine.filter(status=Comment.Status.REJECTED).update(
            status=Comment.Status.PENDING
        )

    admin = get_user_model().objects.create_superuser("bench", "b@example.com", "pw")
    client = Client()
    client.force_login(admin)
    url = "/admin/moderation/comments/?status=pending"
    states = {
        "admin queue, 1000 pending": only_1000_pending,
        "admin queue, 100000 pending": all_100000_pending,
    }
    times = {name: [] for name in states}
    queries = {}
    for number in range(rounds + 1):  # the first round warms up
        for name, state in states.items():
            state()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                _ok(client.get(url))
                elapsed = time.perf_counter() - start
            if number:
                times[name].append(elapsed)
                queries[name] = len(captured.captured_queries)
    results = {
        name: {
            "best": min(values),
            "median": statistics.median(values),
            "queries": queries[name],
        }
        for name, values in times.items()
    }
    bulk_page = data.article(index, "pending-bulk")
    data.comments(bulk_page, 1_000, status=Comment.Status.PENDING, replies_every=0)
    results.update(bulk_approve(client, bulk_page))
    return results


def bulk_approve(client, page, rounds=3):
    """Approve 1,000 pending comments with the admin's bulk action (one POST)."""
    ids = list(page.moderation_comments.values_list("pk", flat=True))
    query = urlencode([("next", "/admin/"), *(("id", pk) for pk in ids)])
    url = f"/admin/bulk/moderation/comment/approve/?{query}"
    runs = []
    for _ in range(rounds):
        Comment.objects.filter(pk__in=ids).update(
            status=Comment.Status.PENDING, approved_at=None
        )
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.post(url, {})
            elapsed = time.perf_counter() - start
        assert response.status_code == 302, response.status_code
        approved = Comment.objects.filter(
            pk__in=ids, status=Comment.Status.APPROVED
        ).count()
        assert approved == len(ids), approved
        runs.append((elapsed, len(captured.captured_queries)))
    times = sorted(elapsed for elapsed, _queries in runs)
    return {
        "bulk approve 1000": {
            "best": times[0],
            "median": times[len(times) // 2],
            "queries": runs[-1][1],
        }
    }


def _ok(response):
    assert response.status_code == 200, response.status_code
    return response
