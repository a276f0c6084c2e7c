"""What a commenter and a reader meet in Chromium (issue 13): a comment sent back
with errors, pages at a phone's width, and email links that change nothing until
a button is pressed."""

import re
import time

import pytest
from playwright.sync_api import expect

from moderation.comments.models import Comment
from moderation.models import FeedbackPage, TestimonialsPage
from moderation.testimonials.models import Feedback
from tests import factories
from tests import test_browser_journeys as journeys
from tests.test_browser_journeys import NINA, delivered_to, link_in

pytestmark = pytest.mark.browser
# Fixtures shared with the journeys.
editor = journeys.editor
permission_workflow = journeys.permission_workflow
index = journeys.index
article = journeys.article


def test_a_comment_with_errors_opens_at_the_form_with_a_summary_and_the_text_kept(
    new_context, article
):
    """No script on the page: the form's action ends in the summary's id."""
    reader = new_context(viewport={"width": 1280, "height": 720}).new_page()
    reader.goto(article.url)
    reader.get_by_label("Name", exact=True).fill("Nina Reader")
    reader.get_by_label("Comment", exact=True).fill("Hone them weekly.")
    reader.get_by_label("Email me about replies").check()
    reader.get_by_role("button", name="Send comment").click()

    summary = reader.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    email_problem = summary.get_by_role("link", name=re.compile("^Email: "))
    expect(email_problem).to_have_attribute("href", "#id_email")
    expect(reader.get_by_label("Name", exact=True)).to_have_value("Nina Reader")
    expect(reader.get_by_label("Comment", exact=True)).to_have_value(
        "Hone them weekly."
    )
    expect(reader.get_by_label("Email me about replies")).to_be_checked()

    email_problem.click()
    expect(reader.get_by_label("Email", exact=True)).to_be_focused()
    reader.get_by_label("Email", exact=True).fill(NINA)
    reader.get_by_role("button", name="Send comment").click()
    expect(reader.get_by_text("open the link in it to confirm")).to_be_visible()
    assert Comment.objects.get().body == "Hone them weekly."


def test_opening_the_forms_address_again_leads_back_to_the_form(new_context, article):
    reader = new_context().new_page()
    reader.goto(article.url)
    reader.get_by_role("button", name="Send comment").click()
    expect(reader.get_by_role("alert")).to_be_visible()

    sent_back_at = reader.url
    reader.goto("about:blank")
    reader.goto(sent_back_at)  # a bookmark of it, or a link to it: a GET
    expect(reader).to_have_url(re.compile(re.escape(article.url) + "#comment-form$"))
    expect(reader.get_by_role("heading", name="Knife skills")).to_be_visible()


# At a phone's width ----------------------------------------------------------------

LONG_URL = "https://example.com/" + "very-long-path-segment/" * 12 + "?q=" + "x" * 80
LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitän" * 4


def scrolls_sideways(page):
    return page.evaluate("() => document.documentElement.scrollWidth") > 320


def test_no_public_page_scrolls_sideways_at_320_pixels(
    new_context, index, article, editor, permission_workflow
):
    from moderation import tokens
    from moderation.personal_data.views import PURPOSE
    from moderation.sealing import seal
    from moderation.testimonials import actions

    comment = factories.comment(
        article, f"See {LONG_URL} and {LONG_WORD}.", author_name=LONG_WORD[:50]
    )
    waiting = factories.comment(article, LONG_WORD, status="unconfirmed")
    feedback_page = index.add_child(
        instance=FeedbackPage(title="Tell us", slug="tell-us")
    )
    feedback_page.save_revision().publish()
    testimonials = index.add_child(
        instance=TestimonialsPage(title="Kind words", slug="kind-words")
    )
    testimonials.save_revision().publish()
    feedback = Feedback.objects.create(
        name="Grace Okonkwo", email="grace@example.com", body=f"{LONG_WORD} {LONG_URL}"
    )
    testimonial = actions.draft_from_feedback(feedback, editor)
    testimonial.get_workflow().start(testimonial, editor)
    (request,) = delivered_to("grace@example.com")
    data_token = seal(
        {"email": comment.author_email, "at": int(time.time()), "nonce": "n"},
        purpose=PURPOSE,
    )
    phone = new_context(viewport={"width": 320, "height": 640}).new_page()
    wide = []

    def check(url):
        if url:
            phone.goto(url)
        if scrolls_sideways(phone):
            wide.append(phone.url)

    for url in (
        article.url,
        f"{article.url}?reply={comment.pk}",
        feedback_page.url,
        "/your-data/",
        "/your-data/?sent=1",
        f"/your-data/{data_token}/",
        f"/comments/confirm/{tokens.make('comment.confirm', waiting.pk)}/",
        f"/comments/unsubscribe/{tokens.make('comment.unsubscribe', comment.pk)}/",
        f"/comments/{comment.pk}/manage/?t={tokens.make('comment.manage', comment.pk)}",
        "/comments/confirm/not-a-token/",
        link_in(request, "/comments/permission/"),
    ):
        check(url)
    phone.get_by_role("button", name="Yes, publish it").click()
    expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()
    check(None)
    check(testimonials.url)
    expect(phone.locator(".testimonial")).to_contain_text(LONG_WORD)

    phone.goto(article.url)  # the comment form sent back with its errors
    phone.get_by_label("Comment", exact=True).fill(LONG_URL)
    phone.get_by_role("button", name="Send comment").click()
    expect(phone.get_by_role("alert")).to_be_visible()
    check(None)
    assert wide == []
