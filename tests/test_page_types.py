"""Where editors can create each page type: the app's pages under the home page
of any site, the blog's under its index."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text

from blog.models import ArticlePage, BlogIndexPage, InfoPage
from moderation.models import FeedbackPage, TestimonialsPage
from tests import factories

APP_PAGES = [FeedbackPage, TestimonialsPage]


@pytest.mark.django_db
class TestPageTypes(WagtailPageTestCase):
    def setUp(self):
        self.index = factories.blog_index()
        self.login()

    def test_the_apps_pages_go_under_any_home_page_and_have_no_children(self):
        for page_type in APP_PAGES:
            # Page is what a site's home page is until its developer says more.
            self.assertCanCreateAt(Page, page_type)
            self.assertCanCreateAt(BlogIndexPage, page_type)
            self.assertAllowedSubpageTypes(page_type, [])

    def test_editors_create_feedback_and_testimonials_pages_under_the_blog_home(self):
        self.assertCanCreate(
            self.index,
            FeedbackPage,
            nested_form_data(
                {
                    "title": "Tell us",
                    "slug": "tell-us",
                    "intro": rich_text("<p>How did we do?</p>"),
                    "thank_you": "Thank you.",
                }
            ),
        )
        self.assertCanCreate(
            self.index,
            TestimonialsPage,
            nested_form_data(
                {
                    "title": "Kind words",
                    "slug": "kind-words",
                    "intro": rich_text("<p>From our customers.</p>"),
                }
            ),
        )

    def test_the_blogs_pages_live_under_its_index(self):
        self.assertAllowedSubpageTypes(
            BlogIndexPage, [ArticlePage, InfoPage, *APP_PAGES]
        )
        self.assertAllowedParentPageTypes(ArticlePage, [BlogIndexPage])
        self.assertAllowedParentPageTypes(InfoPage, [BlogIndexPage])
        self.assertAllowedSubpageTypes(ArticlePage, [])
        self.assertAllowedSubpageTypes(InfoPage, [])
        self.assertCanNotCreateAt(ArticlePage, FeedbackPage)

    def test_a_page_type_with_the_comments_mixin_has_its_switch_in_the_settings_tab(
        self,
    ):
        article = factories.article(self.index, "Open thread")

        html = self.client.get(
            reverse("wagtailadmin_pages:edit", args=[article.pk])
        ).content.decode()

        settings_tab = html[html.index('id="tab-settings"') :]
        assert 'name="comments_open"' in settings_tab
        assert "Untick to stop new comments on this page." in settings_tab
