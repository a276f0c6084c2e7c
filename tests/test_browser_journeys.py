"""The three journeys of docs/design.md, clicked and typed in a real Chromium against
the live server: a commenter, an editor in the Wagtail admin, and a customer
answering a permission email. Then every public form again, keyboard only."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from moderation.comments.models import Comment
from moderation.models import FeedbackPage, TestimonialsPage
from moderation.outbox import delivery
from moderation.testimonials.models import Feedback, Testimonial
from tests import factories
from tests.browser import unlabelled_fields

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"
NINA = "nina.reader@example.com"
INSPECT_COMMENT = "wagtailsnippets_moderation_comment:inspect"


# Helpers ------------------------------------------------------------------------


def delivered_to(address):
    """Messages the site has delivered to ``address`` (the outbox, dispatched)."""
    delivery.dispatch()
    return [message for message in mail.outbox if address in message.to]


def link_in(message, prefix):
    """The path of the first link in ``message`` starting with ``prefix``."""
    found = re.search(rf"https?://[^/\s]+({re.escape(prefix)}[^\s\"<]+)", message.body)
    assert found, f"no {prefix} link in {message.subject!r}"
    return found.group(1)


def log_in(page, username):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


@pytest.fixture
def editor(live_server):
    return get_user_model().objects.create_superuser(
        "edna", "edna@example.com", PASSWORD
    )


@pytest.fixture
def index(live_server):
    return factories.blog_index()


@pytest.fixture
def article(index):
    return factories.article(index, "Knife skills")


@pytest.fixture
def permission_workflow(live_server):
    """Transactional tests empty the database, data migrations included."""
    from django.apps import apps
    from wagtail.models import Workflow

    from moderation.testimonials import workflow

    if not Workflow.objects.filter(name="Testimonial permission").exists():
        workflow.install(apps)


# The commenter ------------------------------------------------------------------


def test_commenter_posts_confirms_is_published_by_name_replies_and_unsubscribes(
    new_context, article, editor
):
    reader = new_context().new_page()
    reader.goto(article.url)
    expect(reader.get_by_role("heading", name="Knife skills")).to_be_visible()

    reader.get_by_label("Name", exact=True).fill("Nina Reader")
    reader.get_by_label("Email", exact=True).fill(NINA)
    reader.get_by_label("Comment", exact=True).fill("Sharp knives are safer knives.")
    reader.get_by_label("Email me when my comment is published").check()
    reader.get_by_label("Email me about replies").check()
    reader.get_by_role("button", name="Send comment").click()
    expect(reader.get_by_text("open the link in it to confirm")).to_be_visible()

    (confirmation,) = delivered_to(NINA)
    reader.goto(link_in(confirmation, "/comments/confirm/"))
    reader.get_by_role("button", name="Confirm my comment").click()
    expect(reader.get_by_text("Your comment awaits moderation")).to_be_visible()
    expect(
        reader.get_by_text("your comment is awaiting moderation", exact=False)
    ).to_be_visible()

    # An editor approves it from its page in the admin.
    comment = Comment.objects.get()
    admin = new_context().new_page()
    log_in(admin, "edna")
    admin.goto(reverse(INSPECT_COMMENT, args=[comment.pk]))
    admin.get_by_role("link", name="Approve", exact=True).click()
    expect(admin.get_by_text("approved", exact=False).first).to_be_visible()

    reader.goto(article.url)
    published = reader.locator(f"#{comment.anchor}")
    expect(published).to_contain_text("Nina Reader")
    expect(published).to_contain_text("Sharp knives are safer knives.")
    expect(published.locator(".comment__status")).to_have_count(0)
    assert NINA not in reader.content()

    # A reply, from the comment's own Reply link.
    published.get_by_role("link", name=re.compile("Reply")).click()
    expect(reader.get_by_role("heading", name="Reply to Nina Reader")).to_be_visible()
    reader.get_by_label("Name", exact=True).fill("Nina Reader")
    reader.get_by_label("Email", exact=True).fill(NINA)
    reader.get_by_label("Comment", exact=True).fill("And hone them weekly.")
    reader.get_by_role("button", name="Send comment").click()
    expect(reader.get_by_text("awaiting moderation").first).to_be_visible()
    assert Comment.objects.get(parent=comment).body == "And hone them weekly."

    # The "published" notice carries an unsubscribe link.
    notice = next(m for m in delivered_to(NINA) if "/comments/unsubscribe/" in m.body)
    reader.goto(link_in(notice, "/comments/unsubscribe/"))
    reader.get_by_role("button", name="Stop these emails").click()
    expect(reader.get_by_role("heading", name="No more emails")).to_be_visible()
    comment.refresh_from_db()
    assert not comment.notify_on_approval and not comment.notify_on_reply


# The editor ---------------------------------------------------------------------


def test_editor_moderates_in_bulk_replies_and_asks_a_customer_for_permission(
    new_context, article, editor, permission_workflow
):
    waiting = [
        factories.comment(
            article, f"Comment number {n}.", status="pending", author_name=f"Guest {n}"
        )
        for n in range(3)
    ]
    Feedback.objects.create(
        name="Grace Okonkwo",
        email="grace@example.com",
        body="The bread course was superb.",
    )
    admin = new_context().new_page()
    log_in(admin, "edna")

    expect(admin.get_by_text("3 comments are waiting for moderation.")).to_be_visible()
    admin.get_by_role("link", name="Moderate comments").click()

    # Bulk approve: tick every row, then the bulk action bar's Approve.
    for comment in waiting:
        expect(admin.get_by_text(comment.author_name)).to_be_visible()
    admin.get_by_role("checkbox", name=re.compile("Select all", re.I)).check()
    admin.get_by_role("link", name="Approve selected comments").click()
    admin.get_by_role("button", name=re.compile("Yes, approve")).click()
    expect(admin.get_by_text("3 comments approved.")).to_be_visible()
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}

    # Reply as the site from one comment's page.
    admin.goto(reverse(INSPECT_COMMENT, args=[waiting[0].pk]))
    admin.get_by_label("Reply as the site").fill("Thank you, Guest 0!")
    admin.get_by_role("button", name="Publish reply").click()
    expect(admin.get_by_text("Your reply is published.")).to_be_visible()
    reply = Comment.objects.get(parent=waiting[0])
    assert reply.by_staff and reply.status == "approved"
    reader = new_context().new_page()
    reader.goto(article.url)
    shown = reader.locator(f"#{reply.anchor}")
    expect(shown).to_contain_text("Thank you, Guest 0!")
    expect(shown).to_contain_text("from the site")
    expect(shown.locator(".comment__author")).to_have_text("Test")  # not "edna"

    # Feedback → a testimonial draft → the permission workflow.
    admin.goto("/admin/")
    admin.get_by_role("button", name="Moderation").click()
    admin.get_by_role("link", name="Feedback").click()
    admin.get_by_role("link", name="The bread course was superb.").click()
    admin.get_by_role("link", name="Draft a testimonial from this").click()
    expect(admin.get_by_text("Draft testimonial created")).to_be_visible()
    admin.get_by_role("button", name="More actions").click()
    admin.get_by_role(
        "button", name=re.compile("Submit to Testimonial permission")
    ).click()
    expect(admin.locator(".messages")).to_contain_text(
        "Permission email sent to the customer"
    )

    admin.get_by_role("button", name="Moderation").click()
    admin.get_by_role("link", name="Outbox").click()
    expect(admin.get_by_text("May we publish your words?")).to_be_visible()

    (request,) = delivered_to("grace@example.com")
    assert "The bread course was superb." in request.body
    assert "/comments/permission/" in request.body
    assert Testimonial.objects.get().consent_requests.get().status == "awaiting"


# The customer -------------------------------------------------------------------


def test_customer_says_yes_under_another_name_then_withdraws(
    new_context, index, editor, permission_workflow
):
    from moderation.testimonials import actions

    testimonials = index.add_child(
        instance=TestimonialsPage(title="Kind words", slug="kind-words")
    )
    testimonials.save_revision().publish()
    feedback = Feedback.objects.create(
        name="Grace Okonkwo",
        email="grace@example.com",
        body="The bread course was superb.",
    )
    testimonial = actions.draft_from_feedback(feedback, editor)
    testimonial.get_workflow().start(testimonial, editor)
    (request,) = delivered_to("grace@example.com")

    customer = new_context().new_page()
    customer.goto(link_in(request, "/comments/permission/"))
    expect(customer.get_by_text("The bread course was superb.")).to_be_visible()
    customer.get_by_label("Grace Okonkwo").check()
    customer.get_by_role("button", name="Yes, publish it").click()
    expect(customer.get_by_role("heading", name="Thank you!")).to_be_visible()
    expect(customer.locator(".testimonial")).to_contain_text("Grace Okonkwo")

    customer.goto(testimonials.url)
    quote = customer.locator(".testimonial")
    expect(quote).to_contain_text("The bread course was superb.")
    expect(quote).to_contain_text("Grace Okonkwo")

    confirmation = next(
        m for m in delivered_to("grace@example.com") if "/comments/withdraw/" in m.body
    )
    customer.goto(link_in(confirmation, "/comments/withdraw/"))
    customer.get_by_role("button", name="Withdraw my permission").click()
    expect(customer.get_by_role("heading", name="Permission withdrawn")).to_be_visible()

    customer.goto(testimonials.url)
    expect(customer.get_by_text("No testimonials yet.")).to_be_visible()
    expect(customer.get_by_text("The bread course was superb.")).to_have_count(0)


# Keyboard only --------------------------------------------------------------------


def tab_to(page, selector, limit=60):
    """Press Tab until the element matching ``selector`` has focus, and see it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)",
            selector,
        ):
            assert page.evaluate(
                "() => getComputedStyle(document.activeElement).outlineStyle"
            ) not in ("", "none"), f"{selector} shows no focus outline"
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def assert_every_field_labelled(page):
    assert unlabelled_fields(page) == []


