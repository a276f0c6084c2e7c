"""The customer's permission page in Chromium: the preview of their words shows
the name they pick, with script, and every choice reads as it would appear
without (issue 13, item 6)."""

import pytest
from playwright.sync_api import expect

from moderation.testimonials import actions
from moderation.testimonials.models import Feedback, Testimonial
from tests import factories
from tests.test_browser_journeys import delivered_to, link_in

pytestmark = pytest.mark.browser


@pytest.fixture
def answer_path(live_server, admin_user):
    """The link in Grace's permission email."""
    from django.apps import apps
    from wagtail.models import Workflow

    from moderation.testimonials import workflow

    if not Workflow.objects.filter(name="Testimonial permission").exists():
        workflow.install(apps)  # transactional tests empty the database
    factories.blog_index()  # the site whose address the email links to
    feedback = Feedback.objects.create(
        name="Grace Okonkwo", email="grace@example.com", body="Superb bread course."
    )
    testimonial = actions.draft_from_feedback(feedback, admin_user)
    testimonial.get_workflow().start(testimonial, admin_user)
    (request,) = delivered_to("grace@example.com")
    return link_in(request, "/comments/permission/")


def test_the_preview_follows_the_name_the_customer_picks(new_context, answer_path):
    customer = new_context().new_page()
    customer.goto(answer_path)
    preview = customer.locator(".testimonial figcaption")
    expect(preview).to_have_text("— Grace O.")

    customer.get_by_label("A customer").check()
    expect(preview).to_have_text("— A customer")
    customer.get_by_label("Grace Okonkwo").check()
    expect(preview).to_have_text("— Grace Okonkwo")
    customer.get_by_label("A customer").check()
    customer.get_by_role("button", name="Yes, publish it").click()

    expect(customer.locator(".testimonial figcaption")).to_have_text("— A customer")
    assert Testimonial.objects.get().attribution == "A customer"


def test_without_javascript_each_choice_reads_as_it_would_appear(
    new_context, answer_path
):
    plain = new_context(java_script_enabled=False).new_page()
    plain.goto(answer_path)

    choices = plain.locator("input[name=attribution_style]")
    labels = [
        plain.locator(f"label[for='{choices.nth(n).get_attribute('id')}']").inner_text()
        for n in range(choices.count())
    ]
    assert labels == ["— Grace Okonkwo", "— Grace O.", "— A customer"]
    assert "under the name you choose below" in plain.locator("main").inner_text()

    plain.get_by_label("A customer").check()
    plain.get_by_role("button", name="Yes, publish it").click()
    expect(plain.locator(".testimonial figcaption")).to_have_text("— A customer")
    assert Testimonial.objects.get().attribution == "A customer"
