"""Bad input gets a clear answer, never a 500: every public URL, with hostile
query strings and hostile path segments.

The URLs come from Django's URL resolver (admin, static and media left out), so
a pattern added later is covered without editing this file. Path segments are
filled with real objects where a view needs one (the article's id, a comment's
id, signed and sealed tokens taken from real emails) and with hostile values
(an id past PostgreSQL's bigint, NUL, bytes that are not UTF-8). Parameter
names are those the project's views read (found in its source) plus a few
generic ones; each request sets all of them to one hostile value, so the number
of requests grows with the URLs, not with a cartesian product.

Run it on PostgreSQL too (CI does): an id past bigint or a NUL byte only
fails there.
"""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from blog.models import InfoPage
from moderation import tokens
from moderation.models import FeedbackPage, TestimonialsPage
from moderation.outbox import delivery
from moderation.testimonials import actions as testimonial_actions
from moderation.testimonials.consent import ConsentRequest
from moderation.testimonials.models import Feedback
from tests import factories

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = ["blog", "config", "moderation"]
SKIPPED_PREFIXES = ("admin/", "django-admin/")
GENERIC_NAMES = [
    *("page", "p", "q", "after", "before", "id", "format"),
    *("next", "token", "email", "lang"),
]
# Raw query-string values (already percent-encoded where that matters).
HOSTILE_VALUES = {
    "past bigint": "10000000000000000000",
    "past bigint, negative": "-10000000000000000000",
    "negative": "-1",
    "zero": "0",
    "not a number": "abc",
    "float": "1.5e400",
    "infinity": "inf",
    "more digits than int() takes": "9" * 5000,
    "unicode digits": quote("١٢٣²"),
    "NUL": "%00",
    "NUL inside": "1%00x",
    "very long": "x" * 10_000,
    "not UTF-8": "%ff%fe%c3%28",
    "empty": "",
}
HOSTILE_SEGMENTS = {
    "int": ["10000000000000000000", "0"],
    "str": ["10000000000000000000", "%00", "%ff%fe", "x" * 3000],
    "slug": ["x" * 3000, "10000000000000000000"],
    "path": ["%00/x", "%ff/%fe"],
    "uuid": ["00000000-0000-0000-0000-000000000000"],
}
PLAIN_SEGMENTS = {"int": "1", "str": "x", "slug": "x", "path": "x/y"}
READ_PARAMETER = re.compile(  # request.GET.get("page"), form.data.get("parent"), ...
    r"\b(?:GET|POST|REQUEST|data)\.get(?:list)?\(\s*[\"'](\w+)[\"']"
    r"|\b(?:GET|POST|REQUEST)\[\s*[\"'](\w+)[\"']"
)


def names_the_views_read():
    """Every parameter name the project's code reads from a request."""
    names = set()
    for package in PROJECT_PACKAGES:
        for source in (BASE_DIR / package).rglob("*.py"):
            names.update(
                get or item for get, item in READ_PARAMETER.findall(source.read_text())
            )
    return sorted(names)


# The site ------------------------------------------------------------------------