def test_every_public_form_works_with_the_keyboard_alone(
    new_context, index, article, editor, permission_workflow
):
    from moderation.comments.models import VerifiedEmail
    from moderation.testimonials import actions

    VerifiedEmail.objects.create(email=NINA)
    feedback_page = index.add_child(
        instance=FeedbackPage(title="Tell us", slug="tell-us")
    )
    feedback_page.save_revision().publish()
    keys = new_context().new_page()

    # The comment form.
    keys.goto(article.url)
    assert_every_field_labelled(keys)
    type_into(keys, "#id_name", "Kim Keys")
    type_into(keys, "#id_email", NINA)
    type_into(keys, "#id_body", "Written without a mouse.")
    tab_to(keys, "#id_notify_on_reply")
    keys.keyboard.press("Space")
    tab_to(keys, "#comment-form button[type=submit]")
    keys.keyboard.press("Enter")
    expect(
        keys.get_by_text("Thank you! Your comment is awaiting moderation.")
    ).to_be_visible()
    assert Comment.objects.get().notify_on_reply

    # The feedback form.
    keys.goto(feedback_page.url)
    assert_every_field_labelled(keys)
    type_into(keys, "#id_name", "Grace Okonkwo")
    type_into(keys, "#id_email", "grace@example.com")
    type_into(keys, "#id_body", "Lovely bread, typed.")
    tab_to(keys, "form.comment-form button[type=submit]")
    keys.keyboard.press("Enter")
    expect(keys.get_by_role("status")).to_be_visible()
    feedback = Feedback.objects.get()
    assert feedback.body == "Lovely bread, typed."

    # The consent form: choose another name with the arrow keys, then say yes.
    testimonial = actions.draft_from_feedback(feedback, editor)
    testimonial.get_workflow().start(testimonial, editor)
    (request,) = delivered_to("grace@example.com")
    keys.goto(link_in(request, "/comments/permission/"))
    assert_every_field_labelled(keys)
    tab_to(keys, "input[name=attribution_style]:checked")
    keys.keyboard.press("ArrowUp")
    # The name as a screen reader reads the label (its dash is decoration).
    chosen = keys.evaluate(
        """() => [...document.activeElement.labels[0].childNodes]
            .filter((node) => !node.matches?.("[aria-hidden=true]"))
            .map((node) => node.textContent).join("")"""
    )
    tab_to(keys, "form:has(input[name=answer][value=yes]) button")
    keys.keyboard.press("Enter")
    expect(keys.get_by_role("heading", name="Thank you!")).to_be_visible()
    testimonial.refresh_from_db()
    assert testimonial.live and testimonial.attribution == chosen.strip()
    assert testimonial.attribution != "Grace O."  # not the name first proposed

    # The "Your data" form.
    keys.goto("/your-data/")
    assert_every_field_labelled(keys)
    type_into(keys, "#id_email", NINA)
    keys.keyboard.press("Enter")
    expect(keys.get_by_text("Check your inbox.")).to_be_visible()
    assert any("/your-data/" in m.body for m in delivered_to(NINA))


