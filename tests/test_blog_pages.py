import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import include, path

from blog.models import BlogIndexPage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def index():
    return factories.blog_index()


def test_index_lists_published_articles_newest_first(client, index):
    factories.article(index, "Older story", days_ago=5)
    factories.article(index, "Newest story", days_ago=0)
    factories.article(index, "Unpublished draft", live=False)

    html = client.get("/").content.decode()

    assert html.index("Newest story") < html.index("Older story")
    assert "Unpublished draft" not in html


def test_index_paginates_articles(client, index):
    for number in range(BlogIndexPage.articles_per_page + 3):
        factories.article(index, f"Story {number:02d}", days_ago=number)

    first = client.get("/").content.decode()
    second = client.get("/?page=2").content.decode()

    assert "Story 00" in first and "Story 12" not in first
    assert "Story 12" in second and "Story 00" not in second
    assert 'rel="next"' in first and "Page 2 of 2" in second


def test_index_page_number_out_of_range_shows_last_page(client, index):
    factories.article(index, "Only story")

    response = client.get("/?page=99")
    bad = client.get("/?page=abc")

    assert response.status_code == 200 and "Only story" in response.content.decode()
    assert bad.status_code == 200 and "Only story" in bad.content.decode()


def test_index_filters_by_tag(client, index):
    factories.article(index, "Pan care", tags=["cast iron"])
    factories.article(index, "Bread", tags=["baking"])

    html = client.get("/?tag=cast-iron").content.decode()

    assert "Pan care" in html and "Bread" not in html


def test_index_tag_that_cannot_be_a_tag_lists_no_articles(client, index):
    factories.article(index, "Pan care", tags=["cast iron"])

    responses = [client.get(f"/?tag={tag}") for tag in ("%00", "cast%00iron", "a b")]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert not any("Pan care" in r.content.decode() for r in responses)


