"""Promise 1 in the admin (issue 6): an address is masked on every admin page,
export and form; it is shown whole only on an inspect page, to a user with the
permission, after a "Reveal" that is logged (who, whose, when)."""

import hashlib
import io
import re
import zipfile
from urllib.parse import quote, urldefrag, urlsplit

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from moderation.comments import actions as comment_actions
from moderation.outbox import delivery
from moderation.outbox.models import OutboxEmail
from moderation.testimonials import actions as testimonial_actions
from moderation.testimonials.consent import ConsentRequest
from moderation.testimonials.models import Feedback, Testimonial
from tests import factories
from tests.corpora import email_probes, probe_hits

pytestmark = pytest.mark.django_db


PROBES = email_probes()
COMMENT_STATES = ["pending", "approved", "rejected", "spam", "unconfirmed", "deleted"]
EMAIL_PERMISSIONS = ["view_email_comment", "view_email_feedback"]
RECIPIENT_PERMISSION = "view_recipient_outboxemail"
COMMENTS = "/admin/moderation/comments"
FEEDBACK = "/admin/moderation/feedback"
TESTIMONIALS = "/admin/moderation/testimonials"


# People -------------------------------------------------------------------------


def make_user(django_user_model, username, permissions=None, group=None):
    user = django_user_model.objects.create_user(
        username, f"{username}@staff.invalid", "pw-123456-long"
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    if permissions is not None:
        own = Group.objects.create(name=f"Group of {username}")
        own.permissions.set(permissions)
        user.groups.add(own)
    return django_user_model.objects.get(pk=user.pk)  # no stale permission cache


def codenames(*names):
    return Permission.objects.filter(codename__in=["access_admin", *names])


def moderator(django_user_model):
    return make_user(django_user_model, "moderator", group="Comment moderators")


def editor_of_testimonials(django_user_model, *extra):
    return make_user(
        django_user_model,
        "editor",
        codenames(
            "view_feedback",
            "add_testimonial",
            "change_testimonial",
            "publish_testimonial",
            *extra,
        ),
    )


def everything_but(django_user_model, username, *excluded):
    """Every permission there is (pages and workflows too), bar ``excluded``."""
    return make_user(
        django_user_model, username, Permission.objects.exclude(codename__in=excluded)
    )


# What is stored ------------------------------------------------------------------


@pytest.fixture
def planted(admin_user):
    """Every probe address as a commenter, a feedback giver and a testimonial
    customer, in every state, with the emails and log entries that go with them."""
    article = factories.article(factories.blog_index(), "Sweep")
    comments, testimonials = [], []
    for number, row in enumerate(PROBES):
        state = COMMENT_STATES[number % len(COMMENT_STATES)]
        comment = factories.comment(
            article,
            f"Probe comment {number}",
            author_name=f"Commenter {number}",
            author_email=row["address"],
            status="pending" if state in ("approved", "deleted") else state,
            parent=comments[0] if number and number % 7 == 0 else None,
            notify_on_approval=True,
        )
        if state in ("approved", "deleted"):
            comment = comment_actions.approve(comment, admin_user)
            comment_actions.email_author(comment, admin_user, "Hello", "A word.")
        if state == "deleted":
            comment_actions.delete_by_author(comment)
        comments.append(comment)
        feedback = Feedback.objects.create(
            name=f"Customer {number}",
            email=row["address"],
            body=f"Probe feedback {number}",
        )
        testimonials.append(
            testimonial_actions.draft_from_feedback(feedback, admin_user)
        )
    # A moderator removes an answered comment: a placeholder stays.
    comment_actions.reply_as_site(comments[1], admin_user, "Thanks from the site.")
    comment_actions.delete(comments[1], admin_user)

    # Testimonials: not asked, awaiting, granted, declined, withdrawn, expired;
    # and one whose address an editor changed (a revision compare shows it).
    changed = Testimonial.objects.get(pk=testimonials[1].pk)
    changed.customer_email = PROBES[2]["address"]
    changed.save_revision(user=admin_user)
    for number, testimonial in enumerate(testimonials):
        kind = number % 6
        if kind == 0:
            continue
        testimonial.get_workflow().start(testimonial, admin_user)
        request = ConsentRequest.objects.get(testimonial=testimonial)
        if kind == 2:
            testimonial_actions.answer(request, granted=True)
        elif kind == 3:
            testimonial_actions.answer(request, granted=False)
        elif kind == 4:
            testimonial_actions.answer(request, granted=True)
            testimonial_actions.withdraw(request)
        elif kind == 5:
            testimonial_actions.expire(request)
    delivery.dispatch()
    return {"article": article, "comments": comments, "testimonials": testimonials}


# Walking the admin ---------------------------------------------------------------

ADMIN_PREFIXES = (
    "/admin/moderation/",
    "/admin/reports/",
    "/admin/workflows/",
    "/admin/snippets/",
    "/admin/bulk/",
    "/admin/pages/",
)
LINK = re.compile(r"""(?:href|data-w-action-url-value|data-url)=["']([^"']+)["']""")


def body(response):
    """The whole response as text; an XLSX export is unzipped, every part of it."""
    if response.streaming:
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
            )
    return content.decode("utf-8", "replace")


