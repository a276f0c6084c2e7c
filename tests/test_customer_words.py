"""What a customer's words look like wherever they are shortened, and the
sentences around a name (issue 13, items 8 and 9)."""

import pytest
from django.core import mail

from moderation.outbox import delivery
from moderation.testimonials import actions
from moderation.testimonials.models import Feedback

pytestmark = pytest.mark.django_db

LONG_QUOTE = (
    "Every question I asked was answered with patience and real kindness "
    "by the whole team."
)
# Cut at a word, the ellipsis inside the marks; never "…and real k” — Cora C.".
TITLE = "“Every question I asked was answered with patience and real…” — Cora C."


@pytest.fixture
def testimonial(admin_user):
    feedback = Feedback.objects.create(
        name="Cora Cole", email="cora@example.com", body=LONG_QUOTE
    )
    return actions.draft_from_feedback(feedback, admin_user)


def test_a_long_quote_is_cut_at_a_word_in_every_admin_place_and_subject(
    admin_client, admin_user, testimonial
):
    edit = admin_client.get(
        f"/admin/moderation/testimonials/edit/{testimonial.pk}/"
    ).content.decode()
    listing = admin_client.get("/admin/moderation/testimonials/").content.decode()
    feedback = admin_client.get("/admin/moderation/feedback/").content.decode()
    assert f"<title>Editing: {TITLE}" in " ".join(edit.split())
    assert TITLE in listing
    assert (
        "Every question I asked was answered with patience and real kindness by the…"
        in feedback
    )

    testimonial.get_workflow().start(testimonial, admin_user)
    dashboard = admin_client.get("/admin/").content.decode()
    panel = dashboard.split('id="awaiting-customers-title"')[1].split("</section>")[0]
    assert (
        "“Every question I asked was answered with patience and real kindness by the…” — Cora C."
        in panel
    )
    inspect = admin_client.get(
        f"/admin/moderation/testimonials/inspect/{testimonial.pk}/"
    ).content.decode()
    assert "real kindness by the…” — Cora C." in inspect  # the permission history

    actions.answer(testimonial.consent_requests.get(), granted=True)
    delivery.dispatch()
    subjects = [message.subject for message in mail.outbox]
    assert (
        f'The testimonial "{TITLE}" has been approved in "Testimonial permission".'
        in subjects
    )
    assert not any("real k”" in subject for subject in subjects)


def sentences_in(message):
    """The text and the HTML of one of our emails (Wagtail's own have no HTML)."""
    return [message.body, message.alternatives[0][0]]


def test_a_name_ending_in_a_full_stop_is_never_followed_by_another(
    admin_client, admin_user, settings
):
    """ "Lucia R." (the initial style), a shop called "Fine Knives Ltd.": no
    sentence around either says "R.." or "Ltd..", in an email or in the admin."""
    from tests import factories

    settings.MODERATION_SITE_NAME = "Fine Knives Ltd."
    feedback = Feedback.objects.create(
        name="Lucia Ruiz", email="lucia@example.com", body="Sharp for years."
    )
    testimonial = actions.draft_from_feedback(feedback, admin_user)
    testimonial.get_workflow().start(testimonial, admin_user)
    actions.expire(testimonial.consent_requests.get())
    article = factories.article(factories.blog_index(), "Whetstones")
    comment = factories.comment(article, "Which grit?", author_name="Lucia R.")
    response = admin_client.post(
        f"/admin/moderation/comments/email/{comment.pk}/",
        {"subject": "Your question", "message": "1000, then 6000."},
        follow=True,
    )

    delivery.dispatch()
    (expiry,) = [m for m in mail.outbox if "expired" in m.subject]
    assert "The testimonial: “Sharp for years.” — Lucia R." in expiry.body
    ours = [message for message in mail.outbox if message.alternatives]
    assert len(ours) == 3  # the request, the editors' notice, the commenter's
    for message in ours:
        for text in sentences_in(message):
            assert "Fine Knives Ltd." in text and ".." not in text, message.subject
    assert "Your message to Lucia R. is on its way." in response.content.decode()
