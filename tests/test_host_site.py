"""The app in another Wagtail site: one with none of this site's templates, only
the layout ``wagtail start`` gives (blocks title, content, extra_css, extra_js)
and its own page template calling ``{% comments page %}``. Commenters, customers
and visitors get every page and email the app sends, inside the host's layout."""

import re

import pytest
from django.core import mail

from moderation.comments.models import Comment
from moderation.models import FeedbackPage, TestimonialsPage
from moderation.outbox import delivery
from moderation.testimonials import actions as testimonial_actions
from moderation.testimonials.models import Feedback
from tests import factories
from tests.comment_client import post_comment, press_confirm

pytestmark = pytest.mark.django_db

# What `wagtail start` writes as templates/base.html, reduced to its blocks.
HOST_LAYOUT = """{% load static %}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{% block title %}{% if page.seo_title %}{{ page.seo_title }}{% else %}{{ page.title }}{% endif %}{% endblock %} - Harbour Shop</title>
<link rel="stylesheet" href="{% static 'css/shop.css' %}">
{% block extra_css %}{% endblock %}
</head><body>
<header>Harbour Shop header</header>
{% block content %}{% endblock %}
<script src="{% static 'js/shop.js' %}"></script>
{% block extra_js %}{% endblock %}
</body></html>"""

# The host's own article template: the README's way to show comments.
HOST_ARTICLE = """{% extends "base.html" %}{% load moderation_tags %}
{% block content %}<h1>{{ page.title }}</h1>{% comments page %}{% endblock %}"""


@pytest.fixture
def host_site(settings, tmp_path):
    """This site's templates/ replaced by a host's."""
    (tmp_path / "blog").mkdir()
    (tmp_path / "base.html").write_text(HOST_LAYOUT)
    (tmp_path / "blog" / "article_page.html").write_text(HOST_ARTICLE)
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path]}]
    return tmp_path


@pytest.fixture
def index(host_site):
    return factories.blog_index()


def delivered_to(address):
    delivery.dispatch()
    return [message for message in mail.outbox if address in message.to]


def link_in(message, prefix):
    found = re.search(rf"https?://[^/\s]+({re.escape(prefix)}[^\s\"<]+)", message.body)
    assert found, f"no {prefix} link in {message.subject!r}"
    return found.group(1)


def in_host_layout(response):
    html = response.content.decode()
    assert "Harbour Shop header" in html and 'class="site-header"' not in html
    return html


def test_a_commenter_on_a_host_site_gets_the_form_the_email_and_their_comment(
    client, index
):
    article = factories.article(index, "Linen care")

    page = in_host_layout(client.get(article.url))
    assert 'id="comment-form"' in page
    posted = post_comment(client, article, body="Cold wash, line dry.")
    assert posted.status_code == 302

    (confirmation,) = delivered_to("nina@example.com")
    assert "Linen care" in confirmation.body and confirmation.alternatives
    confirmed = press_confirm(
        client, link_in(confirmation, "/comments/confirm/"), follow=True
    )
    html = in_host_layout(confirmed)
    assert "Cold wash, line dry." in html and "awaiting moderation" in html
    assert Comment.objects.get().status == Comment.Status.PENDING

    problem = client.get("/comments/confirm/not-a-token/")
    assert problem.status_code == 400 and "link" in in_host_layout(problem)


def test_a_customer_on_a_host_site_gives_feedback_and_answers_for_permission(
    client, index, admin_user
):
    feedback_page = index.add_child(instance=FeedbackPage(title="Tell us", slug="t"))
    feedback_page.save_revision().publish()
    testimonials = index.add_child(instance=TestimonialsPage(title="Kind", slug="k"))
    testimonials.save_revision().publish()

    form = in_host_layout(client.get(feedback_page.url))
    fields = dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)
    )
    fields.pop("csrfmiddlewaretoken", None)
    sent = client.post(
        feedback_page.url,
        {**fields, "name": "Grace Hopper", "email": "grace@example.com"}
        | {"body": "The knives are superb.", "rating": "5"},
        follow=True,
    )
    assert "Thank you for your feedback" in in_host_layout(sent)

    testimonial = testimonial_actions.draft_from_feedback(
        Feedback.objects.get(), admin_user
    )
    testimonial.get_workflow().start(testimonial, admin_user)
    (request,) = delivered_to("grace@example.com")
    answer_url = link_in(request, "/comments/permission/")
    assert "The knives are superb." in in_host_layout(client.get(answer_url))
    thanks = client.post(answer_url, {"answer": "yes", "attribution_style": "full"})
    assert "Thank you!" in in_host_layout(thanks)
    shown = in_host_layout(client.get(testimonials.url))
    assert "The knives are superb." in shown and "Grace Hopper" in shown

    confirmation = delivered_to("grace@example.com")[-1]
    withdraw_url = link_in(confirmation, "/comments/withdraw/")
    assert "Withdraw my permission" in in_host_layout(client.get(withdraw_url))
    withdrawn = client.post(withdraw_url)
    assert "Permission withdrawn" in in_host_layout(withdrawn)


def test_a_visitor_on_a_host_site_asks_for_their_data_and_gets_the_link(client, index):
    form = in_host_layout(client.get("/your-data/"))
    assert 'name="email"' in form

    asked = client.post("/your-data/", {"email": "ivy@example.com"}, follow=True)
    assert "Check your inbox." in in_host_layout(asked)
    (message,) = delivered_to("ivy@example.com")
    manage = in_host_layout(client.get(link_in(message, "/your-data/")))
    assert "Download my data (JSON)" in manage


def test_the_apps_pages_wear_the_layout_named_by_the_setting(client, index, settings):
    from urllib.parse import urlsplit

    from moderation.comments.notices import manage_url, unsubscribe_url

    (shop := settings.TEMPLATES[0]["DIRS"][0] / "shop").mkdir()
    (shop / "layout.html").write_text(
        HOST_LAYOUT.replace("Harbour Shop", "Shop layout")
    )
    settings.MODERATION_BASE_TEMPLATE = "shop/layout.html"
    comment = factories.comment(factories.article(index, "Knives"))
    feedback_page = index.add_child(instance=FeedbackPage(title="Tell us", slug="t"))
    feedback_page.save_revision().publish()
    testimonials = index.add_child(instance=TestimonialsPage(title="Kind", slug="k"))
    testimonials.save_revision().publish()

    for url in [
        feedback_page.url,
        testimonials.url,
        "/your-data/",
        "/comments/confirm/not-a-token/",
        urlsplit(unsubscribe_url(comment)).path,
        "{0.path}?{0.query}".format(urlsplit(manage_url(comment))),
    ]:
        html = client.get(url).content.decode()
        assert "Shop layout header" in html and "Harbour Shop" not in html, url
        head = html.split("</head>")[0]  # the app's stylesheet, in extra_css
        assert (
            '<link rel="stylesheet" href="/static/moderation/moderation.css">' in head
        )