def seeds(planted):
    """Every kind of admin page that can show a commenter's, customer's or
    recipient's address, for objects in every state."""
    comments, testimonials = planted["comments"], planted["testimonials"]
    comment_ids = "&".join(f"id={c.pk}" for c in comments)
    testimonial_ids = "&".join(f"id={t.pk}" for t in testimonials)
    urls = [
        "/admin/",
        f"{COMMENTS}/",
        f"{COMMENTS}/?p=2",
        f"{COMMENTS}/results/",
        f"{COMMENTS}/?export=csv",
        f"{COMMENTS}/?export=xlsx",
        f"{COMMENTS}/?has_links=false&signed_in=false",
        f"{FEEDBACK}/",
        f"{FEEDBACK}/results/",
        f"{FEEDBACK}/?export=csv",
        f"{FEEDBACK}/?rating=5",
        f"{TESTIMONIALS}/",
        f"{TESTIMONIALS}/?p=2",
        f"{TESTIMONIALS}/results/",
        f"{TESTIMONIALS}/?export=csv",
        "/admin/moderation/outbox/",
        "/admin/moderation/outbox/?p=2",
        "/admin/moderation/outbox/?export=csv",
        "/admin/moderation/outbox/?status=sent",
        "/admin/reports/site-history/",
        "/admin/reports/site-history/?export=csv",
        "/admin/reports/site-history/?export=xlsx",
        "/admin/reports/workflow/",
        "/admin/reports/workflow/?export=csv",
        "/admin/reports/workflow_tasks/",
        "/admin/reports/workflow_tasks/?export=csv",
        "/admin/reports/locked/",
        "/admin/workflows/list/",
        "/admin/workflows/tasks/index/",
        "/admin/snippets/choose/moderation/testimonial/",
        "/admin/pages/search/?q=example",
    ]
    urls += [f"{COMMENTS}/?status={state}" for state in COMMENT_STATES]
    urls += [f"{TESTIMONIALS}/?permission={status}" for status in ConsentRequest.Status]
    for action in ["approve", "reject", "spam", "restore", "delete"]:
        urls.append(f"/admin/bulk/moderation/comment/{action}/?{comment_ids}")
    for action in ["delete", "publish", "unpublish"]:
        urls.append(f"/admin/bulk/moderation/testimonial/{action}/?{testimonial_ids}")
    for comment in comments[:7]:
        urls += [
            f"{COMMENTS}/inspect/{comment.pk}/",
            f"{COMMENTS}/history/{comment.pk}/",
            f"{COMMENTS}/usage/{comment.pk}/",
            f"{COMMENTS}/delete/{comment.pk}/",
        ]
    for feedback in Feedback.objects.all()[:3]:
        urls += [
            f"{FEEDBACK}/inspect/{feedback.pk}/",
            f"{FEEDBACK}/history/{feedback.pk}/",
        ]
    for testimonial in testimonials[:6]:
        pk = testimonial.pk
        urls += [
            f"{TESTIMONIALS}/inspect/{pk}/",
            f"{TESTIMONIALS}/edit/{pk}/",
            f"{TESTIMONIALS}/copy/{pk}/",
            f"{TESTIMONIALS}/history/{pk}/",
            f"{TESTIMONIALS}/usage/{pk}/",
            f"{TESTIMONIALS}/delete/{pk}/",
            f"{TESTIMONIALS}/unpublish/{pk}/",
            f"{TESTIMONIALS}/workflow_history/{pk}/",
            f"{TESTIMONIALS}/history/{pk}/revisions/compare/earliest...latest/",
        ]
        for revision in testimonial.revisions.all():
            urls.append(f"{TESTIMONIALS}/history/{pk}/revisions/{revision.pk}/revert/")
        for state in testimonial.workflow_states.all():
            urls.append(f"{TESTIMONIALS}/workflow_history/{pk}/detail/{state.pk}/")
    for email in OutboxEmail.objects.all()[:3]:
        urls += [
            f"/admin/moderation/outbox/inspect/{email.pk}/",
            f"/admin/moderation/outbox/history/{email.pk}/",
        ]
    return urls


