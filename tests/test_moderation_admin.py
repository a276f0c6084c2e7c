"""The editor's moderation queue in the Wagtail admin (first part of issue 4)."""

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

    everything = client.get(LIST).content.decode()
    pending = client.get(LIST + "?status=pending").content.decode()

    assert "Waiting one" in everything and "Published one" in everything
    assert "jane.doe@example.com" not in everything and "j•••@e•••.com" in everything
    assert "Waiting one" in pending and "Published one" not in pending


def test_search_by_email_needs_the_permission(client, django_user_model, article):
    factories.comment(article, "Findable", author_email="jane.doe@example.com")
    user = staff(django_user_model, "moderate_comment")
    client.force_login(user)

    assert "Findable" not in client.get(LIST + "?q=jane.doe").content.decode()
    assert "Findable" in client.get(LIST + "?q=findable").content.decode()

    user.groups.first().permissions.add(
        Permission.objects.get(codename="view_email_comment")
    )
    client.force_login(django_user_model.objects.get(pk=user.pk))
    html = client.get(LIST + "?q=jane.doe").content.decode()
    assert "Findable" in html and "jane.doe@example.com" in html


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
