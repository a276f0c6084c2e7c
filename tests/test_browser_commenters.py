"""What a commenter and a reader meet in Chromium (issue 13): a comment sent back
with errors, pages at a phone's width, and email links that change nothing until
a button is pressed."""

import re

import pytest
from playwright.sync_api import expect

from moderation.comments.models import Comment
from tests import factories
from tests.test_browser_journeys import NINA

pytestmark = pytest.mark.browser


@pytest.fixture
def index(live_server):
    return factories.blog_index()


@pytest.fixture
def article(index):
    return factories.article(index, "Knife skills")


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
