"""The editor's moderation queue in the Wagtail admin (first part of issue 4)."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from wagtail.models import ModelLogEntry

from moderation.comments.models import Comment
from moderation.outbox import delivery
from tests import factories

pytestmark = pytest.mark.django_db
LIST = "/admin/moderation/comments/"


@pytest.fixture
def article():
    return factories.article(factories.blog_index(), "Cast iron")


def staff(django_user_model, *codenames):
    user = django_user_model.objects.create_user(
        "mod", "mod@example.com", "pw-123456-long"
    )
    group = Group.objects.create(name="Some editors")
    group.permissions.set(
        Permission.objects.filter(codename__in=["access_admin", *codenames])
    )
    user.groups.add(group)
    return user


def test_moderator_sees_queue_with_masked_emails_and_filters(
    client, django_user_model, article
):
    factories.comment(
        article, "Waiting one", status="pending", author_email="jane.doe@example.com"
    )
    factories.comment(article, "Published one", author_email="pub@example.com")
    client.force_login(staff(django_user_model, "moderate_comment"))

    everything = client.get(LIST + "?status=all").content.decode()
    pending = client.get(LIST + "?status=pending").content.decode()
    opened = client.get(LIST).content.decode()

    assert "Waiting one" in everything and "Published one" in everything
    # The queue opens on what waits, with that filter shown and "All" one click away.
    assert "Waiting one" in opened and "Published one" not in opened
    radios = dict(
        re.findall(r'<input type="radio" name="status" value="(\w+)"([^>]*)>', opened)
    )
    assert "checked" in radios["pending"] and "checked" not in radios["all"]
    assert "jane.doe@example.com" not in everything and "j•••@e•••.com" in everything
    assert "Waiting one" in pending and "Published one" not in pending


def test_search_by_email_needs_the_permission(client, django_user_model, article):
    factories.comment(article, "Findable", author_email="jane.doe@example.com")
    user = staff(django_user_model, "moderate_comment")
    client.force_login(user)

    assert (
        "Findable" not in client.get(LIST + "?status=all&q=jane.doe").content.decode()
    )
    assert "Findable" in client.get(LIST + "?status=all&q=findable").content.decode()

    user.groups.first().permissions.add(
        Permission.objects.get(codename="view_email_comment")
    )
    client.force_login(django_user_model.objects.get(pk=user.pk))
    html = client.get(LIST + "?status=all&q=jane.doe").content.decode()
    assert "Findable" in html  # found, and still masked: only "Reveal" shows it
    assert "jane.doe@example.com" not in html and "j•••@e•••.com" in html


def test_inspect_view_masks_email_and_approve_logs_and_notifies(
    client, django_user_model, article
):
    comment = factories.comment(
        article, "Please publish", status="pending", notify_on_approval=True
    )
    user = staff(django_user_model, "moderate_comment")
    client.force_login(user)

    inspect = client.get(f"{LIST}inspect/{comment.pk}/").content.decode()
    assert (
        "Please publish" in inspect
        and "cora@example.com" not in inspect
        and "c•••@e•••.com" in inspect
    )

    response = client.post(f"{LIST}action/{comment.pk}/approve/")

    comment.refresh_from_db()
    assert response.status_code == 302 and comment.status == Comment.Status.APPROVED
    entry = ModelLogEntry.objects.get(action="moderation.comment.approve")
    assert entry.user == user
    delivery.dispatch()
    assert [m.to for m in mail.outbox] == [["cora@example.com"]]


def test_bulk_approve_and_spam_go_through_the_actions(
    admin_client, admin_user, article
):
    comments = [
        factories.comment(article, f"Bulk {n}", status="pending") for n in range(3)
    ]
    ids = "&".join(f"id={c.pk}" for c in comments)

    confirm = admin_client.get(f"/admin/bulk/moderation/comment/approve/?{ids}")
    assert confirm.status_code == 200 and "Bulk 0" in confirm.content.decode()
    admin_client.post(f"/admin/bulk/moderation/comment/approve/?{ids}")
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    assert (
        ModelLogEntry.objects.filter(action="moderation.comment.approve").count() == 3
    )

    admin_client.post(f"/admin/bulk/moderation/comment/spam/?id={comments[0].pk}")
    comments[0].refresh_from_db()
    assert comments[0].status == Comment.Status.SPAM


def test_editor_without_moderation_permission_is_refused(
    client, django_user_model, article
):
    comment = factories.comment(article, "Private queue", status="pending")
    client.force_login(staff(django_user_model))

    for response in [
        client.get(LIST),
        client.get(f"{LIST}inspect/{comment.pk}/"),
        client.post(f"{LIST}action/{comment.pk}/approve/"),
    ]:
        assert response.status_code in (302, 403)
        assert "Private queue" not in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "pending comment" not in client.get("/admin/").content.decode()


def test_comments_cannot_be_added_or_edited_by_hand(admin_client, article):
    comment = factories.comment(article)

    assert admin_client.get(f"{LIST}add/").status_code in (302, 403)
    assert admin_client.get(f"{LIST}edit/{comment.pk}/").status_code in (302, 403)


def test_dashboard_shows_what_waits(admin_client, article):
    factories.comment(article, status="pending")
    factories.comment(article, status="pending")

    html = admin_client.get("/admin/").content.decode()

    assert "2 comments are waiting for moderation." in html
    assert "2 pending comments" in html


def test_reveal_shows_the_address_once_asked_and_is_logged(
    client, django_user_model, article
):
    comment = factories.comment(
        article, "Who wrote me?", author_email="jane.doe@example.com"
    )
    user = staff(django_user_model, "moderate_comment", "view_email_comment")
    client.force_login(user)
    inspect = f"{LIST}inspect/{comment.pk}/"

    before = client.get(inspect).content.decode()
    assert "jane.doe@example.com" not in before and "Reveal email address" in before

    client.post(f"{LIST}reveal/{comment.pk}/")

    assert "jane.doe@example.com" in client.get(inspect).content.decode()
    assert (
        ModelLogEntry.objects.get(action="moderation.comment.reveal_email").user == user
    )


def test_reveal_needs_the_permission(client, django_user_model, article):
    comment = factories.comment(article, author_email="jane.doe@example.com")
    client.force_login(staff(django_user_model, "moderate_comment"))

    assert (
        "Reveal email address"
        not in client.get(f"{LIST}inspect/{comment.pk}/").content.decode()
    )
    client.post(f"{LIST}reveal/{comment.pk}/")

    assert (
        "jane.doe@example.com"
        not in client.get(f"{LIST}inspect/{comment.pk}/").content.decode()
    )
    assert not ModelLogEntry.objects.filter(
        action="moderation.comment.reveal_email"
    ).exists()


def test_staff_reply_is_published_marked_and_notifies_the_commenter(
    client, django_user_model, article
):
    comment = factories.comment(article, "How long to season?", notify_on_reply=True)
    client.force_login(staff(django_user_model, "moderate_comment"))

    client.post(f"{LIST}reply/{comment.pk}/", {"body": "About an hour per coat."})

    reply = Comment.objects.get(parent=comment)
    assert reply.status == Comment.Status.APPROVED and reply.by_staff
    page = client.__class__().get(article.url).content.decode()
    assert "About an hour per coat." in page and "from the site" in page
    assert reply.author_name == "Test"  # the site's name, not the login "mod"
    delivery.dispatch()
    assert [m.to for m in mail.outbox] == [["cora@example.com"]]


def test_site_reply_signed_by_the_editor_when_the_site_says_so(
    client, django_user_model, article, settings
):
    settings.MODERATION_SITE_REPLY_SIGNATURE = "editor"
    comment = factories.comment(article, "How long to season?")
    editor = staff(django_user_model, "moderate_comment")
    editor.first_name, editor.last_name = "Mona", "Ortiz"
    editor.save()
    client.force_login(editor)

    client.post(f"{LIST}reply/{comment.pk}/", {"body": "About an hour per coat."})

    reply = Comment.objects.get(parent=comment)
    assert reply.author_name == "Mona Ortiz" and reply.by_staff


def test_email_the_commenter_goes_through_the_outbox_without_showing_the_address(
    client, django_user_model, article
):
    comment = factories.comment(
        article, "Broken link?", author_email="jane.doe@example.com"
    )
    user = staff(django_user_model, "moderate_comment")
    client.force_login(user)

    response = client.post(
        f"{LIST}email/{comment.pk}/",
        {"subject": "About your comment", "message": "Fixed, thank you!"},
        follow=True,
    )

    assert "jane.doe@example.com" not in response.content.decode()
    delivery.dispatch()
    (message,) = mail.outbox
    assert (
        message.to == ["jane.doe@example.com"] and "Fixed, thank you!" in message.body
    )
    assert (
        ModelLogEntry.objects.get(action="moderation.comment.email_author").user == user
    )
    listing = client.get("/admin/moderation/outbox/").content.decode()
    assert "jane.doe@example.com" not in listing  # the outbox masks it too


def test_restore_puts_spam_back_in_the_queue(admin_client, article):
    comment = factories.comment(article, status="spam")

    admin_client.post(f"{LIST}action/{comment.pk}/restore/")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert (
        ModelLogEntry.objects.filter(action="moderation.comment.restore").count() == 1
    )


def test_bulk_delete_keeps_a_placeholder_where_there_are_replies(admin_client, article):
    lonely = factories.comment(article, "Nobody answered")
    answered = factories.comment(article, "Somebody answered")
    factories.comment(article, "The answer", parent=answered)

    admin_client.post(
        f"/admin/bulk/moderation/comment/delete/?id={lonely.pk}&id={answered.pk}"
    )

    assert not Comment.objects.filter(pk=lonely.pk).exists()
    answered.refresh_from_db()
    assert answered.status == Comment.Status.DELETED and answered.body == ""
    assert Comment.objects.filter(body="The answer").exists()
    assert ModelLogEntry.objects.filter(action="moderation.comment.remove").count() == 2


def test_export_masks_emails_even_with_the_permission(
    client, django_user_model, article
):
    factories.comment(article, "Exported", author_email="jane.doe@example.com")
    user = staff(django_user_model, "moderate_comment")
    client.force_login(user)

    masked = b"".join(
        client.get(LIST + "?status=all&export=csv").streaming_content
    ).decode()
    assert (
        "Exported" in masked
        and "jane.doe@example.com" not in masked
        and "j•••@e•••.com" in masked
    )

    user.groups.first().permissions.add(
        Permission.objects.get(codename="view_email_comment")
    )
    client.force_login(django_user_model.objects.get(pk=user.pk))
    still = b"".join(
        client.get(LIST + "?status=all&export=csv").streaming_content
    ).decode()
    # A spreadsheet is copied and forwarded: only "Reveal", logged, shows an address.
    assert "jane.doe@example.com" not in still and "j•••@e•••.com" in still


def test_listing_with_1000_comments_paginates_and_filters(admin_client, article):
    for n in range(1000):
        factories.comment(
            article, f"Bulk comment {n:04d}", status="pending" if n % 2 else "approved"
        )

    first = admin_client.get(LIST + "?status=all").content.decode()
    last = admin_client.get(LIST + "?status=all&p=20").content.decode()
    pending = admin_client.get(LIST + "?status=pending&q=comment 0001").content.decode()

    assert "Page 1 of 20" in first and "Bulk comment 0999" in first
    assert "Bulk comment 0000" in last
    assert "Bulk comment 0001" in pending and "Bulk comment 0002" not in pending


def test_bulk_approving_1000_comments_takes_a_bounded_number_of_queries(
    admin_client, article, django_assert_max_num_queries
):
    parent = factories.comment(article, "Ask me", notify_on_reply=True)
    comments = [
        factories.comment(article, f"C{n}", status="pending") for n in range(1000)
    ]
    reply = factories.comment(
        article,
        "Held reply",
        parent=parent,
        status="pending",
        author_email="r@example.com",
    )
    ids = "&".join(f"id={c.pk}" for c in [*comments, reply])

    # (SQLite splits the log-entry INSERT into batches of ~100 rows, 11 of the
    # queries here; PostgreSQL does one.)
    with django_assert_max_num_queries(32):
        response = admin_client.post(f"/admin/bulk/moderation/comment/approve/?{ids}")

    assert response.status_code == 302
    assert Comment.objects.filter(status="approved").count() == 1002
    assert (
        ModelLogEntry.objects.filter(action="moderation.comment.approve").count()
        == 1001
    )
    delivery.dispatch()
    assert [m.to for m in mail.outbox] == [
        ["cora@example.com"]
    ]  # the held reply's notice


def test_dashboard_chart_counts_moderated_comments_per_day(admin_client, article):
    factories.comment(article, status="approved")
    factories.comment(article, status="approved")
    factories.comment(article, status="spam")

    html = admin_client.get("/admin/").content.decode()

    assert "Comments per day, last 30 days" in html
    assert html.count("<tr>") >= 31
    assert "<td>2</td><td>0</td><td>1</td>" in html


def test_moderators_group_can_moderate_but_not_see_addresses(
    client, django_user_model, article
):
    comment = factories.comment(
        article, "For the group", status="pending", author_email="jane.doe@example.com"
    )
    user = django_user_model.objects.create_user(
        "moira", "moira@example.com", "pw-123456-long"
    )
    user.groups.add(Group.objects.get(name="Comment moderators"))
    client.force_login(user)

    html = client.get(LIST).content.decode()
    client.post(f"{LIST}action/{comment.pk}/approve/")

    assert "For the group" in html and "jane.doe@example.com" not in html
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert client.get("/admin/moderation/outbox/").status_code == 200


@pytest.mark.parametrize(
    "action_type, status, log_action",
    [
        ("reject", "rejected", "moderation.comment.reject"),
        ("spam", "spam", "moderation.comment.spam"),
        ("restore", "pending", "moderation.comment.restore"),
    ],
)
def test_each_bulk_action_changes_state_and_logs(
    admin_client, article, action_type, status, log_action
):
    comments = [
        factories.comment(
            article, f"C{n}", status="approved" if action_type != "restore" else "spam"
        )
        for n in range(2)
    ]

    admin_client.post(
        f"/admin/bulk/moderation/comment/{action_type}/?id={comments[0].pk}&id={comments[1].pk}"
    )

    assert set(Comment.objects.values_list("status", flat=True)) == {status}
    assert ModelLogEntry.objects.filter(action=log_action).count() == 2
    delivery.dispatch()
    assert mail.outbox == []


def test_every_step_is_in_wagtails_history_report(admin_client, article):
    comment = factories.comment(article, "Report me", status="pending")
    admin_client.post(f"{LIST}action/{comment.pk}/approve/")
    admin_client.post(f"{LIST}reply/{comment.pk}/", {"body": "Thanks!"})

    report = admin_client.get("/admin/reports/site-history/").content.decode()

    assert "Comment approved" in report and "Comment posted" in report


@pytest.mark.parametrize("action", ["restore", "reject", "spam"])
def test_taking_a_published_comment_off_its_page_asks_first(
    admin_client, article, action
):
    comment = factories.comment(article, "Already on the page")
    inspect = admin_client.get(f"{LIST}inspect/{comment.pk}/").content.decode()
    url = f"{LIST}action/{comment.pk}/{action}/"
    # The button is a plain link to the question, not a POST.
    assert f'href="{url}"' in inspect and f'data-w-action-url-value="{url}"' not in (
        inspect
    )

    question = admin_client.get(url)

    comment.refresh_from_db()
    assert question.status_code == 200 and comment.status == Comment.Status.APPROVED
    assert "This comment will no longer be shown on “Cast iron”." in (
        question.content.decode()
    )
    admin_client.post(url)
    comment.refresh_from_db()
    assert comment.status != Comment.Status.APPROVED


def test_deleting_or_bulk_rejecting_a_published_comment_says_it_leaves_the_page(
    admin_client, article
):
    comment = factories.comment(article, "Already on the page")
    waiting = factories.comment(article, "Not yet on it", status="pending")
    expected = "This comment will no longer be shown on “Cast iron”."

    delete = admin_client.get(f"{LIST}delete/{comment.pk}/").content.decode()
    bulk = admin_client.get(
        f"/admin/bulk/moderation/comment/reject/?id={comment.pk}&id={waiting.pk}"
    ).content.decode()

    assert expected in delete
    assert bulk.count(expected) == 1  # for the published one only


def test_approving_a_waiting_comment_posts_at_once(admin_client, article):
    comment = factories.comment(article, "Waiting", status="pending")
    inspect = admin_client.get(f"{LIST}inspect/{comment.pk}/").content.decode()
    url = f"{LIST}action/{comment.pk}/approve/"
    assert f'data-w-action-url-value="{url}"' in inspect
    assert admin_client.get(f"{LIST}action/{comment.pk}/nonsense/").status_code == 404


def test_every_screen_shows_dates_in_wagtails_one_admin_format(
    admin_client, admin_user, article
):
    from moderation.testimonials import actions as testimonial_actions
    from moderation.testimonials.models import Feedback

    comment = factories.comment(article, "Dated", status="pending")
    feedback = Feedback.objects.create(
        name="Grace Hopper", email="grace@example.com", body="Lovely knives."
    )
    testimonial = testimonial_actions.draft_from_feedback(feedback, admin_user)
    testimonial.get_workflow().start(testimonial, admin_user)
    # "3 Dec 2026", "03 Dec 2026", "Dec. 3, 2026": the formats these screens had.
    other_formats = re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}|\b[A-Z][a-z]{2}\.? \d")

    screens = {
        "/admin/": 3,  # the oldest comment, asked, and Wagtail's own panels
        f"{LIST}inspect/{comment.pk}/": 1,
        f"/admin/moderation/testimonials/inspect/{testimonial.pk}/": 1,
        f"/admin/moderation/feedback/inspect/{feedback.pk}/": 1,
        "/admin/moderation/testimonials/": 2,
    }
    for url, at_least in screens.items():
        html = admin_client.get(url).content.decode()
        # What shows, tooltips and datetime attributes left out.
        shown = re.sub(r'(data-w-tooltip-content-value|datetime)="[^"]*"', "", html)
        assert html.count('class="w-human-readable-date"') >= at_least, url
        assert not other_formats.findall(re.sub(r"<[^>]+>", " ", shown)), url