def test_comment_feedback_and_data_forms_work_without_javascript(
    new_context, index, article
):
    from moderation.comments.models import VerifiedEmail

    VerifiedEmail.objects.create(email=NINA)
    feedback_page = index.add_child(
        instance=FeedbackPage(title="Tell us", slug="tell-us")
    )
    feedback_page.save_revision().publish()
    plain = new_context(java_script_enabled=False).new_page()

    plain.goto(article.url)
    plain.get_by_label("Name", exact=True).fill("Pat Plain")
    plain.get_by_label("Email", exact=True).fill(NINA)
    plain.get_by_label("Comment", exact=True).fill("No script needed.")
    plain.get_by_role("button", name="Send comment").click()
    expect(
        plain.get_by_text("Thank you! Your comment is awaiting moderation.")
    ).to_be_visible()

    plain.goto(feedback_page.url)
    plain.get_by_label("Name", exact=True).fill("Pat Plain")
    plain.get_by_label("Email", exact=True).fill("pat@example.com")
    plain.get_by_label("Your feedback").fill("Works with script off.")
    plain.get_by_role("button", name="Send feedback").click()
    expect(plain.get_by_role("status")).to_be_visible()

    plain.goto("/your-data/")
    plain.get_by_label("Your email address").fill(NINA)
    plain.get_by_role("button", name="Email me a link").click()
    expect(plain.get_by_text("Check your inbox.")).to_be_visible()

    assert Comment.objects.get().body == "No script needed."
    assert Feedback.objects.get().body == "Works with script off."


