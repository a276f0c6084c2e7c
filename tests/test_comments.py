"""The commenter's journey (docs/design.md), through the Django test client."""

import re
import time

import pytest
from django.core import mail

from moderation.comments import actions
from moderation.comments.forms import CommentForm
from moderation.comments.models import Comment, VerifiedEmail
from moderation.outbox import delivery
from moderation.outbox.models import OutboxEmail
from moderation.settings import ModerationSettings
from tests import factories
from tests.comment_client import post_comment, press_confirm

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return factories.article(factories.blog_index(), "Seasoning cast iron")


def sent():
    """The emails sent so far: deliver what waits in the outbox (inline here)."""
    delivery.dispatch()
    return mail.outbox


def link_in(message, path):
    return re.search(
        rf"https?://[^/\s]+({re.escape(path)}[^\s\"<]*)", message.body
    ).group(1)


def test_guest_comment_journey_from_post_to_published(client, article, admin_user):
    response = post_comment(client, article, body="Flaxseed worked for me.")

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url == f"{article.url}#comment-{comment.pk}"
    assert comment.status == Comment.Status.UNCONFIRMED

    # The confirmation email repeats nothing the commenter typed.
    (confirmation,) = sent()
    assert confirmation.to == ["nina@example.com"]
    assert "Flaxseed" not in confirmation.body and "Nina" not in confirmation.body
    assert "Flaxseed" not in confirmation.alternatives[0][0]

    # Only the commenter's browser sees the waiting comment.
    own_view = client.get(article.url).content.decode()
    assert "Flaxseed worked for me." in own_view and "Only you can see this" in own_view
    assert "Flaxseed" not in client.__class__().get(article.url).content.decode()

    press_confirm(client, link_in(confirmation, "/comments/confirm/"))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "Flaxseed" not in client.__class__().get(article.url).content.decode()

    actions.approve(comment, admin_user)

    public = client.__class__().get(article.url).content.decode()
    assert "Flaxseed worked for me." in public and "Nina Reader" in public
    assert "nina@example.com" not in public
    assert "1 comment" in public


@pytest.mark.parametrize("name", [None, "shop_comments"])
def test_a_browser_knows_its_comments_by_the_cookie_the_site_names(
    client, article, settings, name
):
    if name:
        settings.MODERATION_COMMENT_COOKIE_NAME = name

    post_comment(client, article, body="Mine, still waiting.")

    assert [key for key in client.cookies if "comments" in key] == [
        name or "moderation_comments"
    ]
    own_view = client.get(article.url).content.decode()
    assert "Mine, still waiting." in own_view and "Only you can see this" in own_view


def test_confirmed_address_skips_confirmation_next_time(client, article):
    VerifiedEmail.objects.create(email="nina@example.com")

    post_comment(client, article, email="Nina@Example.com")

    assert Comment.objects.get().status == Comment.Status.PENDING
    assert sent() == []


def test_site_can_turn_email_confirmation_off(client, article):
    settings = ModerationSettings.for_site(article.get_site())
    settings.require_email_confirmation = False
    settings.save()

    post_comment(client, article)

    assert Comment.objects.get().status == Comment.Status.PENDING


def test_confirmation_emails_are_limited_per_address_per_day(client, article):
    for number in range(5):
        post_comment(client, article, body=f"Comment {number}")

    assert Comment.objects.filter(status="unconfirmed").count() == 5
    assert len(sent()) == 3


def test_signed_in_user_comments_under_username(client, article, django_user_model):
    user = django_user_model.objects.create_user(
        "maya", "maya@example.com", "pw-123456-long"
    )
    client.force_login(user)

    html = client.get(article.url).content.decode()
    assert (
        'name="email"' not in html
        and "You are commenting as <strong>maya</strong>" in html
    )

    post_comment(client, article, name="Someone Else", email="x@example.com")

    comment = Comment.objects.get()
    assert (comment.author_name, comment.author_email, comment.user) == (
        "maya",
        "maya@example.com",
        user,
    )
    assert comment.status == Comment.Status.PENDING  # no confirmation for an account


def test_a_username_that_is_an_email_address_is_never_shown(
    client, article, django_user_model
):
    user = django_user_model.objects.create_user(
        "maya.lopez@example.com", "maya.lopez@example.com", "pw-123456-long"
    )
    client.force_login(user)
    post_comment(client, article, body="Signed in with my address as username.")
    comment = Comment.objects.get()
    actions.approve(comment)

    page = client.get(article.url).content.decode()

    assert comment.author_name == "maya.lopez"
    assert "Signed in with my address" in page and "maya.lopez@example.com" not in page


