"""The customer always knows who is asking and how to reach them: the shop's
name on every email and page, its From name, a Reply-To that answers, and a
working contact on the pages that say a link failed (issue 13, item 7)."""

import re
from email.utils import parseaddr

import pytest
from django.core import mail
from wagtail.models import Site

from moderation.models import FeedbackPage
from moderation.outbox import delivery
from moderation.settings import ModerationSettings
from moderation.testimonials import actions
from moderation.testimonials.models import Feedback
from tests import factories

pytestmark = pytest.mark.django_db

SHOP = "Harbour & Hearth"


@pytest.fixture
def shop(settings):
    """The demo's shop: the site's name, a contact page, a reply address."""
    index = factories.blog_index()
    Site.objects.filter(is_default_site=True).update(site_name=SHOP)
    contact_page = index.add_child(
        instance=FeedbackPage(title="Talk to us", slug="talk")
    )
    contact_page.save_revision().publish()
    settings.DEFAULT_FROM_EMAIL = "Vouch <noreply@shop.example.com>"
    settings.MODERATION_REPLY_TO_EMAIL = "hello@shop.example.com"
    settings.MODERATION_CONTACT_URL = contact_page.url
    return contact_page


def ask_grace(admin_user):
    feedback = Feedback.objects.create(
        name="Grace Okonkwo", email="grace@example.com", body="Superb bread course."
    )
    testimonial = actions.draft_from_feedback(feedback, admin_user)
    testimonial.get_workflow().start(testimonial, admin_user)
    return testimonial


def to_grace():
    delivery.dispatch()
    return [message for message in mail.outbox if message.to == ["grace@example.com"]]


def answer_path(message):
    return re.search(r"https?://[^/\s]+(/comments/permission/\S+)", message.body)[1]


def test_the_emails_come_from_the_shop_and_replies_reach_it(client, admin_user, shop):
    ask_grace(admin_user)
    (request,) = to_grace()
    client.post(answer_path(request), {"answer": "yes"})
    request, confirmation = to_grace()

    for message in (request, confirmation):
        html = message.alternatives[0][0]
        assert parseaddr(message.from_email) == (SHOP, "noreply@shop.example.com")
        assert message.reply_to == ["hello@shop.example.com"]
        assert SHOP in message.body and "Harbour &amp; Hearth" in html
        assert "our site" not in message.body + html
        assert "Reply to this email." in message.body and "Reply to this email." in html
    assert "Harbour & Hearth thanks you for your feedback." in request.body
    assert "You agreed that Harbour & Hearth publishes" in confirmation.body
    headers = request.message()  # as they go over SMTP
    assert headers["From"] == "Harbour & Hearth <noreply@shop.example.com>"
    assert headers["Reply-To"] == "hello@shop.example.com"


def test_without_a_reply_address_no_email_or_page_says_reply(
    client, admin_user, settings
):
    factories.blog_index()
    settings.DEFAULT_FROM_EMAIL = "noreply@shop.example.com"
    ask_grace(admin_user)
    (request,) = to_grace()

    assert request.reply_to == []
    assert parseaddr(request.from_email) == ("Test", "noreply@shop.example.com")
    assert "Reply to this email" not in request.body
    expire_every_request()
    expired = client.get(answer_path(request)).content.decode()
    forged = client.get("/comments/permission/not-a-real-token/").content.decode()
    for page in (expired, forged):
        assert "reply" not in page.split("<main")[1].split("</main>")[0].lower()


def expire_every_request():
    policy = ModerationSettings.for_site(Site.objects.get(is_default_site=True))
    policy.consent_expiry_days = 0
    policy.save()


def test_the_expired_link_page_names_the_shop_and_a_contact_that_works(
    client, admin_user, shop
):
    ask_grace(admin_user)
    (request,) = to_grace()
    page = client.get(answer_path(request)).content.decode()
    assert "Harbour &amp; Hearth would like to publish your words." in page
    expire_every_request()

    response = client.get(answer_path(request))

    expired = response.content.decode()
    assert response.status_code == 410
    assert "reply to our email" not in expired.lower()
    assert "To reach Harbour &amp; Hearth, write to" in expired
    assert 'href="mailto:hello@shop.example.com"' in expired
    contact_url = re.search(r'<a href="([^"]+)">the contact page</a>', expired)[1]
    assert contact_url == shop.url
    assert client.get(contact_url).status_code == 200
    for path in ("/comments/permission/forged/", "/comments/withdraw/forged/"):
        refused = client.get(path).content.decode()
        assert 'href="mailto:hello@shop.example.com"' in refused, path
