"""Every form that takes an address refuses one that mail cannot carry, with a
field error that says why, and saves and sends nothing.

Django's EmailValidator accepts control characters in a quoted local part and
local parts of any length; Python's email package then refuses to build the
message (a header injection), so such a comment could never be confirmed.
"""

import re
from html import unescape

import pytest

from moderation.comments.models import Comment
from moderation.models import FeedbackPage
from moderation.outbox.models import OutboxEmail
from moderation.testimonials.models import Feedback, Testimonial
from tests import factories
from tests.comment_client import post_comment

pytestmark = pytest.mark.django_db

CONTROL = '"t8q\x0bBcc:\x0cx"@example.org'
LONG_LOCAL = "a" * 80 + "@example.org"  # RFC 5321 allows 64
REFUSED = {
    CONTROL: "invisible control character",
    LONG_LOCAL: "at most 64 characters long; this one has 80",
}
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


def shown(response):
    return unescape(response.content.decode())


def email_error(response):
    """The error shown under the form's email field."""
    found = re.search(r'id="id_email_error">(.*?)</p>', response.content.decode())
    return unescape(found[1]) if found else ""


@pytest.fixture
def index():
    return factories.blog_index()


@pytest.mark.parametrize("address", REFUSED)
def test_comment_form_refuses_an_address_mail_cannot_carry(client, index, address):
    article = factories.article(index, "Odd addresses")

    response = post_comment(client, article, email=address)

    assert response.status_code == 200 and REFUSED[address] in email_error(response)
    assert not Comment.objects.exists() and not OutboxEmail.objects.exists()


@pytest.mark.parametrize("address", REFUSED)
def test_feedback_form_refuses_an_address_mail_cannot_carry(client, index, address):
    page = index.add_child(instance=FeedbackPage(title="Tell us", slug="tell-us"))
    page.save_revision().publish()
    fields = dict(HIDDEN.findall(client.get(page.url).content.decode()))
    fields.pop("csrfmiddlewaretoken", None)

    response = client.post(
        page.url, {**fields, "name": "Ada", "email": address, "body": "Great shop"}
    )

    assert response.status_code == 200 and REFUSED[address] in email_error(response)
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("address", REFUSED)
def test_your_data_form_refuses_an_address_mail_cannot_carry(client, address):
    response = client.post("/your-data/", {"email": address})

    assert response.status_code == 200 and REFUSED[address] in email_error(response)
    assert not OutboxEmail.objects.exists()


@pytest.mark.parametrize("address", REFUSED)
def test_testimonial_admin_form_refuses_an_address_mail_cannot_carry(
    admin_client, address
):
    response = admin_client.post(
        "/admin/moderation/testimonials/add/",
        {
            "quote": "Sharp.",
            "customer_name": "Ada",
            "attribution_style": "initial",
            "customer_email": address,
            "product": "",
            "feedback": "",
            "action-submit": "1",
        },
    )

    assert response.status_code == 200 and REFUSED[address] in shown(response)
    assert not Testimonial.objects.exists() and not OutboxEmail.objects.exists()