def test_editor_comment_is_published_and_marked_from_the_site(
    client, article, admin_user
):
    client.force_login(admin_user)

    post_comment(client, article, body="Thanks, everyone.")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED and comment.by_staff
    assert comment.author_name == "Test"  # the site's name, not the login
    assert "from the site" in client.get(article.url).content.decode()


def test_threaded_reply_and_depth_limit(client, article, settings):
    settings.MODERATION_COMMENT_MAX_DEPTH = 1
    root = factories.comment(article, "First!")
    VerifiedEmail.objects.create(email="nina@example.com")

    response = post_comment(client, article, reply_to=root, body="A reply")
    reply = Comment.objects.get(body="A reply")
    assert response.status_code == 302
    assert (reply.parent, reply.thread, reply.depth) == (root, root, 1)

    actions.approve(reply)
    html = client.get(article.url).content.decode()
    assert f'href="{article.url}?reply={root.pk}#comment-form"' in html
    assert (
        f'href="{article.url}?reply={reply.pk}#comment-form"' not in html
    )  # too deep for a reply link
    assert html.index("First!") < html.index("A reply")

    # A form rendered before the limit changed still carries a valid signature.
    timestamp = int(time.time())
    too_deep = post_comment(
        client,
        article,
        body="Deeper",
        parent=reply.pk,
        timestamp=timestamp,
        security_hash=CommentForm.make_hash(article.pk, reply.pk, timestamp),
    )
    assert (
        too_deep.status_code == 200
        and not Comment.objects.filter(body="Deeper").exists()
    )
    assert "too deep for another reply" in too_deep.content.decode()


def test_reply_to_unpublished_comment_is_refused_with_a_message(client, article):
    root = factories.comment(article, "Published")
    page_html = client.get(f"{article.url}?reply={root.pk}").content.decode()
    assert "Reply to Cora Commenter" in page_html
    Comment.objects.filter(pk=root.pk).update(status="rejected")
    from tests.comment_client import form_fields

    data = {
        **form_fields(page_html),
        "name": "N",
        "email": "n@example.com",
        "body": "Hi",
    }
    response = client.post("/comments/post/", data)

    assert response.status_code == 200
    assert "You can only reply to a published comment" in response.content.decode()
    assert Comment.objects.count() == 1


def test_permalinks_and_thread_pagination(client, article, settings):
    settings.MODERATION_COMMENTS_PER_PAGE = 5
    comments = [factories.comment(article, f"Thread number {n:02d}") for n in range(12)]

    first = client.get(article.url).content.decode()
    third = client.get(article.url + "?comments=3").content.decode()

    assert f'id="comment-{comments[0].pk}"' in first and "Thread number 05" not in first
    assert "Thread number 10" in third and "Comments page 3 of 3" in third
    assert "12 comments" in first


def test_initials_avatar_and_no_gravatar(client, article):
    factories.comment(
        article, author_name="Tomás Herrera", author_email="tomas@example.com"
    )

    html = client.get(article.url).content.decode()

    assert ">TH</span>" in html
    assert "gravatar" not in html.lower()


def test_rss_and_json_of_approved_comments_show_name_and_text_only(client, article):
    factories.comment(article, "Approved words", author_email="secret@example.com")
    factories.comment(article, "Pending words", status="pending")

    rss = client.get(f"/comments/pages/{article.pk}/feed/").content.decode()
    data = client.get(f"/comments/pages/{article.pk}/comments.json").json()

    assert "Approved words" in rss and "Pending words" not in rss
    assert "secret@example.com" not in rss
    assert [c["author"] for c in data["comments"]] == ["Cora Commenter"]
    assert set(data["comments"][0]) == {
        "id",
        "parent",
        "author",
        "from_site",
        "html",
        "created_at",
    }
    assert data["next"] is None


def test_json_page_numbers_past_the_end_or_not_numbers_fall_back(client, article):
    for number in range(101):
        factories.comment(article, f"Comment {number}")
    url = f"/comments/pages/{article.pk}/comments.json"

    first = client.get(url).json()
    past_bigint = client.get(f"{url}?page=10000000000000000000")
    nonsense = client.get(f"{url}?page=abc").json()

    assert len(first["comments"]) == 100 and first["next"] == f"{url}?page=2"
    assert past_bigint.status_code == 200
    assert [c["html"] for c in past_bigint.json()["comments"]] == [
        "<p>Comment 100</p>"
    ]  # the last page
    assert past_bigint.json()["next"] is None
    assert nonsense["comments"] == first["comments"]


