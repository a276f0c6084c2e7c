"""Abuse of the comment form gets a clear answer and stores nothing (promise 6)."""

import time

import pytest

from moderation.comments.forms import CommentForm
from moderation.comments.models import Comment
from tests import factories
from tests.comment_client import form_fields, post_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return factories.article(factories.blog_index(), "An article")


def assert_nothing_stored():
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "field, value",
    [
        ("page", "999"),
        ("parent", "1"),
        ("timestamp", "12345"),
        ("security_hash", "0" * 64),
        ("security_hash", ""),
        ("timestamp", "not-a-number"),
    ],
)
def test_tampered_hidden_field_is_a_400(client, article, field, value):
    response = post_comment(client, article, **{field: value})

    assert response.status_code == 400
    assert "This form was changed" in response.content.decode() or field == "page"
    assert_nothing_stored()


def test_form_for_another_page_is_a_400(client, article):
    other = factories.article(article.get_parent().specific, "Other article")
    fields = form_fields(client.get(other.url).content.decode())
    fields.update(page=str(article.pk), name="N", email="n@example.com", body="Hi")

    response = client.post("/comments/post/", fields)

    assert response.status_code == 400
    assert_nothing_stored()


def test_missing_hidden_fields_are_a_400(client, article):
    response = client.post("/comments/post/", {"name": "N", "email": "n@example.com"})

    assert response.status_code == 400
    assert "no page" in response.content.decode()
    assert_nothing_stored()


def test_honeypot_is_a_400(client, article):
    response = post_comment(client, article, website="http://spam.example")

    assert (
        response.status_code == 400 and "looked automated" in response.content.decode()
    )
    assert_nothing_stored()


@pytest.mark.parametrize("age", [3 * 60 * 60, -10 * 60])
def test_stale_or_future_form_asks_to_send_again_and_keeps_the_text(
    client, article, age
):
    timestamp = int(time.time()) - age
    response = post_comment(
        client,
        article,
        body="My careful words",
        timestamp=timestamp,
        security_hash=CommentForm.make_hash(article.pk, None, timestamp),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "too old or comes from the future" in html
    assert "My careful words" in html  # nothing typed is lost
    assert_nothing_stored()
    # The form shown again carries a fresh signature, so sending it works.
    fresh = form_fields(html)
    assert int(fresh["timestamp"]) >= int(time.time()) - 5
    again = client.post(
        "/comments/post/",
        {**fresh, "name": "N", "email": "n@example.com", "body": "Ok"},
    )
    assert again.status_code == 302


def test_csrf_is_enforced(article):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = post_comment(client, article)

    assert response.status_code == 403
    assert_nothing_stored()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"body": "   \n  "}, "Please write something"),
        ({"body": ""}, "Please write something"),
        ({"email": "not-an-email"}, "Enter a valid email address"),
        ({"name": "  "}, "This field is required"),
        ({"name": "x" * 51}, "at most 50 characters"),
        ({"body": "x" * 5001}, "at most 5000 characters"),
        ({"body": " ".join(f"http://e{n}.com" for n in range(11))}, "at most 10 links"),
    ],
)
def test_invalid_input_shows_the_form_with_a_field_error(
    client, article, fields, message
):
    response = post_comment(client, article, **fields)

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and 'class="field field--error"' in html
    assert_nothing_stored()


def test_closed_comments_are_refused_with_a_403(client, article):
    fields = form_fields(client.get(article.url).content.decode())
    article.comments_open = False
    article.save_revision().publish()

    response = client.post(
        "/comments/post/",
        {**fields, "name": "N", "email": "n@example.com", "body": "Hi"},
    )

    assert (
        response.status_code == 403
        and "Comments are closed" in response.content.decode()
    )
    assert 'id="comment-form"' not in client.get(article.url).content.decode()
    assert_nothing_stored()


def test_unpublished_page_takes_no_comments(client, article):
    fields = form_fields(client.get(article.url).content.decode())
    article.unpublish()

    response = client.post(
        "/comments/post/",
        {**fields, "name": "N", "email": "n@example.com", "body": "Hi"},
    )

    assert response.status_code == 400
    assert_nothing_stored()


def test_a_get_stores_nothing_and_other_methods_are_not_allowed(client):
    assert client.get("/comments/post/?body=spam").status_code == 302
    assert client.delete("/comments/post/").status_code == 405
    assert_nothing_stored()


def test_rate_limit_per_network_gives_429_and_spares_other_networks(
    client, article, settings
):
    settings.MODERATION_COMMENT_RATE_IP = (3, 60)
    for n in range(3):
        assert (
            post_comment(
                client, article, body=f"ok {n}", remote_addr="203.0.113.7"
            ).status_code
            == 302
        )

    limited = post_comment(
        client, article, body="one too many", remote_addr="203.0.113.99"
    )
    other = post_comment(client, article, body="elsewhere", remote_addr="198.51.100.7")

    assert limited.status_code == 429  # same /24
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "Please wait" in limited.content.decode()
    assert other.status_code == 302
    assert Comment.objects.count() == 4
    assert set(Comment.objects.values_list("ip_network", flat=True)) == {
        "203.0.113.0/24",
        "198.51.100.0/24",
    }


def test_rate_limit_per_email(client, article, settings):
    settings.MODERATION_COMMENT_RATE_EMAIL = (2, 3600)
    for n in range(2):
        post_comment(client, article, body=f"ok {n}", remote_addr=f"192.0.{n}.1")

    response = post_comment(client, article, body="third", remote_addr="192.0.9.1")

    assert response.status_code == 429
    assert Comment.objects.count() == 2


def test_ipv6_is_stored_as_a_48_network(client, article):
    post_comment(client, article, remote_addr="2001:db8:1234:5678::1")

    assert Comment.objects.get().ip_network == "2001:db8:1234::/48"