def sweep(client, start, per_kind=2):
    """GET every URL of ``start`` and the admin links found on them (``per_kind``
    of each kind of page, so all screens are reached in a bounded walk).
    Returns {url: (status, probe hits)}."""
    pages, queue, kinds = {}, list(start), {}
    while queue:
        url = urldefrag(queue.pop(0))[0].replace("&amp;", "&")
        if url in pages:
            continue
        response = client.get(url)
        text = body(response)
        pages[url] = (response.status_code, probe_hits(text, PROBES))
        for link in LINK.findall(text):
            link = urldefrag(link)[0].replace("&amp;", "&")
            kind = re.sub(r"\d+", "N", urlsplit(link).path)
            if link.startswith(ADMIN_PREFIXES) and kinds.get(kind, 0) < per_kind:
                kinds[kind] = kinds.get(kind, 0) + 1
                queue.append(link)
    return pages


def hits_by_url(pages):
    return {url: [(hit[0], hit[1]) for hit in hits] for url, (_, hits) in pages.items()}


# Without the permission: never ----------------------------------------------------


def test_no_admin_page_shows_an_address_without_the_permission(
    client, django_user_model, planted
):
    users = {
        "Moderators group": moderator(django_user_model),
        "testimonial editor": editor_of_testimonials(django_user_model),
        "all but the email permissions": everything_but(
            django_user_model, "almost", *EMAIL_PERMISSIONS, RECIPIENT_PERMISSION
        ),
    }
    start = seeds(planted)
    found = {}
    for who, user in users.items():
        client.force_login(user)
        pages = sweep(client, start)
        assert [url for url, (status, _) in pages.items() if status >= 500] == []
        found.update(
            {f"{who}: {url}": hits for url, hits in hits_by_url(pages).items()}
        )

    assert found == {page: [] for page in found}
    # The walk was not a walk past closed doors: the broadest user saw it all.
    shown = [
        f"{COMMENTS}/?export=xlsx",
        f"{COMMENTS}/inspect/{planted['comments'][0].pk}/",
        f"{FEEDBACK}/",
        f"{TESTIMONIALS}/edit/{planted['testimonials'][1].pk}/",
        f"{TESTIMONIALS}/history/{planted['testimonials'][1].pk}"
        "/revisions/compare/earliest...latest/",
        "/admin/moderation/outbox/",
        "/admin/reports/site-history/?export=csv",
    ]
    assert {url: pages[url][0] for url in shown} == {url: 200 for url in shown}
    assert len(found) > 300


