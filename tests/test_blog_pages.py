import xml.etree.ElementTree as ET

import pytest

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
