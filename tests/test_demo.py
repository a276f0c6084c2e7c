import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Site

from blog.models import ArticlePage
from moderation.outbox.models import OutboxEmail

pytestmark = pytest.mark.django_db


def test_load_demo_builds_a_site_once_and_says_how_to_log_in(client, capsys):
    call_command("load_demo")
    call_command("load_demo")  # a second run changes nothing

    articles = ArticlePage.objects.live()
    assert articles.count() >= 6
    assert all(article.listing_image and article.tags.exists() for article in articles)
    assert len({article.date for article in articles}) == articles.count()
    assert Site.objects.get(is_default_site=True).root_page.specific_class.__name__ == (
        "BlogIndexPage"
    )
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert OutboxEmail.objects.filter(subject="Your Vouch demo is ready").count() == 1

    from moderation.testimonials.consent import ConsentRequest
    from moderation.testimonials.models import Testimonial

    assert set(ConsentRequest.objects.values_list("status", flat=True)) == {
        "granted",
        "awaiting",
        "declined",
        "withdrawn",
        "expired",
    }
    assert Testimonial.objects.filter(live=True).count() == 1
    assert "Tomás explains everything twice" in client.get("/").content.decode()
    assert (
        "Tomás explains everything twice"
        in client.get("/testimonials/").content.decode()
    )
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert (
        "http://127.0.0.1:8000/admin/" in last_line and "vouch-demo-admin" in last_line
    )
    # An erased commenter: the words stay, signed "Deleted user", no address kept.
    from moderation.comments.models import Comment
    from moderation.personal_data.models import PersonalDataAction

    erased = Comment.objects.get(body__startswith="Twenty years on the same pan")
    assert (erased.author_name, erased.author_email) == ("Deleted user", "")
    assert PersonalDataAction.objects.get().kind == "erase"
    # The header links the feedback and testimonials pages.
    home = client.get("/").content.decode()
    assert 'href="/feedback/">Tell us what you think</a>' in home
    assert 'href="/testimonials/">What our customers say</a>' in home
    privacy = client.get("/privacy/").content.decode()
    assert 'href="/your-data/"' in privacy and "forget your e-mail address" in privacy
    assert client.login(username="admin", password="vouch-demo-admin")
    assert "Seasoning cast iron" in client.get("/").content.decode()
