"""The cache (CACHE_URL: Redis in production) going away takes nothing else with
it: pages are served, comments and feedback are stored and their emails sent.
Only rate limits stop, said once in the log, and they count again once Redis is
back. The cache is configured exactly as config.settings.production builds it."""

import json
import logging
import re
from types import SimpleNamespace

import pytest

from moderation import ratelimit
from moderation.comments.models import Comment
from moderation.models import FeedbackPage
from moderation.outbox import delivery
from moderation.outbox.models import OutboxEmail
from moderation.testimonials.models import Feedback
from tests import factories
from tests.comment_client import post_comment, press_confirm
from tests.conftest import celery_broker
from tests.services import REDIS_URL, free_port, redis_or_skip, running_redis_server
from tests.test_settings import production_env, run

pytestmark = pytest.mark.django_db

# A window no test run crosses, so counts never start again half-way through.
FOREVER = 10**9


def production_caches(tmp_path, cache_url):
    """CACHES as config.settings.production builds it from ``cache_url``."""
    script = "import json; from django.conf import settings; print(json.dumps(settings.CACHES))"
    result = run(
        ["-c", script],
        "config.settings.production",
        tmp_path,
        **production_env(CACHE_URL=cache_url),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def site():
    index = factories.blog_index()
    article = factories.article(index, "Seasoning cast iron")
    feedback_page = index.add_child(
        instance=FeedbackPage(title="Tell us", slug="tell-us")
    )
    feedback_page.save_revision().publish()
    return index, article, feedback_page


@pytest.fixture
def smtp_delivery(settings, smtp_sink):
    """The outbox delivers to a real SMTP server, as in production."""
    settings.MODERATION_DELIVERY_EMAIL_BACKEND = (
        "django.core.mail.backends.smtp.EmailBackend"
    )
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return smtp_sink


@pytest.fixture
def fresh_process(monkeypatch, caplog):
    """The rate limiter as a newly started process has it: no outage seen yet."""
    monkeypatch.setattr(ratelimit, "_cache_down", False)
    caplog.set_level(logging.INFO, logger="moderation.ratelimit")


@pytest.fixture
def cache_down(site, settings, tmp_path, caplog, fresh_process):
    """The production cache on a Redis that is not there: a port where nothing
    listens (after the site's pages were made)."""
    redis_url = f"redis://127.0.0.1:{free_port()}"
    settings.CACHES = production_caches(tmp_path, f"{redis_url}/1")
    return SimpleNamespace(
        redis_url=redis_url, warnings=lambda: limiter_warnings(caplog)
    )


def limiter_warnings(caplog):
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "moderation.ratelimit" and r.levelno == logging.WARNING
    ]


def text_of(message):
    (plain,) = [p for p in message.walk() if p.get_content_type() == "text/plain"]
    return plain.get_payload(decode=True).decode()


def post_feedback(client, page):
    fields = dict(
        re.findall(
            r'<input type="hidden" name="(\w+)" value="([^"]*)"',
            client.get(page.url).content.decode(),
        )
    )
    fields.pop("csrfmiddlewaretoken", None)
    return client.post(
        page.url,
        {**fields, "name": "Ada", "email": "ada@example.com", "body": "Great shop"},
    )


def test_pages_and_feeds_are_served_with_the_cache_down(client, site, cache_down):
    index, article, feedback_page = site
    factories.comment(article, "Approved words")

    for url in (
        "/",
        article.url,
        feedback_page.url,
        f"/comments/pages/{article.pk}/feed/",
        f"/comments/pages/{article.pk}/comments.json",
        "/your-data/",
    ):
        assert client.get(url).status_code == 200, url
    assert "Approved words" in client.get(article.url).content.decode()