def test_feeds_of_unknown_pages_are_404(client):
    assert client.get("/comments/pages/999999/feed/").status_code == 404
    assert client.get("/comments/pages/999999/comments.json").status_code == 404


# Notices and unsubscribing --------------------------------------------------------


def test_published_notice_is_sent_once_with_unsubscribe(client, article):
    comment = factories.comment(article, status="pending", notify_on_approval=True)

    actions.approve(comment)
    actions.approve(comment)  # approving twice sends nothing more

    (notice,) = sent()
    assert notice.to == ["cora@example.com"]
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert notice.extra_headers["List-Unsubscribe"].startswith("<http")


def test_reply_notice_when_a_held_reply_is_approved_later(client, article):
    parent = factories.comment(article, "Question?", notify_on_reply=True)
    reply = factories.comment(
        article,
        "Answer.",
        parent=parent,
        status="pending",
        author_name="Ann",
        author_email="ann@example.com",
    )
    assert sent() == []

    actions.approve(reply)
    actions.approve(reply)

    (notice,) = sent()
    assert notice.to == ["cora@example.com"]
    assert "Ann replied" in notice.subject and "Answer." in notice.body


def test_no_reply_notice_for_rejected_reply_or_to_oneself(client, article):
    parent = factories.comment(article, "Question?", notify_on_reply=True)
    rejected = factories.comment(article, "Spam", parent=parent, status="pending")
    own = factories.comment(article, "Me again", parent=parent, status="pending")

    actions.reject(rejected)
    actions.approve(own)  # same address as the parent

    assert sent() == []


def test_one_click_unsubscribe_stops_notices(client, article):
    parent = factories.comment(article, "Question?", notify_on_reply=True)
    first = factories.comment(
        article, "One", parent=parent, status="pending", author_email="a@example.com"
    )
    actions.approve(first)
    unsubscribe = link_in(sent()[0], "/comments/unsubscribe/")

    page = client.get(unsubscribe)
    assert page.status_code == 200 and "Stop these emails" in page.content.decode()
    csrf_client = client.__class__(enforce_csrf_checks=True)
    assert csrf_client.post(unsubscribe).status_code == 200  # RFC 8058 one-click POST

    second = factories.comment(
        article, "Two", parent=parent, status="pending", author_email="b@example.com"
    )
    actions.approve(second)
    assert len(sent()) == 1


