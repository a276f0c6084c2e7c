"""axe-core, in Chromium, on every public page state a visitor can reach and on
the admin pages the app adds: no violation, no ARIA reference to a missing id.
The W3C Nu HTML checker reads the same pages at the end of the session (every
page served during the suite is, see tests/checkers/nu.py). The README's
screenshots are taken here, so they show the site as it is."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import get_resolver, reverse
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Page

from blog.models import ArticlePage, InfoPage
from moderation import tokens
from moderation.comments.models import Comment, VerifiedEmail
from moderation.models import FeedbackPage, TestimonialsPage
from moderation.testimonials import actions
from moderation.testimonials.models import Feedback
from tests import factories
from tests.checkers import axe
from tests.services import BASE_DIR
from tests.test_browser_journeys import (  # noqa: F401 (permission_workflow: a fixture)
    PASSWORD,
    delivered_to,
    link_in,
    log_in,
    permission_workflow,
)

pytestmark = pytest.mark.browser

SCREENSHOTS = BASE_DIR / "docs" / "screenshots"
WIDE = {"width": 1200, "height": 900}
WRITTEN = timezone.make_aware(datetime.datetime(2025, 3, 14, 9, 30))
# The URLs of the app whose pages are checked here; the rest answer with a feed,
# JSON or a redirect, never a page of their own.
NOT_PAGES = {"comments_feed", "comments_json", "comment_confirm"}
# Wagtail's chrome, not ours: its sidebar's page search is a second unnamed
# "search" landmark beside a listing's own search form (axe: landmark-unique),
# on every Wagtail listing; its markup is built by Wagtail's sidebar script.
WAGTAIL_SIDEBAR_SEARCH = 'form[role="search"][action$="/admin/pages/search/"]'
# Wagtail's generic listing, whenever a filter is active (the comment queue opens
# filtered to waiting comments): its match count is an <h2 role="alert">
# (aria-allowed-role), and its filter toggle shows the count of active filters
# beside an aria-label that omits it (label-content-name-mismatch).
WAGTAIL_FILTERED_LISTING = [
    '.nice-padding > h2[role="alert"]',
    'button[data-w-dropdown-target="toggle"][aria-label="Show filters"]',
]


def assert_clean(page, state, exclude=()):
    found = axe.problems(page, exclude)
    assert not found, f"{state} ({page.url}):\n" + "\n".join(found)


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


@pytest.fixture
def site(live_server):
    """A blog with an article whose comments are in every shown state, the
    privacy page, and the feedback and testimonials pages in the menu."""
    index = factories.blog_index("Harbour & Hearth", "journal")
    article = factories.article(index, "Seasoning cast iron", author_name="Tomás")
    ArticlePage.objects.filter(pk=article.pk).update(date=WRITTEN.date())
    first = factories.comment(
        article,
        "Flaxseed oil, <strong>thin</strong> coats, then bake it for an hour.",
        author_name="Cora Commenter",
        created_at=WRITTEN,
    )
    factories.comment(
        article,
        "Thank you, Cora: we bake ours at 230 °C.",
        parent=first,
        author_name="Harbour & Hearth",
        by_staff=True,
        created_at=WRITTEN + datetime.timedelta(hours=2),
    )
    deleted = factories.comment(
        article, "Gone.", author_name="Dev", created_at=WRITTEN, status="deleted"
    )
    factories.comment(
        article,
        "A reply to a deleted comment stays.",
        parent=deleted,
        author_name="Pat",
        created_at=WRITTEN + datetime.timedelta(hours=3),
    )
    closed = factories.article(index, "Old news", comments_open=False, days_ago=400)
    privacy = index.add_child(
        instance=InfoPage(title="Privacy", slug="privacy", body="<p>Names only.</p>")
    )
    privacy.save_revision().publish()
    feedback = index.add_child(
        instance=FeedbackPage(title="Tell us", slug="tell-us", show_in_menus=True)
    )
    feedback.save_revision().publish()
    testimonials = index.add_child(
        instance=TestimonialsPage(
            title="Kind words", slug="kind-words", show_in_menus=True
        )
    )
    testimonials.save_revision().publish()
    editor = get_user_model().objects.create_superuser(
        "edna", "edna@example.com", PASSWORD
    )
    return {
        "index": index,
        "article": article,
        "closed": closed,
        "privacy": privacy,
        "feedback": feedback,
        "testimonials": testimonials,
        "first": first,
        "editor": editor,
    }


def ask_permission(editor, name, email, body):
    """A testimonial drafted from feedback and submitted: the customer's link."""
    feedback = Feedback.objects.create(name=name, email=email, body=body)
    testimonial = actions.draft_from_feedback(feedback, editor)
    testimonial.get_workflow().start(testimonial, editor)
    (request,) = delivered_to(email)
    return link_in(request, "/comments/permission/"), testimonial


