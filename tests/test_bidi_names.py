"""Names shown to others carry no bidirectional control characters, which would
let a name display as something it is not ("Eve" + RIGHT-TO-LEFT OVERRIDE +
"nimda" reads as "Eveadmin"). Stripped where names are typed, and where they
are made public, so rows stored before are shown safely too."""

import json
import re
from html import unescape

import pytest
from django.core import mail

from moderation.comments import actions
from moderation.comments.digest import send_due_digests
from moderation.comments.models import Comment, VerifiedEmail
from moderation.models import FeedbackPage, TestimonialsPage
from moderation.outbox import delivery
from moderation.testimonials import actions as testimonial_actions
from moderation.testimonials.consent import ConsentRequest
from moderation.testimonials.models import Feedback
from tests import factories
from tests.comment_client import post_comment

pytestmark = pytest.mark.django_db

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
BIDI = re.compile(f"[{CONTROLS}]")
HOSTILE_NAME = "Eve\u202enimda\u202c \u2066Mallory\u2069\u200f\u061c"
SHOWN_NAME = "Evenimda Mallory"


def bidi_in(**texts):
    """The texts (by name) that still hold a bidi control character."""
    return [name for name, text in texts.items() if BIDI.search(unescape(text))]


def notices():
    delivery.dispatch()
    return mail.outbox


def digest_and_reply_notice():
    """The moderators' digest of what waits, and Cora's notice of a reply."""
    emails = notices()
    (digest,) = [m for m in emails if m.to == ["admin@example.com"]]
    (reply_notice,) = [m for m in emails if m.to == ["cora@example.com"]]
    return digest, reply_notice


@pytest.fixture
def index():
    return factories.blog_index()


def test_a_name_typed_into_the_comment_form_is_shown_without_bidi_controls(
    client, index, admin_user
):
    article = factories.article(index, "Names")
    parent = factories.comment(
        article, "First!", author_email="cora@example.com", notify_on_reply=True
    )
    VerifiedEmail.objects.create(email="nina@example.com")  # straight to moderation

    post_comment(client, article, reply_to=parent, name=HOSTILE_NAME, body="Hi")
    reply = Comment.objects.get(parent=parent)
    send_due_digests()  # the moderators' notice of what waits
    actions.approve(reply, admin_user)  # and the reply notice to Cora

    digest, reply_notice = digest_and_reply_notice()
    page = client.get(article.url).content.decode()
    assert reply.author_name == SHOWN_NAME
    assert f"{SHOWN_NAME} replied to your comment" in reply_notice.subject
    assert SHOWN_NAME in unescape(page) and SHOWN_NAME in digest.body
    assert (
        bidi_in(
            page=page,
            digest=digest.body + digest.alternatives[0][0],
            reply_subject=reply_notice.subject,
            reply_body=reply_notice.body + reply_notice.alternatives[0][0],
        )
        == []
    )


def test_names_stored_before_are_shown_without_bidi_controls(client, index, admin_user):
    article = factories.article(index, "Old rows")
    parent = factories.comment(
        article, "First!", author_email="cora@example.com", notify_on_reply=True
    )
    reply = factories.comment(
        article,
        "Me too",
        parent=parent,
        status="pending",
        author_name=HOSTILE_NAME,
        author_email="eve@example.com",
    )
    send_due_digests()
    actions.approve(reply, admin_user)

    digest, reply_notice = digest_and_reply_notice()
    public = {
        "page": client.get(article.url).content.decode(),
        "rss": client.get(f"/comments/pages/{article.pk}/feed/").content.decode(),
        "json": json.dumps(  # JsonResponse writes \u202e for the character
            client.get(f"/comments/pages/{article.pk}/comments.json").json(),
            ensure_ascii=False,
        ),
    }
    assert SHOWN_NAME in unescape(public["page"]) and SHOWN_NAME in public["json"]
    assert f"{SHOWN_NAME} replied to your comment" in reply_notice.subject
    assert (
        bidi_in(
            **public,
            digest=digest.body + digest.alternatives[0][0],
            reply_subject=reply_notice.subject,
            reply_body=reply_notice.body + reply_notice.alternatives[0][0],
        )
        == []
    )


def test_a_testimonial_attribution_is_shown_without_bidi_controls(
    client, index, admin_user
):
    page = index.add_child(
        instance=TestimonialsPage(title="Kind words", slug="kind-words")
    )
    page.save_revision().publish()
    feedback = Feedback.objects.create(  # stored before the rule, or typed by an editor
        name=HOSTILE_NAME, email="eve@example.com", body="Sharp knives."
    )
    testimonial = testimonial_actions.draft_from_feedback(feedback, admin_user)
    testimonial.get_workflow().start(testimonial, admin_user)
    testimonial_actions.answer(
        ConsentRequest.objects.get(testimonial=testimonial), granted=True, style="full"
    )

    shown = client.get(page.url).content.decode()
    emails = notices()  # the request, the thank-you, and Wagtail's to editors
    assert f"— {SHOWN_NAME}" in unescape(shown)
    assert len(emails) >= 2
    assert (
        bidi_in(
            page=shown,
            **{f"email {n} subject": m.subject for n, m in enumerate(emails)},
            **{f"email {n} body": m.body for n, m in enumerate(emails)},
        )
        == []
    )


def test_a_name_typed_into_the_feedback_form_is_stored_without_bidi_controls(
    client, index
):
    page = index.add_child(instance=FeedbackPage(title="Tell us", slug="tell-us"))
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    fields = dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)
    )
    fields.pop("csrfmiddlewaretoken", None)

    client.post(
        page.url,
        {**fields, "name": HOSTILE_NAME, "email": "eve@example.com", "body": "Good."},
    )

    assert Feedback.objects.get().name == SHOWN_NAME