def test_searching_by_address_finds_nothing_without_the_permission(
    client, django_user_model, planted
):
    client.force_login(
        everything_but(
            django_user_model, "almost", *EMAIL_PERMISSIONS, RECIPIENT_PERMISSION
        )
    )
    searches = {}
    for number in (0, 3, 7, 19, 21):  # plain, apostrophe, quoted, IDN, Cyrillic
        probe = PROBES[number]
        others = [row for row in PROBES if row is not probe]
        q = quote(probe["address"])
        for url in [
            f"{COMMENTS}/?q={q}",
            f"{FEEDBACK}/?q={q}",
            f"{TESTIMONIALS}/?q={q}",
            f"{COMMENTS}/?q={q}&export=csv",
            "/admin/moderation/outbox/?q=" + q,
            "/admin/snippets/choose/moderation/testimonial/?q=" + q,
            "/admin/snippets/choose/moderation/testimonial/results/?q=" + q,
            "/admin/pages/search/?q=" + q,
        ]:
            text = body(client.get(url))
            # The query itself is in the page (the search box): the results are not.
            found = [
                f"{kind} {number}"
                for kind in ("Probe comment", "Probe feedback")
                if re.search(rf"{kind} {number}\b", text)
            ]
            searches[url] = found + probe_hits(text, others)

    assert searches == {url: [] for url in searches}


# With the permission: masked until "Reveal" -------------------------------------


def test_with_the_permission_only_a_revealed_inspect_page_shows_an_address(
    client, django_user_model, planted
):
    user = everything_but(django_user_model, "trusted", RECIPIENT_PERMISSION)
    client.force_login(user)
    start = seeds(planted)

    before = hits_by_url(sweep(client, start))
    assert before == {url: [] for url in before}

    comment, testimonial = planted["comments"][0], planted["testimonials"][3]
    feedback = testimonial.feedback
    for kind, pk in [("comments", comment), ("feedback", feedback)]:
        client.post(f"/admin/moderation/{kind}/reveal/{pk.pk}/")
    client.post(f"{TESTIMONIALS}/reveal/{testimonial.pk}/")

    revealed = {
        f"{COMMENTS}/inspect/{comment.pk}/": [comment.author_email],
        f"{FEEDBACK}/inspect/{feedback.pk}/": [feedback.email],
        f"{TESTIMONIALS}/inspect/{testimonial.pk}/": [testimonial.customer_email],
    }
    after = hits_by_url(sweep(client, [*start, *revealed]))
    assert {
        url: sorted({hit[0] for hit in hits}) for url, hits in after.items() if hits
    } == revealed


REVEALS = {
    # kind: (inspect URL prefix, permission, log action)
    "comment": (COMMENTS, "view_email_comment", "moderation.comment.reveal_email"),
    "feedback": (FEEDBACK, "view_email_feedback", "moderation.feedback.reveal_email"),
    "testimonial": (
        TESTIMONIALS,
        "view_email_feedback",
        "moderation.testimonial.reveal_email",
    ),
}
READ_PERMISSIONS = ["moderate_comment", "view_feedback", "change_testimonial"]


def one_of(kind, address):
    if kind == "comment":
        article = factories.article(factories.blog_index(), "Reveal")
        return factories.comment(article, "Reveal me", author_email=address)
    feedback = Feedback.objects.create(name="Ada", email=address, body="Lovely.")
    if kind == "feedback":
        return feedback
    return Testimonial.objects.create(
        quote="Lovely.", customer_name="Ada", customer_email=address, feedback=feedback
    )