# Public pages --------------------------------------------------------------------


def test_the_blog_pages_and_comment_states_pass_axe(new_context, site):
    article = site["article"]
    visitor = new_context(viewport=WIDE).new_page()
    for state, url in [
        ("home page", "/"),
        ("articles with a tag", "/?tag=cast-iron"),
        ("search results", "/search/?q=iron"),
        ("search without results", "/search/?q=zebra"),
        ("privacy page", site["privacy"].url),
        ("comments closed", site["closed"].url),
        ("replying to a comment", f"{article.url}?reply={site['first'].pk}"),
        ("a link that is not valid", "/comments/confirm/not-a-token/"),
        ("page not found", "/no-such-page/"),
    ]:
        visitor.goto(url)
        assert_clean(visitor, state)

    visitor.goto(article.url)
    assert_clean(visitor, "article with comments")
    visitor.locator("#comments").scroll_into_view_if_needed()
    visitor.evaluate("() => document.querySelector('#comments').scrollIntoView()")
    screenshot(visitor, "article-comments")

    visitor.get_by_role("button", name="Send comment").click()  # nothing filled in
    expect(visitor.locator(".field--error").first).to_be_visible()
    assert_clean(visitor, "comment form with errors")

    VerifiedEmail.objects.create(email="nina@example.com")
    visitor.goto(article.url)
    visitor.get_by_label("Name", exact=True).fill("Nina Reader")
    visitor.get_by_label("Email", exact=True).fill("nina@example.com")
    visitor.get_by_label("Comment", exact=True).fill("Does rapeseed oil work?")
    visitor.get_by_role("button", name="Send comment").click()
    expect(visitor.locator(".comment--waiting")).to_be_visible()
    assert_clean(visitor, "article with the visitor's comment awaiting moderation")

    visitor.get_by_role("link", name="Edit or delete").click()
    assert_clean(visitor, "comment manage page")

    own = Comment.objects.get(author_name="Nina Reader")
    visitor.goto(f"/comments/unsubscribe/{tokens.make('comment.unsubscribe', own.pk)}/")
    assert_clean(visitor, "unsubscribe")
    visitor.get_by_role("button", name="Stop these emails").click()
    assert_clean(visitor, "unsubscribed")


@pytest.mark.usefixtures("permission_workflow")
def test_feedback_testimonial_and_consent_pages_pass_axe(new_context, site):
    visitor = new_context(viewport=WIDE).new_page()
    visitor.goto(site["feedback"].url)
    assert_clean(visitor, "feedback form")
    visitor.get_by_role("button", name="Send feedback").click()
    expect(visitor.locator(".field--error").first).to_be_visible()
    assert_clean(visitor, "feedback form with errors")
    visitor.get_by_label("Name", exact=True).fill("Grace Okonkwo")
    visitor.get_by_label("Email", exact=True).fill("grace@example.com")
    visitor.get_by_label("Your feedback").fill("The bread course was superb.")
    visitor.get_by_role("button", name="Send feedback").click()
    expect(visitor.get_by_role("status")).to_be_visible()
    assert_clean(visitor, "feedback thanks")

    editor = site["editor"]
    link, testimonial = ask_permission(
        editor, "Cora Baker", "cora@example.com", "Every question answered twice."
    )
    visitor.goto(link)
    assert_clean(visitor, "consent: the question")
    screenshot(visitor, "consent")
    visitor.get_by_role("button", name="Yes, publish it").click()
    expect(visitor.get_by_role("heading", name="Thank you!")).to_be_visible()
    assert_clean(visitor, "consent: thanks for the yes")
    visitor.goto(link)
    assert_clean(visitor, "consent: already answered")

    visitor.goto(site["testimonials"].url)
    expect(visitor.locator(".testimonial")).to_be_visible()
    assert_clean(visitor, "testimonials page")

    request = testimonial.consent_requests.get()
    visitor.goto(
        reverse("moderation:testimonial_withdraw", args=[request.withdraw_token()])
    )
    assert_clean(visitor, "withdrawal: the question")
    visitor.get_by_role("button", name="Withdraw my permission").click()
    assert_clean(visitor, "withdrawal: done")
    visitor.goto(site["testimonials"].url)
    assert_clean(visitor, "testimonials page, empty")

    link, _testimonial = ask_permission(
        editor, "Dan No", "dan@example.com", "Fine, but not for print."
    )
    visitor.goto(link)
    visitor.get_by_role("button", name=re.compile("No")).click()
    assert_clean(visitor, "consent: thanks for the no")

    link, expired = ask_permission(editor, "Eve Late", "eve@example.com", "Late.")
    expired.consent_requests.update(
        created_at=timezone.now() - datetime.timedelta(days=60)
    )
    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="This link has expired")).to_be_visible()
    assert_clean(visitor, "consent: expired link")
    visitor.goto("/comments/permission/not-a-token/")
    assert_clean(visitor, "consent: a link that is not valid")


