"""The editor's side of the admin in a real Chromium: what takes a comment off
the site asks first, the queue opens on what waits, and a moderator can clear
it with the keyboard alone."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from moderation.comments.models import Comment
from tests import factories

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"
INSPECT_COMMENT = "wagtailsnippets_moderation_comment:inspect"


@pytest.fixture
def admin(new_context, live_server):
    get_user_model().objects.create_superuser("edna", "edna@example.com", PASSWORD)
    page = new_context().new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("edna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page


@pytest.fixture
def article(live_server):
    return factories.article(factories.blog_index(), "Knife skills")


def test_back_to_queue_on_a_published_comment_asks_first(admin, article):
    comment = factories.comment(article, "Already published.", author_name="Ada")
    admin.goto(reverse(INSPECT_COMMENT, args=[comment.pk]))

    admin.get_by_role("link", name="Back to queue").click()

    expect(
        admin.get_by_text("This comment will no longer be shown on “Knife skills”.")
    ).to_be_visible()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED  # nothing happened yet
    admin.get_by_role("link", name="No, go back").click()
    expect(admin.get_by_role("link", name="Back to queue")).to_be_visible()

    admin.get_by_role("link", name="Back to queue").click()
    admin.get_by_role("button", name="Yes, back to queue").click()
    expect(admin.get_by_text("is back in the queue")).to_be_visible()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_the_queue_opens_on_what_waits_as_text_and_counts_comments(admin, article):
    factories.comment(
        article,
        "Fry it in <strong>sunflower oil</strong> first.",
        status="pending",
        author_name="Ada",
    )
    factories.comment(article, "Old and published.", author_name="Bo")
    factories.comment(article, "Buy cheap pills.", status="spam", author_name="Cy")

    # From another admin page: after an earlier test's flush, Wagtail's own
    # dashboard has no root page to link to.
    admin.goto("/admin/moderation/outbox/")
    admin.get_by_role("button", name="Moderation").click()
    admin.get_by_role("link", name="Comments", exact=True).click()

    expect(admin.get_by_text("Fry it in sunflower oil first.")).to_be_visible()
    expect(admin.get_by_text("<strong>")).to_have_count(0)
    expect(admin.get_by_text("Old and published.")).to_have_count(0)
    expect(admin.get_by_text("Buy cheap pills.")).to_have_count(0)
    # The filter is shown, set to what waits.
    expect(admin.locator(".w-active-filters")).to_contain_text("Waiting for moderation")

    admin.locator("[data-bulk-action-checkbox]").first.check()
    expect(admin.locator("[data-bulk-action-num-objects]")).to_have_text(
        "1 comment selected"
    )

    # The active filter opens its choices; "All" is one of them.
    admin.get_by_role("button", name="Status: Waiting for moderation").click()
    admin.get_by_role("radio", name="All").check()
    expect(admin.get_by_text("Old and published.")).to_be_visible()
    expect(admin.get_by_text("Buy cheap pills.")).to_be_visible()


def test_a_moderator_clears_the_queue_with_the_keyboard_alone(admin, article):
    for n, name in enumerate(["Ann", "Ben", "Cat"]):
        factories.comment(
            article, f"Comment number {n}.", status="pending", author_name=name
        )
    admin.goto(reverse("wagtailsnippets_moderation_comment:list"))

    # Our keys are listed in Wagtail's keyboard shortcuts dialog.
    admin.keyboard.press("?")
    dialog = admin.locator("#keyboard-shortcuts-dialog")
    expect(dialog).to_contain_text("Comment moderation")
    expect(dialog.get_by_role("row", name="Mark as spam s")).to_be_visible()
    admin.keyboard.press("Escape")

    admin.keyboard.press("j")  # the newest waiting comment
    expect(admin.get_by_role("link", name="Comment number 2.")).to_be_focused()
    admin.keyboard.press("Enter")
    for key, done in [("a", "approved"), ("r", "rejected"), ("s", "marked as spam")]:
        expect(admin.get_by_role("link", name="Approve")).to_be_visible()
        admin.keyboard.press(key)
        expect(admin.get_by_text(done, exact=False).first).to_be_visible()
        # The key opened a new page: its keys work once its scripts have run.
        admin.wait_for_load_state()
        if done != "marked as spam":
            admin.keyboard.press("j")  # the next waiting comment
            expect(admin.get_by_text(done, exact=False)).to_have_count(0)

    statuses = dict(Comment.objects.values_list("author_name", "status"))
    assert statuses == {"Cat": "approved", "Ben": "rejected", "Ann": "spam"}
    admin.goto(reverse("wagtailsnippets_moderation_comment:list"))
    expect(admin.get_by_text("Comment number")).to_have_count(0)