@pytest.fixture
def site(client, admin_user, settings, tmp_path):
    """A small site with one of everything a public URL can point at."""
    settings.MEDIA_ROOT = tmp_path
    for name in ("COMMENT_RATE_IP", "COMMENT_RATE_EMAIL", "DATA_REQUEST_RATE_IP"):
        setattr(settings, f"MODERATION_{name}", (10**6, 60))
    settings.MODERATION_DATA_REQUEST_RATE_EMAIL = (10**6, 60)

    index = factories.blog_index()
    article = factories.article(index, "Hostile article", tags=["cast iron"])
    approved = factories.comment(article, "First!")
    factories.comment(article, "A reply", parent=approved)
    unconfirmed = factories.comment(article, "Waiting", status="unconfirmed")
    privacy = index.add_child(
        instance=InfoPage(title="Privacy", slug="privacy", body="<p>Private.</p>")
    )
    feedback_page = index.add_child(
        instance=FeedbackPage(title="Tell us", slug="tell-us")
    )
    testimonials_page = index.add_child(
        instance=TestimonialsPage(title="Kind words", slug="kind-words")
    )
    locked = index.add_child(
        instance=InfoPage(title="Locked", slug="locked", body="<p>Secret.</p>")
    )
    for page in (privacy, feedback_page, testimonials_page, locked):
        page.save_revision().publish()
    page_restriction = PageViewRestriction.objects.create(
        page=locked, restriction_type="password", password="letmein"
    )

    root_collection = Collection.get_first_root_node()
    document = Document.objects.create(
        title="Menu", file=ContentFile(b"Soup.", name="menu.txt")
    )
    private_collection = root_collection.add_child(name="Private")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=private_collection, restriction_type="password", password="x"
    )

    # Testimonials: one granted (shown, with a withdrawal link), one awaiting.
    answer_tokens = []
    for name in ("Grace Hopper", "Ada Lovelace"):
        feedback = Feedback.objects.create(
            name=name, email=f"{name.split()[0].lower()}@example.com", body="Lovely."
        )
        testimonial = testimonial_actions.draft_from_feedback(feedback, admin_user)
        testimonial.get_workflow().start(testimonial, admin_user)
        delivery.dispatch()
        answer_tokens.append(link_in_email(feedback.email, "/comments/permission/"))
    granted = ConsentRequest.objects.get(testimonial__customer_name="Grace Hopper")
    testimonial_actions.answer(granted, granted=True)
    withdraw_token = granted.withdraw_token()

    # "Your data": the link from the real email.
    client.post("/your-data/", {"email": "cora@example.com"})
    delivery.dispatch()
    data_token = link_in_email("cora@example.com", "/your-data/")

    return {
        "pages": [index, article, privacy, feedback_page, testimonials_page, locked],
        "segments": {
            ("wagtailcore_authenticate_with_password", "page_id"): locked.pk,
            "page_id": article.pk,
            "page_view_restriction_id": page_restriction.pk,
            "restriction_id": collection_restriction.pk,
            "pk": approved.pk,
            ("comment_confirm", "token"): tokens.make(
                "comment.confirm", unconfirmed.pk
            ),
            ("comment_unsubscribe", "token"): tokens.make(
                "comment.unsubscribe", approved.pk
            ),
            ("testimonial_answer", "token"): answer_tokens[1],
            ("testimonial_withdraw", "token"): withdraw_token,
            ("personal_data_manage", "token"): data_token,
        },
        "queries": {
            "comment_manage": f"t={tokens.make('comment.manage', approved.pk)}",
        },
        "document": document,
    }


def link_in_email(address, prefix):
    """The last segment of the link starting with ``prefix`` in the newest email
    to ``address``."""
    message = [m for m in mail.outbox if address in m.to][-1]
    url = re.search(rf"{re.escape(prefix)}[^\s\"<]+", message.body).group(0)
    return url.rstrip("/").rsplit("/", 1)[-1]


# The URLs ------------------------------------------------------------------------


def public_patterns(entries=None, parents=()):
    """(the patterns from the root down, the endpoint) for every public URL."""
    if entries is None:
        entries = get_resolver().url_patterns
    for entry in entries:
        chain = (*parents, entry.pattern)
        if not parents and skipped(str(entry.pattern)):
            continue
        if isinstance(entry, URLResolver):
            yield from public_patterns(entry.url_patterns, chain)
        elif isinstance(entry, URLPattern):
            yield chain, entry


def skipped(route):
    route = route.lstrip("^")
    static = [
        url.lstrip("/") for url in (settings.STATIC_URL, settings.MEDIA_URL) if url
    ]
    return route.startswith(SKIPPED_PREFIXES) or any(
        prefix and route.startswith(prefix) for prefix in static
    )


def fill_route(pattern, url_name, site):
    """Ways to fill one ``path()`` route: all real, then each segment hostile."""
    route = str(pattern)
    segments = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    real = {
        name: str(
            site["segments"].get(
                (url_name, name),
                site["segments"].get(name, PLAIN_SEGMENTS.get(kind or "str", "x")),
            )
        )
        for kind, name in segments
    }

    def render(values):
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)

    fills = [render(real)]
    for kind, name in segments:
        for hostile in HOSTILE_SEGMENTS.get(kind or "str", HOSTILE_SEGMENTS["str"]):
            fills.append(render({**real, name: hostile}))
    return fills


def fill_regex(pattern, url_name, site):
    """Regex patterns cannot be inverted: the ones we include, filled by hand;
    any other gets generic candidates that its regex accepts."""
    if url_name == "wagtail_serve":
        pages = [page.url.lstrip("/") for page in site["pages"]]
        return [*pages, "no-such-page/", "a/" * 200]
    if url_name == "wagtaildocs_serve":
        document = site["document"]
        return [
            f"{document.pk}/{document.filename}",
            f"{document.pk}/%00",
            "10000000000000000000/menu.txt",
        ]
    candidates = ["", "1/", "x/", "1/x", "x", "1", "10000000000000000000/"]
    return [c for c in candidates if pattern.regex.search(c)]