def test_your_data_pages_pass_axe(new_context, site):
    factories.comment(site["article"], "Mine.", author_email="nina@example.com")
    visitor = new_context(viewport=WIDE).new_page()
    visitor.goto("/your-data/")
    assert_clean(visitor, "your data: ask")
    visitor.get_by_label("Your email address").fill("nina@example.com")
    visitor.get_by_role("button", name="Email me a link").click()
    expect(visitor.get_by_text("Check your inbox.")).to_be_visible()
    assert_clean(visitor, "your data: link sent")
    (message,) = delivered_to("nina@example.com")
    visitor.goto(link_in(message, "/your-data/"))
    assert_clean(visitor, "your data: what we hold")
    visitor.get_by_role("button", name=re.compile("Erase")).click()
    assert_clean(visitor, "your data: erased")
    visitor.goto("/your-data/not-a-token/")
    assert_clean(visitor, "your data: a link that is not valid")


def test_every_public_url_of_the_app_and_every_page_type_is_checked_here():
    """A new public URL or page type must get its states into the tests above."""
    checked_urls = {
        "comment_post",
        "comment_unsubscribe",
        "comment_manage",
        "testimonial_answer",
        "testimonial_withdraw",
        "personal_data_ask",
        "personal_data_manage",
    }
    app_urls = set(get_resolver().namespace_dict["moderation"][1].reverse_dict.keys())
    app_urls = {name for name in app_urls if isinstance(name, str)}
    assert app_urls - NOT_PAGES == checked_urls
    page_types = {
        model.__name__ for model in Page.__subclasses__() if not model._meta.abstract
    }
    assert page_types <= {
        "ArticlePage",
        "BlogIndexPage",
        "InfoPage",
        "FeedbackPage",
        "TestimonialsPage",
    }


# The admin pages of the app ---------------------------------------------------------


def test_the_apps_admin_pages_pass_axe(new_context, site):
    waiting = factories.comment(
        site["article"], "Is olive oil fine?", status="pending", created_at=WRITTEN
    )
    feedback = Feedback.objects.create(
        name="Grace Okonkwo", email="grace@example.com", body="Superb bread."
    )
    testimonial = actions.draft_from_feedback(feedback, site["editor"])
    admin = new_context(viewport=WIDE).new_page()
    log_in(admin, "edna")
    for state, url in [
        ("comment queue", reverse("wagtailsnippets_moderation_comment:list")),
        (
            "comment page",
            reverse("wagtailsnippets_moderation_comment:inspect", args=[waiting.pk]),
        ),
        ("outbox", reverse("moderation_outbox:index")),
        ("feedback", reverse("moderation_feedback:index")),
        (
            "testimonial edit",
            reverse(
                "wagtailsnippets_moderation_testimonial:edit", args=[testimonial.pk]
            ),
        ),
        ("personal data", reverse("moderation_personal_data:index")),
        (
            "settings",
            reverse("wagtailsettings:edit", args=["moderation", "moderationsettings"]),
        ),
    ]:
        admin.goto(url)
        assert_clean(
            admin, state, exclude=[WAGTAIL_SIDEBAR_SEARCH, *WAGTAIL_FILTERED_LISTING]
        )
        if state == "comment queue":
            screenshot(admin, "moderation-queue")
