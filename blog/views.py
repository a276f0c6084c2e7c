"""Site-wide views that are not pages: search, robots.txt and humans.txt.

Search follows bakerydemo's ``search`` view over Wagtail's search backend:
https://docs.wagtail.org/en/stable/topics/search/searching.html
"""

import html
import re

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def search_terms(query):
    """The words of ``query``, lower-cased. Punctuation and the backends'
    operator words (SQLite FTS5 reads ``"``, ``(`` or ``OR`` as syntax) would
    make a typed query fail instead of finding pages."""
    return " ".join(word.lower() for word in re.findall(r"\w+", query))


def looks_like_email(query):
    """Anything with an ``@``: such a query is neither searched nor shown back,
    so no page, not even this one, ever repeats an address (promise 1)."""
    return "@" in query


@require_GET
def search(request):
    """Live, public pages of this site matching ``q``, a page of results at a time."""
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    email_query = looks_like_email(query)
    if email_query:
        query = ""
    results = Page.objects.none()
    terms = search_terms(query)
    if terms:
        pages = Page.objects.live().public()
        site = Site.find_for_request(request)
        if site:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        results = pages.specific().search(terms)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    # get_page: a bad number gives the first page, one too high the last.
    results_page = paginator.get_page(request.GET.get("page", 1))
    for page in results_page:
        page.summary = summary(page)
    return render(
        request,
        "search.html",
        {
            "query": query,
            "email_query": email_query,
            "results": results_page,
            "paginator": paginator,
        },
    )


def summary(page):
    """A line under a result: the page's search description, else its intro
    (plain text on articles, rich text on other pages) without tags."""
    text = page.search_description or html.unescape(
        strip_tags(getattr(page, "intro", "") or "")
    )
    return Truncator(" ".join(text.split())).words(40)


@require_GET
def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )


@require_GET
def humans_txt(request):
    return render(request, "humans.txt", content_type="text/plain; charset=utf-8")