@pytest.mark.parametrize("kind", REVEALS)
def test_reveal_shows_the_address_and_logs_who_whose_and_when(
    client, django_user_model, kind
):
    prefix, permission, action = REVEALS[kind]
    address = PROBES[0]["address"]
    obj = one_of(kind, address)
    user = make_user(
        django_user_model, "trusted", codenames(*READ_PERMISSIONS, permission)
    )
    client.force_login(user)
    inspect = f"{prefix}/inspect/{obj.pk}/"

    masked = client.get(inspect).content.decode()
    assert probe_hits(masked, PROBES) == [] and "Reveal email address" in masked
    assert client.get(f"{prefix}/reveal/{obj.pk}/").status_code == 405  # POST only
    started = timezone.now()
    response = client.post(f"{prefix}/reveal/{obj.pk}/")
    shown = client.get(inspect).content.decode()

    assert response.status_code == 302 and response.url == inspect
    assert address in shown and "Reveal email address" not in shown
    entry = ModelLogEntry.objects.get(action=action)
    assert (entry.user, entry.content_type.model_class(), entry.object_id) == (
        user,
        type(obj),
        str(obj.pk),
    )
    assert started <= entry.timestamp <= timezone.now()
    # The record says who saw whose address, never the address itself.
    report = client.get("/admin/reports/site-history/?export=csv")
    assert "Reveal email" in body(report)
    assert probe_hits(f"{entry.label} {entry.data} {entry.message}", PROBES) == []
    assert probe_hits(body(report), PROBES) == []
    history = client.get(f"{prefix}/history/{obj.pk}/").content.decode()
    assert "address shown" in history and probe_hits(history, PROBES) == []

    # Taking the permission away hides it again, whatever the session remembers.
    user.groups.first().permissions.remove(Permission.objects.get(codename=permission))
    client.force_login(django_user_model.objects.get(pk=user.pk))
    assert address not in client.get(inspect).content.decode()


@pytest.mark.parametrize("kind", REVEALS)
def test_reveal_is_refused_without_the_permission(client, django_user_model, kind):
    prefix, _permission, action = REVEALS[kind]
    address = PROBES[0]["address"]
    obj = one_of(kind, address)
    client.force_login(
        make_user(django_user_model, "reader", codenames(*READ_PERMISSIONS))
    )
    inspect = f"{prefix}/inspect/{obj.pk}/"

    assert "Reveal email address" not in client.get(inspect).content.decode()
    refused = client.post(f"{prefix}/reveal/{obj.pk}/", follow=True)

    assert refused.redirect_chain[0] == ("/admin/", 302)
    assert probe_hits(refused.content.decode(), PROBES) == []
    assert address not in client.get(inspect).content.decode()
    assert not ModelLogEntry.objects.filter(action=action).exists()


def test_the_email_permission_alone_does_not_open_the_records(
    client, django_user_model
):
    comment = one_of("comment", PROBES[0]["address"])
    client.force_login(
        make_user(django_user_model, "nosy", codenames("view_email_comment"))
    )

    refused = client.post(f"{COMMENTS}/reveal/{comment.pk}/")

    assert (refused.status_code, refused.url) == (302, "/admin/")
    assert not ModelLogEntry.objects.filter(action__endswith="reveal_email").exists()


def test_listings_search_by_address_only_with_the_permission(client, django_user_model):
    address = PROBES[0]["address"]
    for kind in ("comment", "testimonial"):  # the testimonial brings its feedback
        one_of(kind, address)
    user = make_user(django_user_model, "reader", codenames(*READ_PERMISSIONS))
    client.force_login(user)
    q = quote(address)
    listings = [
        f"{COMMENTS}/?status=all&q={q}",
        f"{FEEDBACK}/?q={q}",
        f"{TESTIMONIALS}/?q={q}",
    ]

    assert [
        url
        for url in listings
        if re.search(r"Reveal me|Lovely", client.get(url).content.decode())
    ] == []

    user.groups.first().permissions.add(*codenames(*EMAIL_PERMISSIONS))
    client.force_login(django_user_model.objects.get(pk=user.pk))
    found = {url: client.get(url).content.decode() for url in listings}
    assert all(re.search(r"Reveal me|Lovely", text) for text in found.values())
    others = [row for row in PROBES if row["address"] != address]
    assert {url: probe_hits(text, others) for url, text in found.items()} == {
        url: [] for url in found
    }


# The testimonial form: write-only --------------------------------------------------


def edit_data(testimonial, **changes):
    return {
        "quote": testimonial.quote,
        "customer_name": testimonial.customer_name,
        "attribution_style": testimonial.attribution_style,
        "customer_email": "",
        "product": testimonial.product,
        "feedback": testimonial.feedback_id or "",
        **changes,
    }


