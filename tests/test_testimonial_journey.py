"""The whole testimonial journey against real parts: the test database, a real
Celery worker on Redis, a real SMTP server."""

import re

import pytest

from moderation.models import FeedbackPage, TestimonialsPage
from moderation.testimonials import actions
from moderation.testimonials.models import Testimonial
from tests import factories
from tests.comment_client import HIDDEN

pytestmark = pytest.mark.services


@pytest.fixture
def permission_workflow(workers):
    """Earlier transactional tests empty the database, data migrations included."""
    from django.apps import apps
    from wagtail.models import Workflow

    from moderation.testimonials import workflow

    if not Workflow.objects.filter(name="Testimonial permission").exists():
        workflow.install(apps)


def test_feedback_to_published_testimonial_through_a_real_worker_and_smtp(
    workers, permission_workflow, smtp_sink, client, admin_user
):
    index = factories.blog_index()
    feedback_page = index.add_child(
        instance=FeedbackPage(title="Feedback", slug="feedback")
    )
    feedback_page.save_revision().publish()
    testimonials = index.add_child(
        instance=TestimonialsPage(title="Kind words", slug="kind")
    )
    testimonials.save_revision().publish()
    workers.start()

    html = client.get(feedback_page.url).content.decode()
    fields = {k: v for k, v in HIDDEN.findall(html) if k != "csrfmiddlewaretoken"}
    client.post(
        feedback_page.url,
        {
            **fields,
            "name": "Grace Okonkwo",
            "email": "grace@example.com",
            "body": "Superb course.",
        },
    )
    from moderation.testimonials.models import Feedback

    testimonial = actions.draft_from_feedback(Feedback.objects.get(), admin_user)
    testimonial.get_workflow().start(testimonial, admin_user)

    message = smtp_sink.wait_for_one_to("grace@example.com")
    text = next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    assert "Superb course." in text and "Grace O." in text
    answer_path = re.search(r"https?://[^/\s]+(/comments/permission/\S+)", text).group(
        1
    )

    response = client.post(answer_path, {"answer": "yes", "attribution_style": "full"})

    assert response.status_code == 200
    testimonial = Testimonial.objects.get()
    assert testimonial.live and testimonial.attribution == "Grace Okonkwo"
    page = client.get(testimonials.url).content.decode()
    assert "Superb course." in page and "Grace Okonkwo" in page
