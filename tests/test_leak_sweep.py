"""Promise 1, swept: an email address is never published.

The ``world`` fixture plants the 50 probe addresses as the private emails of
commenters, feedback givers and testimonial customers in every state, through
the real forms where an address is one a browser can send, and delivers every
email the site decides to send. ``public_surfaces`` then fetches everything an
anonymous visitor can reach; the tests look for every encoding of every probe
in those pages, in the emails and in the logs. Call ``public_surfaces`` again
after changing the world (an erasure, say) to sweep it once more.
"""

import html
import itertools
import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.test import Client
from wagtail.models import Page, Site

from blog.models import InfoPage
from moderation.comments import actions as comment_actions
from moderation.comments.digest import send_due_digests
from moderation.comments.models import Comment
from moderation.conf import setting
from moderation.models import FeedbackPage, TestimonialsPage
from moderation.outbox import delivery
from moderation.personal_data.models import PersonalDataAction
from moderation.personal_data.records import CommentChoice, erase
from moderation.settings import ModerationSettings
from moderation.testimonials import actions as testimonial_actions
from moderation.testimonials.consent import ConsentRequest
from moderation.testimonials.models import Feedback, Testimonial
from tests import factories
from tests.comment_client import HIDDEN, form_fields, post_comment, press_confirm
from tests.corpora import database_dump, email_probes, probe_hits

pytestmark = pytest.mark.django_db
PROBES = email_probes()

# Every state a person's address can be stored in. Probe n plays ROLES[n % 15].
COMMENT_ROLES = (
    "comment unconfirmed",
    "comment pending",
    "comment approved",
    "comment rejected",
    "comment spam",
    "comment deleted by author",
    "comment removed by moderator",
    "comment by signed-in user",
    "reply",
)
CUSTOMER_ROLES = (
    "feedback only",
    "testimonial awaiting permission",
    "testimonial granted",
    "testimonial declined",
    "testimonial withdrawn",
    "testimonial expired",
)
ROLES = COMMENT_ROLES + CUSTOMER_ROLES
PUBLISHED_COMMENT_ROLES = {"comment approved", "comment by signed-in user", "reply"}
HIDDEN_COMMENT_ROLES = {
    "comment unconfirmed",
    "comment pending",
    "comment rejected",
    "comment spam",
    "comment deleted by author",
    "comment removed by moderator",
}
BLOCKED_WORD = "casino"
LINK = re.compile(r"https?://[^/\s]+(/[^\s\"<>]+)")
SEARCH_WORDS = ("iron", "sourdough", "privacy", "commenter", "seasoning", "knife")
# What a visitor fetches with someone else's link, in a browser of their own.
SOMEONE_ELSES = "someone else's link: "


@dataclass
class Person:
    number: int
    address: str
    role: str
    browser: Client = field(repr=False)
    comments: list = field(default_factory=list, repr=False)

    @property
    def name(self):
        if self.role in CUSTOMER_ROLES:
            return f"Cust{self.number:02d} Okafor"
        return f"Commenter {self.number:02d}"

    @property
    def text(self):
        words = "the seasoning tip worked"
        if self.role in CUSTOMER_ROLES:
            words = "the knife course changed my cooking"
        if self.role == "comment spam":
            words = f"cheap {BLOCKED_WORD} bonus"
        return f"Words of person {self.number:02d}: {words}."

    @property
    def sendable(self):
        """Can a browser send this address through a form? Four probes fail
        Django's EmailValidator; those are stored directly, as an import would."""
        try:
            validate_email(self.address)
        except ValidationError:
            return False
        return True

    def network(self, attempt=0):
        return f"10.{attempt}.{self.number}.1"

    def mail(self):
        mine = self.address.lower()
        return [
            message
            for message in mail.outbox
            if mine in {address.lower() for address in message.to}
        ]

    def link(self, path):
        """The newest link to ``path`` in the emails this person was sent."""
        for message in reversed(self.mail()):
            for found in LINK.findall(message.body):
                if found.startswith(path):
                    return found
        raise AssertionError(f"No {path} link was sent to person {self.number}")