def test_editor_without_the_permission_drafts_edits_and_asks_permission(
    client, django_user_model
):
    address = PROBES[3]["address"]  # bob.o'reilly@example.org
    feedback = Feedback.objects.create(
        name="Bob O'Reilly", email=address, body="The best knives I have owned."
    )
    client.force_login(editor_of_testimonials(django_user_model))

    drafted = client.post(f"{FEEDBACK}/draft/{feedback.pk}/")
    testimonial = Testimonial.objects.get()
    edit = client.get(drafted.url).content.decode()
    assert probe_hits(edit, PROBES) == []
    assert "b•••@e•••.org" in edit and "Leave empty to keep it" in edit

    # The editor trims the quote and leaves the address alone, then submits.
    saved = client.post(
        drafted.url,
        edit_data(testimonial, quote="The best knives.", **{"action-submit": "1"}),
    )
    assert saved.status_code == 302
    testimonial = Testimonial.objects.get()
    latest = testimonial.latest_revision.as_object()
    assert (latest.quote, latest.customer_email) == ("The best knives.", address)

    request = ConsentRequest.objects.get(testimonial=testimonial)
    assert request.quote == "The best knives."
    delivery.dispatch()
    assert [message.to for message in mail.outbox if address in message.to] == [
        [address]
    ]
    for page in [
        f"{TESTIMONIALS}/edit/{testimonial.pk}/",
        f"{TESTIMONIALS}/inspect/{testimonial.pk}/",
        f"{TESTIMONIALS}/history/{testimonial.pk}/",
        f"{TESTIMONIALS}/workflow_history/{testimonial.pk}/",
        f"{TESTIMONIALS}/history/{testimonial.pk}/revisions/compare/earliest...latest/",
    ]:
        assert probe_hits(client.get(page).content.decode(), PROBES) == [], page


def test_a_typed_address_replaces_the_stored_one_and_compares_masked(
    client, django_user_model
):
    old, new = PROBES[0]["address"], PROBES[1]["address"]
    testimonial = one_of("testimonial", old)
    testimonial.save_revision()
    client.force_login(editor_of_testimonials(django_user_model))
    edit = f"{TESTIMONIALS}/edit/{testimonial.pk}/"

    client.post(edit, edit_data(testimonial, customer_email=new))

    assert Testimonial.objects.get().latest_revision.as_object().customer_email == new
    compare = client.get(
        f"{TESTIMONIALS}/history/{testimonial.pk}/revisions/compare/earliest...latest/"
    ).content.decode()
    assert "Customer&#x27;s email" in compare and "A•••@E•••.COM" in compare
    assert probe_hits(compare, PROBES) == []


def test_a_testimonial_written_by_hand_needs_an_address_to_ask_permission(
    client, django_user_model
):
    client.force_login(editor_of_testimonials(django_user_model))
    data = {
        "quote": "Sharp.",
        "customer_name": "Ada",
        "attribution_style": "initial",
        "customer_email": "",
        "product": "",
        "feedback": "",
        "action-submit": "1",
    }

    refused = client.post(f"{TESTIMONIALS}/add/", data)
    client.post(f"{TESTIMONIALS}/add/", {**data, "customer_email": "ada@example.com"})

    assert refused.status_code == 200 and "This field is required" in (
        refused.content.decode()
    )
    assert list(Testimonial.objects.values_list("customer_email", flat=True)) == [
        "ada@example.com"
    ]
    assert ConsentRequest.objects.count() == 1


def test_the_admin_asks_no_third_party_for_staff_pictures(client, django_user_model):
    moderator = make_user(django_user_model, "maya", group="Comment moderators")
    moderator.email = "Maya.Staff@example.com"
    moderator.save()
    client.force_login(moderator)
    address_hash = hashlib.md5(b"maya.staff@example.com").hexdigest()

    for url in ["/admin/", COMMENTS + "/", "/admin/account/"]:
        html = client.get(url).content.decode()

        assert "gravatar" not in html.lower() and address_hash not in html