def fill(pattern, url_name, site):
    if isinstance(pattern, RoutePattern):
        return fill_route(pattern, url_name, site)
    if isinstance(pattern, RegexPattern):
        return fill_regex(pattern, url_name, site)
    return [str(pattern)]


def public_paths(site):
    """Every public URL as {path: (url name, all segments real?)}: all real, then
    one hostile segment at a time (not every pairing); and the patterns nobody
    could fill."""
    paths, unfilled = {}, []
    for chain, endpoint in public_patterns():
        fills = [fill(pattern, endpoint.name, site) for pattern in chain]
        if not all(fills):
            unfilled.append(" + ".join(str(pattern) for pattern in chain))
            continue
        real = [options[0] for options in fills]
        paths.setdefault("/" + "".join(real), (endpoint.name, True))
        for position, options in enumerate(fills):
            for option in options[1:]:
                path = "".join([*real[:position], option, *real[position + 1 :]])
                paths.setdefault("/" + path, (endpoint.name, False))
    return paths, unfilled


def hostile_queries(names, base):
    """One query per hostile value, every name set to it, before and after the
    real parameters a URL needs (``QueryDict.get`` takes the last one)."""
    queries = []
    for label, value in HOSTILE_VALUES.items():
        hostile = "&".join(f"{name}={value}" for name in names)
        queries.append((label, hostile))
        if base:
            queries.append((f"{label}, with the real link", f"{hostile}&{base}"))
    repeated = "&".join(f"{n}=1&{n}=abc&{n}=-5&{n}=%00" for n in names)
    queries.append(("repeated", repeated))
    return queries


def request_safely(client, method, path, query):
    """The response, rolled back if it failed, so the next request on
    PostgreSQL does not meet an aborted transaction."""
    savepoint = transaction.savepoint()
    url = f"{path}?{query}"
    if method == "get":
        response = client.get(url)
    else:
        body = query.encode("latin-1")
        response = client.post(
            url, body, content_type="application/x-www-form-urlencoded"
        )
    if response.status_code >= 500:
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)
    return response


def describe(method, path, label, query, response):
    error = getattr(response, "exc_info", None)
    cause = f": {error[0].__name__}: {error[1]}" if error else ""
    shown = query if len(query) < 200 else query[:200] + "…"
    return (
        f"{response.status_code} for {method.upper()} {path[:200]} [{label}]{cause}\n"
        f"    ?{shown}"
    )


# The test ------------------------------------------------------------------------


def test_no_public_url_answers_5xx_to_hostile_query_strings(client, site):
    client.raise_request_exception = False
    names = sorted({*GENERIC_NAMES, *names_the_views_read()})
    paths, unfilled = public_paths(site)
    assert unfilled == [], f"No way to fill these URL patterns: {unfilled}"
    found = {url_name for url_name, _real in paths.values()}
    # The walk really found the public site (not, say, only the home page).
    assert {
        "comments_json",
        "comments_feed",
        "comment_manage",
        "comment_confirm",
        "testimonial_answer",
        "personal_data_manage",
        "wagtail_serve",
        "search",
        "sitemap",
    } <= found
    assert {"tag", "comments", "reply", "t"} <= set(names)

    failures, requests, refused = [], 0, {}
    for path, (url_name, real) in paths.items():
        base = site["queries"].get(url_name, "")
        queries = hostile_queries(names, base)
        if real:  # the real objects are found, or the hostile runs prove little
            status = request_safely(client, "get", path, base).status_code
            if status >= 400 and status != 405:
                refused[path] = status
        else:  # the hostile segment is the point: a few queries suffice
            queries = [("none", ""), queries[-1]]
        methods = ["get"]
        if request_safely(client, "post", path, "").status_code != 405:
            methods.append("post")
        for method in methods:
            for label, query in queries:
                response = request_safely(client, method, path, query)
                requests += 1
                if response.status_code >= 500:
                    failures.append(describe(method, path, label, query, response))

    assert refused == {}, "Real objects not found: fix the site fixture"
    assert requests > 500
    assert failures == [], (
        f"{len(failures)} of {requests} requests answered 5xx:\n" + "\n".join(failures)
    )