def test_a_comment_is_stored_emailed_and_confirmed_with_redis_down(
    transactional_db, client, site, cache_down, smtp_delivery
):
    """The README's deployment: one Redis holds the cache and the broker, so the
    broker is down too and the outbox's dispatcher sends what was not queued."""
    _, article, _ = site

    with celery_broker(f"{cache_down.redis_url}/0"):
        responses = [
            post_comment(client, article, body=f"Flaxseed worked, try {n}.")
            for n in range(3)
        ]

    comments = list(Comment.objects.order_by("pk"))
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert [r.url for r in responses] == [f"{article.url}#{c.anchor}" for c in comments]
    assert [c.body for c in comments] == [
        f"Flaxseed worked, try {n}." for n in range(3)
    ]
    delivery.dispatch()
    confirmations = smtp_delivery.parsed()
    assert [m["To"] for m in confirmations] == ["nina@example.com"] * 3
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}

    link = re.search(
        r"https?://[^/\s]+(/comments/confirm/\S+)", text_of(confirmations[0])
    )
    assert press_confirm(client, link[1]).status_code == 302
    comments[0].refresh_from_db()
    assert comments[0].status == Comment.Status.PENDING
    # Said once, not once per request (three posts, three limits each).
    assert cache_down.warnings() == [
        "The cache (CACHE_URL) does not answer: rate limits are off until it does."
    ]


def test_feedback_and_data_requests_are_taken_with_the_cache_down(
    client, site, cache_down, smtp_delivery
):
    _, _, feedback_page = site

    feedback = post_feedback(client, feedback_page)
    data_request = client.post("/your-data/", {"email": "ada@example.com"})

    assert feedback.status_code == 302
    assert Feedback.objects.get().body == "Great shop"
    assert data_request.status_code == 302
    delivery.dispatch()
    assert [m["To"] for m in smtp_delivery.parsed()] == ["ada@example.com"]
    assert len(cache_down.warnings()) == 1


def test_editors_work_in_the_admin_with_the_cache_down(admin_client, site, cache_down):
    index, article, _ = site
    comment = factories.comment(article, "Waiting words", status="pending")

    for url in (
        "/admin/",
        f"/admin/pages/{index.pk}/",
        f"/admin/pages/{article.pk}/edit/",
        "/admin/moderation/comments/",
        "/admin/moderation/outbox/",
    ):
        assert admin_client.get(url).status_code == 200, url
    admin_client.post(f"/admin/bulk/moderation/comment/approve/?id={comment.pk}")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert "Waiting words" in admin_client.get(article.url).content.decode()


@pytest.mark.services
def test_rate_limits_count_in_the_shared_redis(client, site, settings, tmp_path):
    redis_or_skip().flushdb()
    settings.CACHES = production_caches(tmp_path, REDIS_URL)
    settings.MODERATION_COMMENT_RATE_IP = (2, FOREVER)
    _, article, _ = site

    statuses = [
        post_comment(client, article, body=f"Words {n}", remote_addr="203.0.113.7")
        for n in range(3)
    ]
    elsewhere = post_comment(client, article, remote_addr="198.51.100.7")

    assert [r.status_code for r in statuses] == [302, 302, 429]
    assert elsewhere.status_code == 302
    assert Comment.objects.count() == 3
    redis_or_skip().flushdb()


@pytest.mark.services
def test_rate_limits_stop_while_redis_is_down_and_count_again_when_it_is_back(
    client, site, settings, tmp_path, caplog, fresh_process
):
    port = free_port()
    settings.CACHES = production_caches(tmp_path, f"redis://127.0.0.1:{port}/0")
    settings.MODERATION_COMMENT_RATE_IP = (2, FOREVER)
    _, article, _ = site

    def three_comments():
        return [
            post_comment(client, article, body=f"Words {n}").status_code
            for n in range(3)
        ]

    with running_redis_server(port):
        assert three_comments() == [302, 302, 429]
    assert three_comments() == [302, 302, 302]  # stopped: nobody is refused
    assert len(limiter_warnings(caplog)) == 1
    with running_redis_server(port):  # back, and empty
        assert three_comments() == [302, 302, 429]
    assert "rate limits are back on" in caplog.text
    assert three_comments() == [302, 302, 302]
    assert len(limiter_warnings(caplog)) == 2  # a new outage is said again
    assert Comment.objects.count() == 10
