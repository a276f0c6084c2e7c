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