@dataclass
class World:
    index: Page
    articles: list
    feedback_page: FeedbackPage
    testimonials_page: TestimonialsPage
    people: list
    admin: object
    # Links from other people's emails: {surface name: path}.
    links: dict = field(default_factory=dict)

    def cast(self, role):
        return [person for person in self.people if person.role == role]

    def must_show(self):
        """Names and words the public pages must show: proof they are not empty."""
        shown = {}
        for person in self.people:
            if person.role in PUBLISHED_COMMENT_ROLES:
                name = person.name
                if person.role == "comment by signed-in user":
                    name = f"reader{person.number:02d}"
                shown[person.number] = [name, person.text]
            elif person.role == "testimonial granted":
                shown[person.number] = [person.text, person.name]  # full name chosen
        return shown

    def never_shown(self):
        """Words that must stay private: unpublished comments, unconsented quotes."""
        return [
            person.text
            for person in self.people
            if person.role in HIDDEN_COMMENT_ROLES
            or person.role in set(CUSTOMER_ROLES) - {"testimonial granted"}
        ]


# Building the world ----------------------------------------------------------------


def publish(page):
    page.save_revision().publish()
    return page


def deliver():
    """Send whatever the site has queued (the worker's job, done inline here)."""
    delivery.dispatch()


def latest_comment():
    return Comment.objects.order_by("-pk").first()


