"""No testimonial is live without the customer's yes, on every path that can make
it live: Wagtail's publish action, a plain save, the admin's Publish button, and
scheduled publishing, where a refused testimonial must not stop the others."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.actions.publish_revision import PublishRevisionAction
from wagtail.models import ModelLogEntry

from blog.models import ArticlePage
from config.settings.base import CELERY_BEAT_SCHEDULE
from moderation import tasks
from moderation.outbox import delivery
from moderation.testimonials import actions
from moderation.testimonials.models import ConsentRequired, Feedback, Testimonial
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def index():
    return factories.blog_index()


def feedback(number=1):
    return Feedback.objects.create(
        name=f"Grace Hopper{number}",
        email=f"grace{number}@example.com",
        body=f"Course number {number} changed my cooking.",
    )


def consented(editor, number=1):
    """A testimonial the customer said yes to, published by the workflow."""
    testimonial = actions.draft_from_feedback(feedback(number), editor)
    testimonial.get_workflow().start(testimonial, editor)
    actions.answer(testimonial.consent_requests.get(), granted=True)
    testimonial.refresh_from_db()
    assert testimonial.live
    return testimonial


def stored_live(testimonial):
    return Testimonial.objects.filter(pk=testimonial.pk, live=True).exists()


def test_wagtails_publish_action_is_refused_without_consent(admin_user):
    testimonial = actions.draft_from_feedback(feedback(), admin_user)

    with pytest.raises(ConsentRequired):
        PublishRevisionAction(testimonial.latest_revision, user=admin_user).execute()
    with pytest.raises(ConsentRequired):
        PublishRevisionAction(testimonial.latest_revision).execute()

    assert not stored_live(testimonial)


def test_a_testimonial_saved_in_code_is_a_draft_and_cannot_be_saved_live():
    testimonial = Testimonial(
        quote="Lovely knives.", customer_name="Ann Lee", customer_email="a@example.com"
    )
    testimonial.save()
    assert not stored_live(testimonial)

    testimonial.live = True
    with pytest.raises(ConsentRequired):
        testimonial.save()
    with pytest.raises(ConsentRequired):
        testimonial.save(update_fields=["live"])
    with pytest.raises(ConsentRequired):
        Testimonial(
            quote="Sharp!",
            customer_name="Bo",
            customer_email="b@example.com",
            live=True,
        ).save()
    assert not Testimonial.objects.filter(live=True).exists()


def test_changing_the_words_of_a_live_testimonial_in_place_is_refused(admin_user):
    testimonial = consented(admin_user)

    testimonial.quote = "Words the customer never saw."
    with pytest.raises(ConsentRequired):
        testimonial.save(update_fields=["quote"])
    testimonial.refresh_from_db()
    testimonial.attribution_style = "full"
    with pytest.raises(ConsentRequired):
        testimonial.save()

    assert Testimonial.objects.get().quote == "Course number 1 changed my cooking."


def test_a_live_testimonials_new_draft_is_saved_and_the_live_words_stay(admin_user):
    testimonial = consented(admin_user)

    testimonial.quote = "A shorter quote."
    revision = testimonial.save_revision(user=admin_user)

    stored = Testimonial.objects.get()
    assert stored.live and stored.quote == "Course number 1 changed my cooking."
    assert revision.as_object().quote == "A shorter quote."
    with pytest.raises(ConsentRequired):
        revision.publish(user=admin_user)


def test_admins_publish_button_says_what_is_needed_and_stays_on_the_testimonial(
    admin_client, admin_user
):
    testimonial = actions.draft_from_feedback(feedback(), admin_user)
    edit = f"/admin/moderation/testimonials/edit/{testimonial.pk}/"

    response = admin_client.post(
        edit,
        {
            "quote": "Course 1 changed my cooking.",
            "customer_name": "Grace Hopper1",
            "attribution_style": "initial",
            "customer_email": "",
            "product": "",
            "feedback": testimonial.feedback_id,
            "action-publish": "1",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == edit
    page = response.content.decode()
    assert "The customer has not agreed to these words yet" in page
    assert "do not have permission" not in page
    stored = Testimonial.objects.get()
    assert not stored.live
    assert stored.latest_revision.as_object().quote == "Course 1 changed my cooking."


def schedule(obj, revision, when):
    """What Wagtail stores when an editor schedules ``revision`` to go live."""
    revision.approved_go_live_at = when
    revision.save(update_fields=["approved_go_live_at"])
    type(obj).objects.filter(pk=obj.pk).update(go_live_at=when)


def test_scheduled_publishing_skips_a_testimonial_without_consent_and_goes_on(
    admin_user, index
):
    past = timezone.now() - datetime.timedelta(minutes=5)
    withdrawn = consented(admin_user, 1)
    withdrawn.unpublish()
    actions.withdraw(withdrawn.consent_requests.get())
    # Scheduled after the withdrawal, straight through Wagtail's action (which
    # only schedules, so nothing is live yet): it must not go live later.
    withdrawn.quote = "Course number 1 changed my cooking!"
    schedule(withdrawn, withdrawn.save_revision(user=admin_user), past)
    still_agreed = consented(admin_user, 2)
    still_agreed.unpublish()
    schedule(
        still_agreed,
        still_agreed.save_revision(user=admin_user),
        past + datetime.timedelta(minutes=1),
    )
    article = factories.article(index, "Soup in winter", live=False)
    schedule(article, article.save_revision(), past + datetime.timedelta(minutes=2))
    delivery.dispatch()
    mail.outbox.clear()

    call_command("publish_scheduled")

    assert not stored_live(withdrawn)
    assert stored_live(still_agreed)
    assert ArticlePage.objects.get(pk=article.pk).live
    # Called off, not left to fail every minute: schedule cleared, logged, told.
    assert not withdrawn.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert Testimonial.objects.get(pk=withdrawn.pk).go_live_at is None
    assert ModelLogEntry.objects.filter(
        object_id=str(withdrawn.pk), action="moderation.testimonial.schedule_called_off"
    ).exists()
    delivery.dispatch()
    (notice,) = [m for m in mail.outbox if "scheduled" in m.subject]
    assert admin_user.email in notice.to
    assert "was not published" in notice.body and "Course number 1" in notice.body
    assert not re.search(r"grace1@", notice.body + notice.subject)

    call_command("publish_scheduled")  # the next minute: nothing more to do
    assert not stored_live(withdrawn)


def test_beat_runs_scheduled_publishing_every_minute(index):
    (entry,) = [
        entry
        for entry in CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == tasks.publish_scheduled.name
    ]
    assert entry["schedule"] <= 60
    article = factories.article(index, "Bread at dawn", live=False)
    schedule(article, article.save_revision(), timezone.now())

    tasks.publish_scheduled.delay()

    assert ArticlePage.objects.get(pk=article.pk).live
