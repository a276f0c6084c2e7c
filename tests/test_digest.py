import datetime

import pytest
from django.core import mail
from django.utils import timezone

from moderation.comments.digest import send_due_digests
from moderation.outbox import delivery
from moderation.settings import ModerationSettings
from moderation.tasks import send_moderator_digests
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(admin_user):  # admin_user: a superuser with an address, so a moderator
    return factories.article(factories.blog_index(), "Digest")


def sent():
    delivery.dispatch()
    return mail.outbox


def test_nothing_is_sent_when_nothing_waits(article):
    factories.comment(article, "Already published")

    assert send_moderator_digests.delay().get() == 0
    assert sent() == []


def test_digest_lists_what_waits_without_any_commenter_email(article):
    factories.comment(
        article, "Is enamel ok?", status="pending", author_email="jane@example.com"
    )
    factories.comment(article, "Done", status="approved")

    assert send_due_digests() == 1

    (digest,) = sent()
    assert digest.to == ["admin@example.com"]
    assert "1 comment waits" in digest.subject
    assert "Is enamel ok?" in digest.body and "Done" not in digest.body
    assert "jane@example.com" not in digest.body + digest.alternatives[0][0]
    assert "/admin/moderation/comments/inspect/" in digest.body


def test_digest_follows_frequency_and_recipients(article):
    factories.comment(article, "Waiting", status="pending")
    policy = ModerationSettings.for_site(article.get_site())
    policy.digest_recipients = "mods@example.com, lead@example.com"
    policy.save()
    now = timezone.now()

    assert send_due_digests(now) == 1
    assert send_due_digests(now + datetime.timedelta(hours=2)) == 0  # daily
    assert send_due_digests(now + datetime.timedelta(days=1)) == 1
    assert sent()[0].to == ["mods@example.com", "lead@example.com"]

    policy.refresh_from_db()
    policy.digest_frequency = ModerationSettings.Digest.NEVER
    policy.save()
    assert send_due_digests(now + datetime.timedelta(days=5)) == 0
