"""Moderation policy (Settings → Moderation) decides what happens to a new comment."""

import datetime

import pytest
from django.utils import timezone

from moderation.comments.models import Comment, VerifiedEmail
from moderation.settings import ModerationSettings
from tests import factories
from tests.comment_client import post_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return factories.article(factories.blog_index(), "Policy")


@pytest.fixture
def policy(article):
    settings = ModerationSettings.for_site(article.get_site())
    settings.require_email_confirmation = False
    settings.save()
    return settings


def status_of(body):
    return Comment.objects.get(body=body).status


def test_trusted_commenter_is_published_at_once(client, article, policy):
    policy.auto_approve_after = 2
    policy.save()
    VerifiedEmail.objects.create(email="nina@example.com")
    for n in range(2):
        factories.comment(article, f"Earlier {n}", author_email="nina@example.com")

    post_comment(client, article, body="Trusted now")
    post_comment(client, article, body="Stranger", email="new@example.com")

    assert status_of("Trusted now") == Comment.Status.APPROVED
    assert status_of("Stranger") == Comment.Status.PENDING


def test_unconfirmed_address_is_never_trusted(client, article, policy):
    policy.auto_approve_after = 1
    policy.save()
    factories.comment(article, "Earlier", author_email="nina@example.com")

    post_comment(client, article, body="Not verified")

    assert status_of("Not verified") == Comment.Status.PENDING


def test_many_links_hold_even_a_trusted_comment(client, article, policy):
    policy.auto_approve_after = 1
    policy.hold_links_over = 1
    policy.save()
    VerifiedEmail.objects.create(email="nina@example.com")
    factories.comment(article, "Earlier", author_email="nina@example.com")

    post_comment(client, article, body="See https://a.com and https://b.com")

    assert status_of("See https://a.com and https://b.com") == Comment.Status.PENDING


@pytest.mark.parametrize(
    "fields",
    [
        {"body": "Buy CHEAP PANS now"},
        {"body": "Look at https://www.spam.example/deal"},
        {"email": "bot@mail.spam.example"},
    ],
)
def test_blocklist_sends_comment_to_spam_without_confirmation_email(
    client, article, policy, fields
):
    policy.require_email_confirmation = True
    policy.blocked_words = "cheap pans\nviagra"
    policy.blocked_domains = "spam.example"
    policy.save()

    response = post_comment(client, article, **fields)

    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.SPAM
    from moderation.outbox.models import OutboxEmail

    assert OutboxEmail.objects.count() == 0


def test_old_articles_close_when_the_policy_says_so(client, article, policy):
    policy.close_after_days = 30
    policy.save()
    from tests.comment_client import form_fields

    fields = form_fields(client.get(article.url).content.decode())
    type(article).objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - datetime.timedelta(days=31)
    )

    page = client.get(article.url).content.decode()
    response = client.post(
        "/comments/post/",
        {**fields, "name": "N", "email": "n@example.com", "body": "Late"},
    )

    assert "Comments are closed" in page and 'id="comment-form"' not in page
    assert response.status_code == 403
    assert Comment.objects.count() == 0