def test_broken_and_expired_links_say_what_happened(client, article, settings):
    comment = factories.comment(article, status="unconfirmed")
    from moderation import tokens

    broken = client.get("/comments/confirm/not-a-real-token/")
    assert (
        broken.status_code == 400
        and "This link is not valid" in broken.content.decode()
    )

    settings.MODERATION_COMMENT_CONFIRM_DAYS = -1
    expired = client.get(
        f"/comments/confirm/{tokens.make('comment.confirm', comment.pk)}/"
    )
    assert (
        expired.status_code == 410
        and "This link has expired" in expired.content.decode()
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.UNCONFIRMED


# Own comment: edit and delete -----------------------------------------------------


def test_author_can_edit_within_window_and_edit_goes_back_to_moderation(
    client, article
):
    VerifiedEmail.objects.create(email="nina@example.com")
    post_comment(client, article, body="Typo heer")
    comment = Comment.objects.get()
    actions.approve(comment)
    manage = f"/comments/{comment.pk}/manage/"

    assert "Typo heer" in client.get(manage).content.decode()
    response = client.post(manage, {"action": "edit", "body": "Typo here"})

    comment.refresh_from_db()
    assert response.status_code == 302
    assert (comment.body, comment.status) == ("Typo here", Comment.Status.PENDING)
    assert comment.edited_at is not None


def test_edit_window_closes(client, article, settings):
    VerifiedEmail.objects.create(email="nina@example.com")
    post_comment(client, article, body="Original")
    comment = Comment.objects.get()
    settings.MODERATION_COMMENT_EDIT_MINUTES = 0

    response = client.post(
        f"/comments/{comment.pk}/manage/", {"action": "edit", "body": "New"}
    )

    assert (
        response.status_code == 403 and "too late to edit" in response.content.decode()
    )
    comment.refresh_from_db()
    assert comment.body == "Original"


def test_author_deletes_with_emailed_link_and_replies_stay(client, article):
    parent = factories.comment(
        article, "Delete me", notify_on_approval=True, status="pending"
    )
    factories.comment(article, "A reply", parent=parent, author_email="r@example.com")
    actions.approve(parent)
    manage = link_in(sent()[0], "/comments/")

    response = client.__class__().post(
        manage, {"action": "delete", "t": manage.split("t=")[1]}
    )

    parent.refresh_from_db()
    assert response.status_code == 302
    assert (
        parent.status == Comment.Status.DELETED
        and parent.body == ""
        and parent.author_email == ""
    )
    html = client.get(article.url).content.decode()
    assert (
        "deleted by its author" in html
        and "A reply" in html
        and "Delete me" not in html
    )


def test_someone_else_cannot_manage_a_comment(client, article):
    comment = factories.comment(article, "Mine")

    response = client.post(f"/comments/{comment.pk}/manage/", {"action": "delete"})
    forged = client.post(
        f"/comments/{comment.pk}/manage/?t=forged", {"action": "delete"}
    )

    assert response.status_code == 403 and forged.status_code == 400
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_every_comment_change_is_in_the_audit_log(client, article, admin_user):
    from wagtail.models import ModelLogEntry

    comment = factories.comment(article, status="pending")
    actions.approve(comment, admin_user)
    actions.reject(comment, admin_user)
    actions.mark_spam(comment, admin_user)

    assert list(
        ModelLogEntry.objects.filter(object_id=str(comment.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "moderation.comment.approve",
        "moderation.comment.reject",
        "moderation.comment.spam",
    ]
    assert OutboxEmail.objects.count() == 0


def test_the_stored_counts_follow_every_change(client, article, settings, admin_user):
    from moderation.personal_data.records import CommentChoice, erase

    settings.MODERATION_COMMENTS_PER_PAGE = 2

    def shown():
        html = client.get(article.url).content.decode()
        heading = re.search(r'id="comments-heading">([^<]+)<', html)[1]
        pages = re.search(r"Comments page 1 of (\d+)", html)
        return heading, int(pages[1]) if pages else 1

    first = factories.comment(article, "One", author_email="one@example.com")
    factories.comment(article, "Two")
    factories.comment(article, "Reply", parent=first)
    waiting = factories.comment(article, "Three", status="pending")
    assert shown() == ("3 comments", 1)

    actions.approve(waiting)
    assert shown() == ("4 comments", 2)
    actions.reject(waiting, admin_user)
    assert shown() == ("3 comments", 1)
    actions.approve_many([waiting], admin_user)
    assert shown() == ("4 comments", 2)
    actions.delete(waiting, admin_user)  # no replies: gone
    assert shown() == ("3 comments", 1)
    erase("one@example.com", comments=CommentChoice.REMOVE, source="command")
    assert shown() == ("2 comments", 1)  # a placeholder keeps the reply's place


def test_a_get_of_the_form_address_leads_to_the_form_or_the_home_page(client, article):
    named = client.get(f"/comments/post/?page={article.pk}")
    assert named.status_code == 302
    assert named["Location"] == f"{article.url}#comment-form"

    replying = client.get(f"/comments/post/?page={article.pk}&reply=7")
    assert replying["Location"] == f"{article.url}?reply=7"

    for address in ("/comments/post/", "/comments/post/?page=999999&x=1"):
        assert client.get(address)["Location"] == "/"
    assert client.put("/comments/post/").status_code == 405


def test_opening_a_confirmation_link_confirms_nothing_until_its_button_is_pressed(
    client, article
):
    """Mail scanners and link previews fetch every link in an email."""
    from moderation import tokens

    comment = factories.comment(article, status="unconfirmed")
    link = f"/comments/confirm/{tokens.make('comment.confirm', comment.pk)}/"

    for _scanner in range(2):
        shown = client.get(link)
        assert shown.status_code == 200
        html = shown.content.decode()
        assert "Confirm my comment" in html and 'method="post"' in html
    comment.refresh_from_db()
    assert comment.status == Comment.Status.UNCONFIRMED
    assert not VerifiedEmail.objects.exists()

    pressed = client.post(link)
    assert pressed["Location"] == f"{article.url}#{comment.anchor}"
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING

    again = client.get(link, follow=True).content.decode()
    assert "Your address was already confirmed." in again


def test_the_confirmation_button_needs_the_pages_csrf_token(article):
    from django.test import Client

    from moderation import tokens

    comment = factories.comment(article, status="unconfirmed")
    link = f"/comments/confirm/{tokens.make('comment.confirm', comment.pk)}/"
    strict = Client(enforce_csrf_checks=True)

    assert strict.post(link).status_code == 403
    html = strict.get(link).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    assert strict.post(link, {"csrfmiddlewaretoken": token}).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