def write_comment(person, page, *, parent=None, attempt=0):
    """Comment as this person would: the real form where the address can be
    typed into it, else stored directly (waiting for confirmation)."""
    if person.role == "comment by signed-in user" or person.sendable:
        response = post_comment(
            person.browser,
            page,
            reply_to=parent,
            remote_addr=person.network(attempt),
            name=person.name,
            email=person.address,
            body=person.text,
            notify_on_approval="on",
            notify_on_reply="on",
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        person.comments.append(latest_comment())
        return person.comments[-1]
    comment = factories.comment(
        page,
        person.text,
        status=Comment.Status.UNCONFIRMED,
        parent=parent,
        author_name=person.name,
        author_email=person.address,
        notify_on_approval=True,
        notify_on_reply=True,
    )
    person.comments.append(comment)
    if ModerationSettings.for_site(page.get_site()).blocked_reason(
        email=comment.author_email, html=comment.body_html
    ):
        return comment_actions.mark_spam(comment)
    return comment


def confirm(person, comment):
    """Click the confirmation link from the email, as the commenter."""
    comment.refresh_from_db()
    if comment.status != Comment.Status.UNCONFIRMED:
        return comment
    deliver()
    if any("/comments/confirm/" in message.body for message in person.mail()):
        response = press_confirm(person.browser, person.link("/comments/confirm/"))
        assert response.status_code == 302
    else:  # stored directly: no email was sent
        comment_actions.confirm_email(comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    return comment


def give_feedback(person, page):
    if not person.sendable:
        return Feedback.objects.create(
            page=page, name=person.name, email=person.address, body=person.text
        )
    form = person.browser.get(page.url).content.decode()
    fields = {k: v for k, v in HIDDEN.findall(form) if k != "csrfmiddlewaretoken"}
    response = person.browser.post(
        page.url,
        {
            **fields,
            "name": person.name,
            "email": person.address,
            "body": person.text,
            "rating": "5",
        },
        REMOTE_ADDR=person.network(),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Feedback.objects.get(email=person.address)


def permission_workflow():
    """Earlier transactional tests empty the database, data migrations included."""
    from django.apps import apps
    from wagtail.models import Workflow

    from moderation.testimonials import workflow

    if not Workflow.objects.filter(name="Testimonial permission").exists():
        workflow.install(apps)


def build_pages():
    index = factories.blog_index()
    privacy = publish(
        index.add_child(
            instance=InfoPage(
                title="Privacy",
                slug="privacy",
                body="<p>We keep your email address private, always.</p>",
            )
        )
    )
    policy = ModerationSettings.for_site(Site.objects.get(is_default_site=True))
    policy.privacy_page = privacy
    policy.blocked_words = BLOCKED_WORD
    policy.save()
    articles = [
        factories.article(
            index,
            "Cast iron care",
            body=[{"type": "paragraph", "value": "<p>Seasoning cast iron.</p>"}],
        ),
        factories.article(
            index,
            "Sourdough at home",
            days_ago=1,
            body=[{"type": "paragraph", "value": "<p>A starter and patience.</p>"}],
        ),
    ]
    feedback_page = publish(
        index.add_child(instance=FeedbackPage(title="Tell us", slug="feedback"))
    )
    testimonials_page = publish(
        index.add_child(instance=TestimonialsPage(title="Kind words", slug="kind"))
    )
    return index, articles, feedback_page, testimonials_page


def plant_comments(world):
    admin = world.admin
    comments = {}
    for person in world.people:
        if person.role not in COMMENT_ROLES or person.role == "reply":
            continue
        if person.role == "comment by signed-in user":
            user = signed_in_user(person)
            person.browser.force_login(user)
        article = world.articles[person.number % 2]
        comment = write_comment(person, article)
        comments[person.number] = comment
        if person.role == "comment spam":
            assert comment.status == Comment.Status.SPAM
            continue
        if person.role == "comment unconfirmed":
            assert comment.status == Comment.Status.UNCONFIRMED
            continue
        comment = confirm(person, comment)
        if person.role == "comment rejected":
            comment_actions.reject(comment, admin)
        elif person.role != "comment pending":
            comment_actions.approve(comment, admin)

    # Replies: reply notices to the published authors, and replies that keep
    # the deleted comments on the page as placeholders.
    parents = [
        comments[person.number]
        for person in world.people
        if person.role
        in (
            "comment approved",
            "comment deleted by author",
            "comment removed by moderator",
        )
    ]
    repliers = itertools.cycle(world.cast("reply"))
    for attempt, parent in enumerate(parents):
        person = next(repliers)
        reply = confirm(
            person, write_comment(person, parent.page, parent=parent, attempt=attempt)
        )
        comment_actions.approve(reply, admin)

    for person in world.people:
        comment = comments.get(person.number)
        if person.role == "comment deleted by author":
            if person.sendable:  # the browser that wrote it may delete it
                response = person.browser.post(
                    f"/comments/{comment.pk}/manage/", {"action": "delete"}
                )
                assert response.status_code == 302
            else:
                comment_actions.delete_by_author(comment)
        elif person.role == "comment removed by moderator":
            comment_actions.delete(comment, admin)
    # An editor writes to a commenter through the site.
    first_published = comments[world.cast("comment approved")[0].number]
    comment_actions.email_author(
        first_published, admin, "About your comment", "Thank you, we liked it."
    )


def signed_in_user(person):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        username=f"reader{person.number:02d}", email=person.address, password="x"
    )


def plant_customers(world):
    admin = world.admin
    testimonials = {}
    for person in world.people:
        if person.role not in CUSTOMER_ROLES:
            continue
        feedback = give_feedback(person, world.feedback_page)
        if person.role == "feedback only":
            continue
        testimonial = testimonial_actions.draft_from_feedback(feedback, admin)
        testimonial.get_workflow().start(testimonial, admin)
        testimonials[person.number] = testimonial
    deliver()
    for person in world.people:
        if person.role == "testimonial expired":
            request = ConsentRequest.objects.get(
                testimonial=testimonials[person.number]
            )
            testimonial_actions.expire(request)
        elif person.role in ("testimonial granted", "testimonial withdrawn"):
            answer = {"answer": "yes", "attribution_style": "full"}
            response = person.browser.post(person.link("/comments/permission/"), answer)
            assert response.status_code == 200
        elif person.role == "testimonial declined":
            response = person.browser.post(
                person.link("/comments/permission/"), {"answer": "no"}
            )
            assert response.status_code == 200
    deliver()
    for person in world.cast("testimonial withdrawn"):
        response = person.browser.post(person.link("/comments/withdraw/"))
        assert response.status_code == 200

    # Every testimonial is placed on the home page and in an article; only the
    # consented ones may show.
    blocks = [
        {"type": "testimonial", "value": {"testimonial": testimonial.pk}}
        for testimonial in testimonials.values()
    ]
    world.index.featured = blocks
    publish(world.index)
    article = world.articles[0]
    article.body = [
        {"type": "paragraph", "value": "<p>Seasoning cast iron.</p>"},
        *blocks,
    ]
    publish(article)
    assert {t.live for t in Testimonial.objects.all()} == {True, False}


def ask_for_data(world):
    """People ask for their own data on the “Your data” page; a link is emailed."""
    for person in world.cast("feedback only"):
        if person.sendable:
            response = person.browser.post(
                "/your-data/",
                {"email": person.address, "website": ""},
                REMOTE_ADDR=person.network(),
            )
            assert response.status_code == 302


def collect_links(world):
    """Links other people were sent, which a visitor might get hold of."""
    first = {role: world.cast(role)[0] for role in ROLES}
    pending = [p for p in world.cast("comment pending") if p.sendable][0]
    published = first["comment approved"]
    asked = [p for p in world.cast("feedback only") if p.sendable][0]
    world.links.update(
        {
            "consent page of a customer still deciding": first[
                "testimonial awaiting permission"
            ].link("/comments/permission/"),
            "consent page of a customer who said yes": first[
                "testimonial granted"
            ].link("/comments/permission/"),
            "consent page of a customer whose request expired": first[
                "testimonial expired"
            ].link("/comments/permission/"),
            "withdrawal page of a customer who said yes": first[
                "testimonial granted"
            ].link("/comments/withdraw/"),
            "withdrawal page of a customer who withdrew": first[
                "testimonial withdrawn"
            ].link("/comments/withdraw/"),
            "comment confirmation of another commenter": pending.link(
                "/comments/confirm/"
            ),
            "comment management link of another commenter": published.link(
                f"/comments/{published.comments[0].pk}/manage/"
            ),
            "unsubscribe page of another commenter": published.link(
                "/comments/unsubscribe/"
            ),
            "“your data” page of another person": asked.link("/your-data/"),
        }
    )


@pytest.fixture
def world(caplog, settings, admin_user):
    caplog.set_level(logging.INFO)  # everything from INFO up, planting included
    settings.MODERATION_COMMENTS_PER_PAGE = 3  # so comments span several pages
    permission_workflow()
    index, articles, feedback_page, testimonials_page = build_pages()
    people = [
        Person(number, row["address"], ROLES[number % len(ROLES)], Client())
        for number, row in enumerate(PROBES)
    ]
    built = World(index, articles, feedback_page, testimonials_page, people, admin_user)
    plant_comments(built)
    plant_customers(built)
    ask_for_data(built)
    send_due_digests()
    deliver()
    collect_links(built)
    return built


# The sweep -----------------------------------------------------------------------------


def as_text(response):
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    return f"{response.status_code}\n{headers}\n\n{response.content.decode()}"


NEXT = re.compile(r'rel="next" href="([^"]+)"')


def public_surfaces(client, world):
    """Everything an anonymous visitor can fetch, as {surface name: text with
    status line and headers}. Paginated listings are followed to their end."""
    surfaces = {}

    def fetch(name, url, *, browser=None, paginated=False, **extra):
        response = (browser or client).get(url, **extra)
        surfaces[name] = as_text(response)
        if paginated and response.status_code == 200:
            seen = {url}
            match = NEXT.search(response.content.decode())
            while match:
                url = urljoin(url, html.unescape(match.group(1))).split("#")[0]
                if url in seen:
                    break
                seen.add(url)
                response = client.get(url)
                surfaces[f"{name} → {url}"] = as_text(response)
                match = NEXT.search(response.content.decode())
        return response

    pages = Page.objects.live().public().specific()
    for page in (page for page in pages if page.url):  # routable under the site
        fetch(f"page {page.url}", page.url, paginated=True)
        fetch(f"comment feed of {page.url}", f"/comments/pages/{page.pk}/feed/")
        json_url = f"/comments/pages/{page.pk}/comments.json"
        while json_url:
            response = fetch(f"comments.json of {page.url} {json_url}", json_url)
            json_url = response.json()["next"] if response.status_code == 200 else None
    for article in world.articles:
        parent = Comment.objects.for_page(article).approved().first()
        if parent:
            fetch(f"reply form on {article.url}", f"{article.url}?reply={parent.pk}")
    fetch("feedback page, thank you", f"{world.feedback_page.url}?sent=1")
    for url in (
        "/feeds/articles/rss/",
        "/feeds/articles/atom/",
        "/sitemap.xml",
        "/robots.txt",
        "/humans.txt",
        "/your-data/",
        "/your-data/?sent=1",
        "/your-data/forged-token/",
        "/no-such-page/",
        "/comments/pages/999999/comments.json",
        "/comments/permission/forged-token/",
        "/comments/withdraw/forged-token/",
        "/comments/confirm/forged-token/",
    ):
        fetch(url, url)

    queries = list(SEARCH_WORDS)
    for person in world.people:
        queries += [person.name, person.address, person.address.rpartition("@")[0]]
    for query in queries:
        fetch(f"search {query!r}", "/search/", paginated=True, data={"q": query})

    # Error pages: 400 (a tampered form), 403 (no CSRF token, and someone
    # else's comment), 429 (over the rate limit).
    article = world.articles[0]
    tampered = {
        **form_fields(client.get(article.url).content.decode()),
        "name": "A Visitor",
        "email": "visitor@example.net",
        "body": "Hello.",
        "security_hash": "0" * 64,
    }
    surfaces["400 tampered comment form"] = as_text(
        client.post("/comments/post/", tampered, REMOTE_ADDR="198.51.100.7")
    )
    surfaces["400 malformed host"] = as_text(
        client.get("/", HTTP_HOST="not a host name")
    )
    surfaces["403 form without CSRF token"] = as_text(
        Client(enforce_csrf_checks=True).post("/comments/post/", tampered)
    )
    someone_elses = Comment.objects.for_page(article).visible().first()
    if someone_elses:
        fetch("403 someone else's comment", f"/comments/{someone_elses.pk}/manage/")
    for _attempt in range(setting("COMMENT_RATE_IP")[0] + 1):
        response = client.post("/comments/post/", tampered, REMOTE_ADDR="203.0.113.9")
        if response.status_code == 429:
            break
    surfaces["429 too many comments"] = as_text(response)

    for name, url in world.links.items():
        fetch(SOMEONE_ELSES + name, url, browser=Client(), follow=True)
    return surfaces


# The tests --------------------------------------------------------------------------


def hits_by_surface(surfaces, probes=PROBES):
    return {name: probe_hits(text, probes) for name, text in surfaces.items()}


def test_the_sweep_covers_every_state_and_every_probe(world):
    assert len(PROBES) == 50
    assert {person.role for person in world.people} == set(ROLES)
    statuses = set(Comment.objects.values_list("status", flat=True))
    assert statuses == set(Comment.Status.values)
    assert set(ConsentRequest.objects.values_list("status", flat=True)) >= {
        "awaiting",
        "granted",
        "declined",
        "withdrawn",
        "expired",
    }
    assert Feedback.objects.filter(testimonials=None).exists()


def test_no_address_on_any_public_surface(client, world):
    surfaces = public_surfaces(client, world)

    everything = "\n".join(surfaces.values())
    for number, words in world.must_show().items():
        for word in words:
            assert word in everything, f"person {number}: {word!r} is not shown"
    article = world.articles[0].url
    last = [name for name in surfaces if name.startswith(f"page {article} → ")][-1]
    assert "Comments page 1 of" in surfaces[f"page {article}"]
    assert 'rel="next"' not in surfaces[last]  # followed to the last page
    granted = world.cast("testimonial granted")[0]
    for name in ("page /", f"page {world.testimonials_page.url}", f"page {article}"):
        assert granted.text in surfaces[name] and granted.name in surfaces[name]
    assert "Cast iron care" in surfaces["search 'iron'"]
    assert "We never publish email addresses" in surfaces[f"search {granted.address!r}"]
    assert "This comment was deleted" in everything
    assert surfaces["400 tampered comment form"].startswith("400")
    assert "We could not understand that request" in surfaces["400 malformed host"]
    assert "This form could not be checked" in surfaces["403 form without CSRF token"]
    assert surfaces["403 someone else's comment"].startswith("403")
    assert "Too many comments at once" in surfaces["429 too many comments"]
    assert "Page not found" in surfaces["/no-such-page/"]
    assert "Sitemap: http://testserver/sitemap.xml" in surfaces["/robots.txt"]
    awaiting = world.cast("testimonial awaiting permission")[0]
    consent_page = surfaces[SOMEONE_ELSES + "consent page of a customer still deciding"]
    assert awaiting.text in consent_page and awaiting.name in consent_page
    data_page = surfaces[SOMEONE_ELSES + "“your data” page of another person"]
    assert "1 feedback message" in data_page

    assert hits_by_surface(surfaces) == {name: [] for name in surfaces}
    private = world.never_shown()
    assert {
        name: [words for words in private if words in text]
        for name, text in surfaces.items()
        if not name.startswith(SOMEONE_ELSES)
    } == {name: [] for name in surfaces if not name.startswith(SOMEONE_ELSES)}


def test_wagtail_search_index_holds_no_address(world):
    from wagtail.search.models import IndexEntry

    entries = "\n".join(map(str, IndexEntry.objects.values()))

    assert "Cast iron care" in entries
    assert probe_hits(entries, PROBES) == []


def test_emails_to_one_person_never_carry_another_persons_address(world):
    leaks = {}
    for number, message in enumerate(mail.outbox):
        recipients = {address.lower() for address in message.recipients()}
        others = [row for row in PROBES if row["address"].lower() not in recipients]
        text = "\n".join(
            [
                message.subject,
                message.body,
                *(content for content, _type in message.alternatives),
                *(f"{k}: {v}" for k, v in message.extra_headers.items()),
                message.message().as_string(),
            ]
        )
        hits = probe_hits(text, others)
        if hits:
            leaks[f"{number}: {message.subject} → {message.to}"] = hits

    subjects = " | ".join(message.subject for message in mail.outbox)
    for kind in (
        "Please confirm your comment",
        "is published",
        "replied to your comment",
        "About your comment",
        "May we publish your words?",
        "Thank you: your words will be published",
        "withdrew permission",
        "wait for moderation",
        "Your data on",
    ):
        assert kind in subjects
    everyone = {person.address for person in world.people}
    reached = {address for message in mail.outbox for address in message.to}
    assert len(everyone & reached) >= 40  # nearly everyone got at least one email
    assert leaks == {}


def test_logs_never_carry_an_address(client, world, caplog):
    public_surfaces(client, world)

    records = caplog.get_records("setup") + caplog.get_records("call")
    lines = [
        caplog.handler.format(record)
        for record in records
        if record.levelno >= logging.INFO
    ]
    assert any("Outbox email" in line for line in lines)  # planting was captured
    assert any("Not Found: /no-such-page/" in line for line in lines)  # and the sweep
    assert [line for line in lines if probe_hits(line, PROBES)] == []


def test_erased_people_leave_no_trace_and_the_sweep_still_passes(client, world):
    # One person of every role, and the address with non-ASCII capitals.
    erased = {person.role: person for person in world.people}
    erased["münchen"] = next(p for p in world.people if "MÜNCHEN" in p.address)
    rows = [
        row for row in PROBES if row["address"] in {p.address for p in erased.values()}
    ]
    assert probe_hits(database_dump(), rows)  # they were stored

    for n, person in enumerate(erased.values()):
        choice = CommentChoice.KEEP if n % 2 else CommentChoice.REMOVE
        erase(person.address, comments=choice, source=PersonalDataAction.Source.COMMAND)

    assert probe_hits(database_dump(), rows) == []
    surfaces = public_surfaces(client, world)
    assert hits_by_surface(surfaces) == {name: [] for name in surfaces}