def test_article_renders_every_block_type(client, index):
    from tests.test_images import make_test_image

    image = make_test_image()
    page = factories.article(
        index,
        "Seasoning",
        author_name="Maya Okafor",
        tags=["care"],
        body=[
            {"type": "heading", "value": {"text": "Why thin coats", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Oil <b>bonds</b> to iron.</p>"},
            {
                "type": "quote",
                "value": {"text": "Cook with it.", "attribution": "Tomás"},
            },
            {
                "type": "image",
                "value": {"image": image.pk, "alt_text": "A pan", "caption": "Pan"},
            },
        ],
    )

    response = client.get(page.url)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Seasoning</h1>" in html and "Maya Okafor" in html
    assert "<h2>Why thin coats</h2>" in html and "<b>bonds</b>" in html
    assert "<blockquote><p>Cook with it.</p></blockquote>" in html and "Tomás" in html
    assert 'alt="A pan"' in html and "<figcaption>Pan</figcaption>" in html
    assert 'href="/?tag=care"' in html


def test_article_with_comments_closed_says_so(client, index):
    page = factories.article(index, "Quiet article", comments_open=False)

    assert "Comments are closed" in client.get(page.url).content.decode()


def test_article_template_escapes_text_fields(client, index):
    page = factories.article(
        index,
        "<script>alert(1)</script>",
        intro="<img src=x onerror=alert(1)>",
        body=[{"type": "paragraph", "value": "<p>Plain body.</p>"}],
    )

    html = client.get(page.url).content.decode()

    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html


def test_rss_and_atom_feeds_list_published_articles_only(client, index):
    factories.article(index, "Published one", author_name="Maya Okafor")
    factories.article(index, "Draft one", live=False)

    rss = ET.fromstring(client.get("/feeds/articles/rss/").content)
    atom = client.get("/feeds/articles/atom/")

    titles = [item.findtext("title") for item in rss.iter("item")]
    assert titles == ["Published one"]
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert b"Published one" in atom.content and b"Draft one" not in atom.content


def test_sitemap_lists_published_pages_only(client, index):
    published = factories.article(index, "In the sitemap")
    factories.article(index, "Not in the sitemap", slug="not-in-sitemap", live=False)

    xml = client.get("/sitemap.xml").content.decode()

    assert published.url in xml
    assert "not-in-sitemap" not in xml


def test_unknown_page_gets_friendly_404(client, index):
    response = client.get("/no-such-article/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# Search, robots.txt, humans.txt and error pages ---------------------------------


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_an_article_by_a_word_in_its_body(client, index):
    factories.article(
        index,
        "Caring for iron",
        body=[{"type": "paragraph", "value": "<p>Polymerised linseed oil.</p>"}],
    )
    factories.article(index, "Sourdough starters")
    factories.article(
        index,
        "Draft about linseed",
        live=False,
        body=[{"type": "paragraph", "value": "<p>More linseed.</p>"}],
    )

    html = search(client, "linseed")

    assert "Caring for iron" in html and "1 page matches “linseed”." in html
    assert "Sourdough starters" not in html and "Draft about linseed" not in html
    assert 'value="linseed"' in html  # the query stays in the box


def test_search_with_no_match_suggests_other_words(client, index):
    factories.article(index, "Sourdough starters")

    html = search(client, "zeppelin")

    assert (
        "0 pages match “zeppelin”." in html and "Try fewer or different words" in html
    )


def test_search_results_come_a_page_at_a_time(client, index):
    from blog.views import RESULTS_PER_PAGE

    for number in range(RESULTS_PER_PAGE + 2):
        factories.article(index, f"Kettle story {number:02d}", days_ago=number)

    first = search(client, "kettle")
    second = search(client, "kettle", page="2")

    assert first.count('class="search-result"') == RESULTS_PER_PAGE
    assert second.count('class="search-result"') == 2
    assert 'rel="next" href="?q=kettle&amp;page=2"' in first
    assert "Results page 2 of 2" in second


def test_search_survives_punctuation_and_markup(client, index):
    factories.article(index, "Plain article")

    for query in ['"(),:;<>[]\\', "<script>alert(1)</script>", "OR AND NOT *", "'"]:
        html = search(client, query)
        assert "<script>alert(1)</script>" not in html


def test_search_does_not_repeat_an_email_address(client, index):
    factories.article(index, "Plain article")

    html = search(client, "someone.private@example.com")

    assert "someone.private" not in html and "example.com" not in html
    assert "We never publish email addresses" in html


def test_every_page_has_a_labelled_search_form_that_needs_no_script(client, index):
    article = factories.article(index, "Any article")

    for url in ("/", article.url, "/no-such-page/"):
        html = client.get(url).content.decode()
        form = html[html.index('<form class="site-search"') :]
        form = form[: form.index("</form>")]
        assert 'role="search"' in form and 'method="get"' in form
        assert 'action="/search/"' in form and 'name="q"' in form
        assert '<label for="site-search-query"' in form
        assert 'type="submit"' in form


def test_robots_txt_allows_everything_and_points_at_the_sitemap(client, index):
    response = client.get("/robots.txt")
    text = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in text and "Disallow:\n" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert client.get("/sitemap.xml").status_code == 200


def test_humans_txt_names_the_site_and_its_promise(client, index):
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(site_name="Pots & Pans")

    response = client.get("/humans.txt")
    text = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "/* TEAM */" in text and "Name: Pots & Pans" in text  # not HTML-escaped
    assert "never your email address" in text


def test_malformed_request_gets_a_friendly_400_page(client, index):
    response = client.get("/", HTTP_HOST="not a host name")
    html = response.content.decode()

    assert response.status_code == 400
    assert "We could not understand that request" in html
    assert "Go to the home page" in html and 'class="site-search"' in html


def refuse(request):
    raise PermissionDenied("Not for you.")


# The site's own URLs plus one view that refuses, for the 403 handler below.
urlpatterns = [path("refused/", refuse), path("", include("config.urls"))]


@pytest.mark.urls(__name__)
def test_forbidden_gets_a_friendly_403_page(client, index):
    response = client.get("/refused/")
    html = response.content.decode()

    assert response.status_code == 403
    assert "You cannot do that here" in html and "nothing was changed" in html
    assert "Not for you." not in html  # the exception's text is not shown
    assert 'class="site-search"' in html


def test_form_without_csrf_token_gets_a_friendly_403_page(index):
    from django.test import Client

    article = factories.article(index, "Any article")
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        "/comments/post/", {"page": article.pk, "name": "Ann", "body": "Hi"}
    )
    html = response.content.decode()

    assert response.status_code == 403
    assert "This form could not be checked" in html and "nothing was saved" in html
    assert "CSRF verification failed" not in html


def site_menu(html):
    """The header's navigation: (text, href, aria-current) of each link."""
    nav = re.search(r'<nav aria-label="Site">(.*?)</nav>', html, re.S)
    assert nav, "the header has no navigation landmark labelled “Site”"
    return re.findall(
        r'<a href="([^"]+)"(?: aria-current="([^"]+)")?>([^<]+)</a>', nav.group(1)
    )


def test_the_header_links_the_pages_marked_show_in_menus(client, index):
    from moderation.models import FeedbackPage, TestimonialsPage

    feedback = index.add_child(
        instance=FeedbackPage(title="Tell us", slug="tell-us", show_in_menus=True)
    )
    feedback.save_revision().publish()
    kind_words = index.add_child(
        instance=TestimonialsPage(title="Kind words", slug="kind", show_in_menus=True)
    )
    kind_words.save_revision().publish()
    factories.article(index, "Not in the menu")
    hidden = factories.article(index, "Draft in the menu", live=False)
    hidden.show_in_menus = True
    hidden.save()

    home = site_menu(client.get("/").content.decode())
    on_feedback = site_menu(client.get("/tell-us/").content.decode())

    assert home == [
        ("/tell-us/", "", "Tell us"),
        ("/kind/", "", "Kind words"),
        ("/feeds/articles/rss/", "", "RSS"),
    ]
    assert ("/tell-us/", "page", "Tell us") in on_feedback
    assert ("/kind/", "", "Kind words") in on_feedback