def test_the_honeypot_and_screen_reader_words_stay_hidden_without_the_sites_css(
    new_context, index, article
):
    """Another site has none of this site's CSS: the app's markup and its own
    stylesheet keep "Leave this field empty" and "to Cora" off the screen."""
    factories.comment(article, "Flaxseed oil, thin coats.", author_name="Cora")
    feedback_page = index.add_child(
        instance=FeedbackPage(title="Tell us", slug="tell-us")
    )
    feedback_page.save_revision().publish()
    bare = new_context().new_page()
    bare.route("**/css/site.css", lambda route: route.abort())

    for url in (article.url, feedback_page.url, "/your-data/"):
        bare.goto(url)
        expect(bare.get_by_label("Leave this field empty")).to_be_hidden()

    bare.goto(article.url)
    reply = bare.get_by_role("link", name="Reply to Cora")
    expect(reply).to_be_visible()
    seen = reply.bounding_box()["width"]
    alone = bare.evaluate(  # "Reply" alone, as people should see the link
        """() => { const probe = document.createElement('a');
                   probe.textContent = 'Reply';
                   document.querySelector('.comment__actions').prepend(probe);
                   return probe.getBoundingClientRect().width; }"""
    )
    assert seen <= alone + 1, "the words for screen readers show on the screen"
