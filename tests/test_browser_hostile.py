"""Promise 5 end to end: every payload of the shared corpus goes in through the
real forms over HTTP, is approved (or consented to) and published, and is then
rendered in Chromium with every way of showing that script ran spied on:
``alert``, ``confirm``, ``prompt``, ``print`` and ``open`` replaced by recorders
before any page script runs, dialogs and uncaught page errors listened for."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from moderation.comments import actions as comment_actions
from moderation.comments.models import Comment, VerifiedEmail
from moderation.models import FeedbackPage, TestimonialsPage
from moderation.outbox.models import OutboxEmail
from moderation.testimonials import actions as testimonial_actions
from moderation.testimonials.consent import ConsentRequest
from moderation.testimonials.models import Feedback, Testimonial
from tests import factories
from tests.browser import executions, spy_on_script
from tests.corpora import xss_payloads

pytestmark = pytest.mark.browser

PAYLOADS = xss_payloads()
PER_PAGE = 250
BUNDLE_CHARS = 1200  # payloads per testimonial quote, joined by blank lines
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer we look at, not the page behind it


class Visitor:
    """A person's HTTP client: cookies (CSRF, the site's own) and forms as sent."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            NoRedirects,
        )

    def get(self, path):
        with self.opener.open(self.base_url + path) as response:
            return response.read().decode()

    def form(self, path, marker):
        """The hidden fields of the form that follows ``marker`` on the page."""
        html = self.get(path)
        html = html[html.index(marker) :]
        return dict(HIDDEN.findall(html[: html.index("</form>")]))

    def post(self, path, data):
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base_url + path, body) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def bundles(payloads, limit=BUNDLE_CHARS):
    """Every payload, a few to a quote: the consent flow costs far more per
    testimonial than a comment does, and a quote is escaped text as a whole."""
    bundle = []
    for payload in payloads:
        if bundle and len("\n\n".join([*bundle, payload])) > limit:
            yield "\n\n".join(bundle)
            bundle = []
        bundle.append(payload)
    if bundle:
        yield "\n\n".join(bundle)


def assert_nothing_ran(page, seen):
    assert executions(page, seen) == []


@pytest.fixture
def hostile_settings(settings):
    settings.MODERATION_COMMENT_RATE_IP = (100_000, 60)
    settings.MODERATION_COMMENT_RATE_EMAIL = (100_000, 60)
    settings.MODERATION_COMMENT_MAX_LINKS = 1000
    settings.MODERATION_COMMENTS_PER_PAGE = PER_PAGE
    return settings


def test_every_payload_as_a_comment_runs_nothing_in_chromium(
    live_server, hostile_settings, page
):
    article = factories.article(factories.blog_index(), "Hostile input")
    VerifiedEmail.objects.create(email="nina@example.com")  # straight to moderation
    visitor = Visitor(live_server.url)
    form = visitor.form(article.url, 'id="comment-form"')

    statuses = [
        visitor.post(
            "/comments/post/",
            {
                **form,
                "name": f"Tester {number}",
                "email": "nina@example.com",
                "body": payload,
            },
        )
        for number, payload in enumerate(PAYLOADS)
    ]
    comment_actions.approve_many(list(Comment.objects.all()))

    # Blank-looking payloads get "please write something" (200); the rest are stored.
    assert set(statuses) <= {302, 200}
    stored = Comment.objects.count()
    assert stored == statuses.count(302) > 1250
    assert not Comment.objects.exclude(status="approved").exists()

    seen = spy_on_script(page)
    page.goto(article.url)
    shown, pages = 0, 0
    while True:
        pages += 1
        expect(
            page.get_by_role("heading", name="Hostile input", level=1)
        ).to_be_visible()
        comments = page.locator("#comments > .comment-list > li.comment")
        count = comments.count()
        assert count > 0
        comments.last.scroll_into_view_if_needed()
        expect(comments.last.locator(".comment__author")).to_be_visible()
        shown += count
        assert_nothing_ran(page, seen)
        later = page.get_by_role("link", name="Later comments")
        if not later.count():
            break
        later.click()
        page.wait_for_load_state()

    assert shown == stored
    assert pages == -(-stored // PER_PAGE)
    assert_nothing_ran(page, seen)


def test_every_payload_as_a_testimonial_runs_nothing_in_chromium(
    live_server, hostile_settings, page
):
    from django.apps import apps
    from wagtail.models import Workflow

    from moderation.testimonials import workflow

    if not Workflow.objects.filter(name="Testimonial permission").exists():
        workflow.install(apps)  # the flush after transactional tests removed it
    editor = get_user_model().objects.create_superuser("edna", "edna@example.com", "x")
    index = factories.blog_index()
    feedback_page = index.add_child(
        instance=FeedbackPage(title="Tell us", slug="tell-us")
    )
    feedback_page.save_revision().publish()
    testimonials = index.add_child(
        instance=TestimonialsPage(title="Kind words", slug="kind-words")
    )
    testimonials.save_revision().publish()
    visitor = Visitor(live_server.url)
    form = visitor.form(feedback_page.url, 'class="comment-form"')

    quotes_sent = list(bundles(PAYLOADS))
    statuses = [
        visitor.post(
            feedback_page.url,
            {
                **form,
                "name": f"Customer {number}",
                "email": f"c{number}@example.com",
                "body": quote,
                "rating": "",
                "order_reference": "",
            },
        )
        for number, quote in enumerate(quotes_sent)
    ]
    assert statuses == [302] * len(quotes_sent)

    # The editor drafts each, asks permission; each customer says yes.
    for feedback in Feedback.objects.all():
        testimonial = testimonial_actions.draft_from_feedback(feedback, editor)
        testimonial.get_workflow().start(testimonial, editor)
    for request in ConsentRequest.objects.select_related("testimonial"):
        testimonial_actions.answer(request, granted=True)
    assert Testimonial.objects.filter(live=True).count() == len(quotes_sent)
    # Every email about them went out: a quote's newlines once broke the
    # subject of Wagtail's "submitted to workflow" notice (BadHeaderError).
    assert not OutboxEmail.objects.exclude(status="sent").exists()

    seen = spy_on_script(page)
    page.goto(testimonials.url)
    expect(page.get_by_role("heading", name="Kind words", level=1)).to_be_visible()
    quotes = page.locator("figure.testimonial")
    assert quotes.count() == len(quotes_sent)
    quotes.last.scroll_into_view_if_needed()
    expect(quotes.last).to_contain_text("Customer")
    assert_nothing_ran(page, seen)


def test_the_spy_sees_script_that_does_run(page):
    """The control: on a page that does run script, every kind is recorded."""
    page.route(
        "http://spy.test/",
        lambda route: route.fulfill(
            content_type="text/html",
            body="<script>alert(1); confirm(2); open('x')</script>"
            "<img src=x onerror=prompt(3)><script>throw new Error('boom')</script>",
        ),
    )
    seen = spy_on_script(page)

    page.goto("http://spy.test/")
    page.wait_for_function("() => window.__executions.length >= 4")

    kinds = [kind for kind, _message in executions(page, seen)]
    assert {"alert", "confirm", "open", "prompt", "pageerror"} <= set(kinds)
