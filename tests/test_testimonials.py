"""Feedback becomes a testimonial only with the customer's recorded yes (promise 3)."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from moderation.models import FeedbackPage, TestimonialsPage
from moderation.outbox import delivery
from moderation.testimonials import actions
from moderation.testimonials.consent import ConsentRecord, ConsentRequest
from moderation.testimonials.models import ConsentRequired, Feedback, Testimonial
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def index():
    return factories.blog_index()


@pytest.fixture
def testimonials_page(index):
    page = index.add_child(
        instance=TestimonialsPage(title="Kind words", slug="kind-words")
    )
    page.save_revision().publish()
    return page


@pytest.fixture
def feedback():
    return Feedback.objects.create(
        name="Grace Hopper",
        email="grace@example.com",
        body="The knife course changed my cooking.",
    )


def sent(to="grace@example.com"):
    """Emails delivered to the customer (Wagtail also notifies editors)."""
    delivery.dispatch()
    return [message for message in mail.outbox if to in message.to]


def link(message, prefix):
    return re.search(rf"https?://[^/\s]+({prefix}[^\s\"<]+)", message.body).group(1)


def submit_for_permission(testimonial, user):
    testimonial.get_workflow().start(testimonial, user)


def test_feedback_page_stores_feedback_and_thanks_without_promising(client, index):
    page = index.add_child(instance=FeedbackPage(title="Tell us", slug="tell-us"))
    page.save_revision().publish()
    from tests.comment_client import form_fields

    html = client.get(page.url).content.decode()
    fields = (
        form_fields(html)
        if 'id="comment-form"' in html
        else dict(
            re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)
        )
    )
    fields.pop("csrfmiddlewaretoken", None)
    response = client.post(
        page.url,
        {
            **fields,
            "name": "Ada",
            "email": "ada@example.com",
            "body": "Great shop",
            "rating": "5",
        },
    )

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.name, feedback.rating) == ("Ada", 5)
    thanks = client.get(response.url).content.decode()
    assert (
        "Thank you for your feedback" in thanks
        and "publish" not in thanks.lower().split("<footer")[0]
    )


def test_whole_journey_yes_with_another_name(
    client, admin_user, feedback, testimonials_page
):
    testimonial = actions.draft_from_feedback(feedback, admin_user)
    assert not testimonial.live

    submit_for_permission(testimonial, admin_user)

    (request_email,) = sent()
    assert request_email.to == ["grace@example.com"]
    assert "The knife course changed my cooking." in request_email.body
    assert "Grace H." in request_email.body  # the attribution it would carry
    answer_url = link(request_email, "/comments/permission/")
    token = answer_url.rstrip("/").rsplit("/", 1)[-1]
    assert not ConsentRequest.objects.filter(token_hash=token).exists()  # stored hashed

    page = client.get(answer_url).content.decode()
    assert "The knife course changed my cooking." in page and "Grace Hopper" in page
    thanks = client.post(answer_url, {"answer": "yes", "attribution_style": "full"})
    assert "/comments/withdraw/" in thanks.content.decode()  # as easy as saying yes

    testimonial.refresh_from_db()
    assert testimonial.live and testimonial.attribution == "Grace Hopper"
    record = ConsentRecord.objects.get()
    assert (record.answer, record.attribution) == ("granted", "Grace Hopper")
    assert record.ip_network and record.request_id
    shown = client.get(testimonials_page.url).content.decode()
    assert "The knife course changed my cooking." in shown and "Grace Hopper" in shown
    assert "grace@example.com" not in shown

    # Answering twice changes nothing.
    again = client.post(answer_url, {"answer": "no"})
    assert "already answered" in again.content.decode()
    assert ConsentRecord.objects.count() == 1

    # Withdrawal, from the confirmation email, unpublishes at once.
    confirmation = sent()[-1]
    withdraw_url = link(confirmation, "/comments/withdraw/")
    client.post(withdraw_url)
    testimonial.refresh_from_db()
    assert not testimonial.live
    assert "The knife course" not in client.get(testimonials_page.url).content.decode()
    assert list(ConsentRecord.objects.values_list("answer", flat=True)) == [
        "granted",
        "withdrawn",
    ]


def test_no_means_never_published(client, admin_user, feedback):
    testimonial = actions.draft_from_feedback(feedback, admin_user)
    submit_for_permission(testimonial, admin_user)
    answer_url = link(sent()[0], "/comments/permission/")

    client.post(answer_url, {"answer": "no"})

    testimonial.refresh_from_db()
    assert not testimonial.live
    with pytest.raises(ConsentRequired):
        testimonial.latest_revision.publish()


def test_publishing_without_consent_is_refused_by_the_model(admin_user, feedback):
    testimonial = actions.draft_from_feedback(feedback, admin_user)

    with pytest.raises(ConsentRequired):
        testimonial.latest_revision.publish(user=admin_user)
    testimonial.refresh_from_db()
    assert not testimonial.live


def test_editing_after_consent_voids_it(client, admin_user, feedback):
    testimonial = actions.draft_from_feedback(feedback, admin_user)
    submit_for_permission(testimonial, admin_user)
    client.post(link(sent()[0], "/comments/permission/"), {"answer": "yes"})
    testimonial.refresh_from_db()
    assert testimonial.live

    testimonial.quote = "The knife course changed my life."  # not what they agreed to
    revision = testimonial.save_revision(user=admin_user)

    with pytest.raises(ConsentRequired):
        revision.publish(user=admin_user)
    testimonial.refresh_from_db()
    assert testimonial.quote == "The knife course changed my cooking."


def test_mutated_replayed_and_expired_links_are_refused(
    client, admin_user, feedback, settings
):
    testimonial = actions.draft_from_feedback(feedback, admin_user)
    submit_for_permission(testimonial, admin_user)
    answer_url = link(sent()[0], "/comments/permission/")
    prefix, token = answer_url.rstrip("/").rsplit("/", 1)
    mutations = set()
    for position in range(len(token)):
        for replacement in "AZaz09-_":
            if token[position] != replacement:
                mutations.add(token[:position] + replacement + token[position + 1 :])
    mutations |= {token[:cut] for cut in range(1, len(token))}
    mutations = sorted(mutations)[:1000]

    statuses = {
        client.post(f"{prefix}/{bad}/", {"answer": "yes"}).status_code
        for bad in mutations
    }
    assert statuses == {404}
    assert (
        client.post(f"/comments/withdraw/{token}/").status_code == 404
    )  # wrong purpose
    assert ConsentRecord.objects.count() == 0

    from wagtail.models import Site

    from moderation.settings import ModerationSettings

    policy = ModerationSettings.for_site(Site.objects.get(is_default_site=True))
    policy.consent_expiry_days = 0
    policy.save()
    expired = client.post(answer_url, {"answer": "yes"})
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    testimonial.refresh_from_db()
    assert not testimonial.live


def test_reminder_once_then_expiry(admin_user, feedback):
    testimonial = actions.draft_from_feedback(feedback, admin_user)
    submit_for_permission(testimonial, admin_user)
    start = timezone.now()

    assert actions.send_reminders_and_expire(start + datetime.timedelta(days=1)) == {
        "reminded": 0,
        "expired": 0,
    }
    assert actions.send_reminders_and_expire(start + datetime.timedelta(days=8)) == {
        "reminded": 1,
        "expired": 0,
    }
    assert actions.send_reminders_and_expire(start + datetime.timedelta(days=9)) == {
        "reminded": 0,
        "expired": 0,
    }
    assert actions.send_reminders_and_expire(start + datetime.timedelta(days=22)) == {
        "reminded": 0,
        "expired": 1,
    }

    subjects = [m.subject for m in sent()]
    assert subjects.count("Reminder: may we publish your words?") == 1
    assert ConsentRequest.objects.get().status == "expired"
    testimonial.refresh_from_db()
    assert not testimonial.live


def test_consent_records_cannot_be_changed_or_deleted(client, admin_user, feedback):
    from django.core.exceptions import ValidationError

    testimonial = actions.draft_from_feedback(feedback, admin_user)
    submit_for_permission(testimonial, admin_user)
    client.post(link(sent()[0], "/comments/permission/"), {"answer": "no"})
    record = ConsentRecord.objects.get()

    record.answer = "granted"
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(ValidationError):
        record.delete()
    assert ConsentRecord.objects.get().answer == "declined"
    assert Testimonial.objects.count() == 1


def test_admin_feedback_listing_masks_email_and_drafts_a_testimonial(
    client, django_user_model, feedback
):
    from django.contrib.auth.models import Group, Permission

    user = django_user_model.objects.create_user(
        "ed", "ed@example.com", "pw-123456-long"
    )
    group = Group.objects.create(name="Editors of testimonials")
    group.permissions.set(
        Permission.objects.filter(
            codename__in=[
                "access_admin",
                "view_feedback",
                "add_testimonial",
                "change_testimonial",
            ]
        )
    )
    user.groups.add(group)
    client.force_login(user)

    listing = client.get("/admin/moderation/feedback/").content.decode()
    assert (
        "The knife course" in listing
        and "grace@example.com" not in listing
        and "g•••@e•••.com" in listing
    )

    response = client.post(f"/admin/moderation/feedback/draft/{feedback.pk}/")
    testimonial = Testimonial.objects.get()
    assert response.url == f"/admin/moderation/testimonials/edit/{testimonial.pk}/"
    assert testimonial.quote == feedback.body and not testimonial.live


def test_admin_testimonial_status_history_and_publish_refusal(
    client, admin_client, admin_user, feedback
):
    testimonial = actions.draft_from_feedback(feedback, admin_user)
    listing = admin_client.get("/admin/moderation/testimonials/").content.decode()
    assert "Not requested" in listing

    # The admin's own publish button is refused with a message, not a 500.
    edit = f"/admin/moderation/testimonials/edit/{testimonial.pk}/"
    response = admin_client.post(
        edit,
        {
            "quote": testimonial.quote,
            "customer_name": "Grace Hopper",
            "attribution_style": "initial",
            "customer_email": "grace@example.com",
            "product": "",
            "feedback": feedback.pk,
            "action-publish": "1",
        },
    )
    assert response.status_code in (200, 302)
    testimonial.refresh_from_db()
    assert not testimonial.live

    submit_for_permission(testimonial, admin_user)
    client.post(link(sent()[0], "/comments/permission/"), {"answer": "yes"})
    listing = admin_client.get("/admin/moderation/testimonials/").content.decode()
    inspect = admin_client.get(
        f"/admin/moderation/testimonials/inspect/{testimonial.pk}/"
    ).content.decode()
    assert "Granted" in listing
    assert (
        "Permission history" in inspect
        and "Yes" in inspect
        and "grace@example.com" not in inspect
    )


def test_article_block_shows_a_testimonial_only_while_consent_stands(
    client, admin_user, feedback, index
):
    testimonial = actions.draft_from_feedback(feedback, admin_user)
    article = factories.article(
        index,
        "With a quote",
        body=[{"type": "testimonial", "value": {"testimonial": testimonial.pk}}],
    )
    assert "The knife course" not in client.get(article.url).content.decode()  # draft

    submit_for_permission(testimonial, admin_user)
    client.post(link(sent()[0], "/comments/permission/"), {"answer": "yes"})
    assert "The knife course" in client.get(article.url).content.decode()

    client.post(link(sent()[-1], "/comments/withdraw/"))
    assert "The knife course" not in client.get(article.url).content.decode()


def test_dashboard_lists_what_awaits_customers(admin_client, admin_user, feedback):
    testimonial = actions.draft_from_feedback(feedback, admin_user)
    submit_for_permission(testimonial, admin_user)

    html = admin_client.get("/admin/").content.decode()

    assert "Testimonials awaiting the customer" in html
    assert "1 permission request is unanswered." in html and "Grace H." in html


def test_dashboard_says_the_customer_said_no_or_the_request_expired(
    admin_client, admin_user, feedback
):
    declined = actions.draft_from_feedback(feedback, admin_user)
    expired = actions.draft_from_feedback(feedback, admin_user)
    submit_for_permission(declined, admin_user)
    admin_client.post(link(sent()[-1], "/comments/permission/"), {"answer": "no"})
    submit_for_permission(expired, admin_user)
    actions.expire(ConsentRequest.objects.get(testimonial=expired))
    assert ConsentRequest.objects.get(testimonial=declined).status == "declined"

    html = admin_client.get("/admin/").content.decode()

    assert "Declined by the customer" in html and "The request expired" in html
    assert "Changes requested at" not in html  # Wagtail's words for both


def test_submitting_says_the_customer_was_emailed(admin_client, admin_user, feedback):
    testimonial = actions.draft_from_feedback(feedback, admin_user)

    response = admin_client.post(
        f"/admin/moderation/testimonials/edit/{testimonial.pk}/",
        {
            "quote": testimonial.quote,
            "customer_name": testimonial.customer_name,
            "attribution_style": testimonial.attribution_style,
            "customer_email": "",
            "product": testimonial.product,
            "feedback": testimonial.feedback_id,
            "action-submit": "1",
        },
        follow=True,
    )

    html = response.content.decode()
    assert "Permission email sent to the customer" in html
    assert "submitted for moderation" not in html
    assert ConsentRequest.objects.filter(testimonial=testimonial).exists()


def test_expired_and_superseded_requests_never_allow_publishing(
    client, admin_user, feedback
):
    testimonial = actions.draft_from_feedback(feedback, admin_user)
    submit_for_permission(testimonial, admin_user)
    first_link = link(sent()[0], "/comments/permission/")
    actions.expire(ConsentRequest.objects.get())

    assert client.post(first_link, {"answer": "yes"}).status_code == 410
    with pytest.raises(ConsentRequired):
        testimonial.latest_revision.publish(user=admin_user)

    # The editor resubmits (Wagtail's "needs changes" → resume): a new email.
    Testimonial.objects.get().current_workflow_state.resume(user=admin_user)
    second_link = link(sent()[-1], "/comments/permission/")
    assert second_link != first_link
    # The editor cancels and asks again: the second request is superseded.
    Testimonial.objects.get().current_workflow_state.cancel(user=admin_user)
    submit_for_permission(Testimonial.objects.get(), admin_user)
    superseded = client.post(second_link, {"answer": "yes"})
    assert superseded.status_code == 410 and "replaced" in superseded.content.decode()
    with pytest.raises(ConsentRequired):
        Testimonial.objects.get().latest_revision.publish(user=admin_user)


def test_home_page_block_and_schedule_respect_consent(
    client, admin_user, feedback, index
):
    from django.core.management import call_command

    testimonial = actions.draft_from_feedback(feedback, admin_user)
    index.featured = [{"type": "testimonial", "value": {"testimonial": testimonial.pk}}]
    index.save_revision().publish()

    # Scheduling is publishing later: refused without consent.
    testimonial.approved_go_live_at = timezone.now() + datetime.timedelta(hours=1)
    future = testimonial.save_revision(
        user=admin_user, approved_go_live_at=testimonial.approved_go_live_at
    )
    with pytest.raises(ConsentRequired):
        future.publish(user=admin_user)

    submit_for_permission(testimonial, admin_user)
    client.post(link(sent()[0], "/comments/permission/"), {"answer": "yes"})
    assert "The knife course" in client.get("/").content.decode()

    testimonial = Testimonial.objects.get()
    testimonial.unpublish()
    scheduled = testimonial.save_revision(user=admin_user)
    scheduled.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    scheduled.save()
    client.post(link(sent()[-1], "/comments/withdraw/"))  # withdrawn before go-live
    call_command("publish_scheduled")

    assert not Testimonial.objects.get().live
    assert "The knife course" not in client.get("/").content.decode()


def test_testimonial_listing_filters_by_permission(
    client, admin_client, admin_user, feedback
):
    asked = actions.draft_from_feedback(feedback, admin_user)
    submit_for_permission(asked, admin_user)
    other = Feedback.objects.create(
        name="Not Asked", email="n@example.com", body="Unasked words here."
    )
    actions.draft_from_feedback(other, admin_user)

    awaiting = admin_client.get(
        "/admin/moderation/testimonials/?permission=awaiting"
    ).content.decode()
    none = admin_client.get(
        "/admin/moderation/testimonials/?permission=none"
    ).content.decode()

    assert "The knife course" in awaiting and "Unasked words" not in awaiting
    assert "Unasked words" in none and "The knife course" not in none


def test_testimonials_page_costs_the_same_queries_for_one_or_many(
    client, admin_user, testimonials_page
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def grant(number):
        feedback = Feedback.objects.create(
            name=f"Customer {number}",
            email=f"c{number}@example.com",
            body=f"Words {number}",
        )
        testimonial = actions.draft_from_feedback(feedback, admin_user)
        submit_for_permission(testimonial, admin_user)
        request = ConsentRequest.objects.get(testimonial=testimonial)
        actions.answer(request, granted=True)

    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            html = client.get(testimonials_page.url).content.decode()
        return len(queries), html

    grant(0)
    page_queries()  # warm caches
    one, _html = page_queries()
    for number in range(1, 6):
        grant(number)
    many, html = page_queries()

    assert one == many
    assert all(f"Words {n}" in html for n in range(6))


def test_only_editors_of_testimonials_open_one_awaiting_the_customer(
    client, admin_user, feedback, django_user_model
):
    from django.contrib.auth.models import Group

    testimonial = actions.draft_from_feedback(feedback, admin_user)
    submit_for_permission(testimonial, admin_user)
    moderator = django_user_model.objects.create_user("mo", password="x")
    moderator.groups.add(Group.objects.get(name="Comment moderators"))
    edit_url = f"/admin/moderation/testimonials/edit/{testimonial.pk}/"

    client.force_login(moderator)
    refused = client.get(edit_url)
    client.force_login(admin_user)
    allowed = client.get(edit_url)

    assert (refused.status_code, refused.url) == (302, "/admin/")
    assert allowed.status_code == 200


def test_withdrawal_and_expiry_notices_go_to_testimonial_editors_only(
    admin_user, feedback, django_user_model
):
    from django.contrib.auth.models import Group, Permission

    change = Permission.objects.get(
        codename="change_testimonial", content_type__app_label="moderation"
    )
    users = django_user_model.objects
    comment_moderator = users.create_user("mo", "mo@example.com")
    comment_moderator.groups.add(Group.objects.get(name="Comment moderators"))
    users.create_user("ed", "ed@example.com").user_permissions.add(change)
    team = Group.objects.create(name="Testimonial editors")
    team.permissions.add(change)
    users.create_user("tm", "tm@example.com").groups.add(team)
    users.create_user("old", "old@example.com", is_active=False).groups.add(team)
    users.create_user("anon", "").groups.add(team)
    withdrawn = actions.draft_from_feedback(feedback, admin_user)
    submit_for_permission(withdrawn, admin_user)
    actions.answer(withdrawn.consent_requests.get(), granted=True)
    unanswered = actions.draft_from_feedback(feedback, admin_user)
    submit_for_permission(unanswered, admin_user)

    actions.withdraw(withdrawn.consent_requests.get())
    actions.expire(unanswered.consent_requests.get())

    delivery.dispatch()
    for subject in (
        "A customer withdrew permission for a testimonial",
        "A permission request expired without an answer",
    ):
        (notice,) = [m for m in mail.outbox if m.subject == subject]
        assert notice.to == ["admin@example.com", "ed@example.com", "tm@example.com"]
