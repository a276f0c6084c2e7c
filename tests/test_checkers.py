"""The checkers themselves: the Nu HTML checker reports what it finds, and the
session's collector really sees the pages the tests are served."""

import pytest

from tests import checkers, factories
from tests.checkers import nu

VALID = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{}</title>'
    "</head><body>{}</body></html>"
)


def test_the_nu_checker_names_the_document_and_the_error(tmp_path):
    checkers.require(checkers.java_missing())
    documents = nu.Documents(tmp_path)
    documents.add(
        VALID.format("fine", '<time datetime="2025-03-14T09:30:00+0000">x</time>'),
        "fine",
    )
    documents.add(
        VALID.format(
            "bad", '<time datetime="2025-03-14T09:30:00.123456+00:00">x</time>'
        ),
        "bad",
    )

    found = nu.errors_by_document(documents)

    assert [document.what for document in found] == ["bad"]
    (message,) = next(iter(found.values()))
    assert "fraction of a second" in message["message"]


@pytest.mark.django_db
def test_every_page_served_is_collected_for_the_checker(client):
    if nu.collected is None:
        checkers.require(checkers.java_missing())
    factories.article(factories.blog_index(), "Collected")
    before = len(nu.collected)

    client.get("/collected/?seen=1")
    client.get("/admin/login/")  # Wagtail's admin: not ours to check

    added = list(nu.collected)[before:]
    assert [document.what for document in added] == ["GET /collected/?seen=1 (200)"]
    assert "Collected" in added[0].path.read_text()


@pytest.mark.django_db
def test_a_control_character_repeated_from_the_request_is_sent_as_u_fffd(client):
    factories.blog_index()

    html = client.get("/search/", {"q": "cast\x00iron"}).content.decode()

    assert "\x00" not in html
    assert "cast\ufffdiron" in html
