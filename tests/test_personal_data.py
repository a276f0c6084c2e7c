"""Every person can get and erase their data (issue 6): export, erasure, the
public "Your data" page, the admin screen, the commands and retention."""

import datetime
import io
import json
import re
import secrets
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.admin.utils import get_user_display_name
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Site

from moderation import tasks
from moderation.comments import actions as comment_actions
from moderation.comments.models import Comment, VerifiedEmail
from moderation.outbox import delivery
from moderation.outbox.models import OutboxEmail
from moderation.personal_data import retention
from moderation.personal_data.models import PersonalDataAction
from moderation.personal_data.records import CommentChoice, erase, export
from moderation.sealing import seal
from moderation.settings import ModerationSettings
from moderation.testimonials import actions as testimonial_actions
from moderation.testimonials.consent import ConsentRecord, ConsentRequest
from moderation.testimonials.models import Feedback, Testimonial
from tests import factories
from tests.corpora import database_dump, email_probes, probe_hits

pytestmark = pytest.mark.django_db
PROBES = email_probes()
TARGET = PROBES[0]  # Alice.Smith+comments@example.com
OTHERS = [row for row in PROBES if row["lower"] != TARGET["lower"]]
COMMAND = PersonalDataAction.Source.COMMAND


@pytest.fixture
def article():
    return factories.article(factories.blog_index(), "Privacy matters")


def person(article, admin, address, name, *, published=True):
    """Someone who commented (in several states), sent feedback, got replies and
    agreed to a testimonial: every kind of record that holds an address."""
    first = factories.comment(
        article,
        f"{name} says hello; write to me at {address}",
        author_name=name,
        author_email=address,
        notify_on_reply=True,
    )
    factories.comment(
        article,
        f"{name} waits",
        author_name=name,
        author_email=address,
        status="pending",
    )
    factories.comment(
        article, f"{name} spams", author_name=name, author_email=address, status="spam"
    )
    VerifiedEmail.objects.get_or_create(email=address.lower())
    reply = factories.comment(
        article, f"A reply to {name}", status="pending", parent=first
    )
    comment_actions.approve(reply)  # sends the reply notice to ``address``
    feedback = Feedback.objects.create(
        name=name, email=address, body=f"{name} loves the knives."
    )
    testimonial = testimonial_actions.draft_from_feedback(feedback, admin)
    if published:
        testimonial.get_workflow().start(testimonial, admin)
        request = testimonial.consent_requests.get()
        testimonial_actions.answer(request, granted=True)
    delivery.dispatch()
    return first


def test_export_holds_every_record_of_the_address_and_nothing_of_anyone_else(
    article, admin_user
):
    for n, row in enumerate(PROBES[:5]):
        person(article, admin_user, row["address"], f"Person {n}")

    document = export(TARGET["address"].upper(), source=COMMAND)  # case ignored
    text = json.dumps(document, default=str)

    assert [c["text"] for c in document["comments"]] == [
        f"Person 0 says hello; write to me at {TARGET['address']}",
        "Person 0 waits",
        "Person 0 spams",
    ]
    assert [f["feedback"] for f in document["feedback"]] == [
        "Person 0 loves the knives."
    ]
    (testimonial,) = document["testimonials"]
    assert testimonial["published"] and testimonial["answers"][0]["answer"] == "Yes"
    assert len(document["email_confirmed_at"]) == 1
    assert [s["tell_me_about_replies"] for s in document["subscriptions"]] == [True]
    subjects = {e["subject"] for e in document["emails_sent_to_you"]}
    assert len(subjects) >= 3  # reply notice, permission request, confirmation
    assert probe_hits(text, OTHERS) == []
    assert "A reply to Person 0" not in text  # someone else's words


def test_erase_leaves_no_trace_of_the_address_anywhere(client, article, admin_user):
    kept = person(article, admin_user, TARGET["address"], "Alice Smith")
    other = person(article, admin_user, PROBES[4]["address"], "Bob Jones")
    testimonial = Testimonial.objects.get(customer_name="Alice Smith")
    assert probe_hits(database_dump(), [TARGET])  # it was there

    action = erase(TARGET["address"], comments=CommentChoice.KEEP, source=COMMAND)

    assert probe_hits(database_dump(), [TARGET]) == []
    assert probe_hits(database_dump(), [PROBES[4]])  # nobody else was touched
    other.refresh_from_db()
    assert other.author_email == PROBES[4]["address"]
    # Comments kept, signed "Deleted user", the typed address masked.
    kept.refresh_from_db()
    assert kept.author_name == "Deleted user" and kept.status == "approved"
    assert kept.body.startswith("Alice Smith says hello") and "•••" in kept.body
    page = client.get(article.url).content.decode()
    assert "Deleted user" in page and "Bob Jones" in page
    # The testimonial is down; the evidence keeps hash, date, answer and method
    # only, and shows that the consent ended with the erasure.
    testimonial.refresh_from_db()
    assert not testimonial.live and testimonial.quote == ""
    records = ConsentRecord.objects.filter(testimonial=testimonial)
    assert [(r.answer, len(r.content_hash), r.quote, r.method) for r in records] == [
        ("granted", 64, "", "email link"),
        ("withdrawn", 64, "", "erasure of the customer's data"),
    ]
    assert not Feedback.objects.filter(name="Alice Smith").exists()
    # Recorded, without the address.
    assert action.summary["comments"] == 3 and action.summary["feedback"] == 1
    entry = ModelLogEntry.objects.get(action="moderation.personal_data.erase")
    assert probe_hits(f"{entry.label} {entry.data} {entry.message}", [TARGET]) == []


def test_erase_cancels_a_permission_request_still_awaiting_an_answer(
    client, article, admin_user
):
    person(article, admin_user, TARGET["address"], "Alice Smith", published=False)
    testimonial = Testimonial.objects.get()
    testimonial.get_workflow().start(testimonial, admin_user)
    delivery.dispatch()
    (request_email,) = [
        m for m in mail.outbox if m.subject == "May we publish your words?"
    ]
    answer_url = re.search(
        r"https?://[^/\s]+(/comments/permission/[^\s\"<]+)", request_email.body
    )[1]

    erase(TARGET["address"], comments=CommentChoice.REMOVE, source=COMMAND)

    testimonial.refresh_from_db()
    assert testimonial.current_workflow_state is None and not testimonial.live
    assert testimonial.consent_requests.get().status == "withdrawn"
    page = client.get(answer_url)
    assert page.status_code < 500 and "Alice" not in page.content.decode()
    assert probe_hits(database_dump(), [TARGET]) == []


def test_erasure_takes_testimonials_down_in_their_history_and_tells_the_editors(
    client, article, admin_user
):
    person(article, admin_user, TARGET["address"], "Alice Smith")
    live = Testimonial.objects.get(live=True)
    asked = testimonial_actions.draft_from_feedback(
        Feedback.objects.create(
            name="Alice Smith", email=TARGET["address"], body="Sharp knives."
        ),
        admin_user,
    )
    asked.get_workflow().start(asked, admin_user)
    delivery.dispatch()
    mail.outbox.clear()

    erase(TARGET["address"], comments=CommentChoice.KEEP, source=COMMAND)

    delivery.dispatch()
    client.force_login(admin_user)
    history = {
        testimonial: client.get(
            f"/admin/moderation/testimonials/history/{testimonial.pk}/"
        ).content.decode()
        for testimonial in (live, asked)
    }
    taken_down = (
        "Taken down and emptied: the customer asked for their data to be erased"
    )
    assert all(taken_down in page for page in history.values())
    assert "Cancelled &#x27;Testimonial permission&#x27;" in history[asked]
    assert asked.consent_requests.get().status == "withdrawn"
    notices = [m for m in mail.outbox if "to be erased" in m.subject]
    assert [m.to for m in notices] == [["admin@example.com"]] * 2
    assert {f"#{live.pk}", f"#{asked.pk}"} == {
        re.search(r"#\d+", m.body)[0] for m in notices
    }
    assert "It was published" in notices[0].body + notices[1].body
    written = [
        f"{e.label} {e.data} {e.message}"
        for e in ModelLogEntry.objects.filter(content_type__model="testimonial")
    ]
    written += [m.body + m.alternatives[0][0] for m in notices]
    written += history.values()
    assert probe_hits("\n".join(written), [TARGET]) == []
    assert "Alice" not in "\n".join(m.body for m in notices)


def test_erasing_an_account_named_by_its_address_renames_it(article):
    address = TARGET["address"]  # Alice.Smith+comments@example.com
    local_part = TARGET["lower"].rpartition("@")[0]
    User = get_user_model()
    account = User.objects.create_user(username=address, email=address, password="x")
    # Its email changed since, but it is still named by the address.
    renamed = User.objects.create_user(username=TARGET["lower"], email="x@example.org")
    log(instance=account, action="wagtail.create")  # as the admin's Users screens do
    factories.comment(article, "Signed in", author_email=address, user=account)
    assert local_part in database_dump().lower()

    erase(address.upper(), comments=CommentChoice.KEEP, source=COMMAND)

    account.refresh_from_db()
    renamed.refresh_from_db()
    assert account.username == f"erased-user-{account.pk}" and account.email == ""
    assert get_user_display_name(account) == f"erased-user-{account.pk}"
    assert (renamed.username, renamed.email) == (
        f"erased-user-{renamed.pk}",
        "x@example.org",
    )
    assert account.check_password("x")  # the account still works, under its new name
    dump = database_dump()
    assert probe_hits(dump, [TARGET]) == []
    assert local_part not in dump.lower()


def test_erase_can_remove_comments_keeping_others_replies_in_place(client, article):
    mine = factories.comment(article, "Mine, answered", author_email="me@example.com")
    lonely = factories.comment(article, "Mine, alone", author_email="ME@example.com")
    reply = factories.comment(article, "Someone answers", parent=mine)

    erase("me@example.com", comments=CommentChoice.REMOVE, source=COMMAND)

    mine.refresh_from_db()
    assert (mine.status, mine.body, mine.author_email) == ("deleted", "", "")
    assert not Comment.objects.filter(pk=lonely.pk).exists()
    page = client.get(article.url).content.decode()
    assert "Someone answers" in page and "Mine, alone" not in page
    assert Comment.objects.get(pk=reply.pk).parent_id == mine.pk


# The public "Your data" page ---------------------------------------------------


def ask(client, email, remote_addr="192.0.2.10"):
    response = client.post("/your-data/", {"email": email}, REMOTE_ADDR=remote_addr)
    page = client.get(response.url) if response.status_code == 302 else response
    return response, page.content.decode()


def emailed_link(address):
    delivery.dispatch()
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message, re.search(r"https?://[^/\s]+(/your-data/[^\s\"<]+)", message.body)[
        1
    ]


def test_asking_for_a_known_or_unknown_address_looks_the_same(client, article):
    factories.comment(article, "A private remark", author_email="known@example.com")

    known, known_page = ask(client, "known@example.com")
    unknown, unknown_page = ask(client, "nobody@example.com")

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert known_page == unknown_page and "Check your inbox" in known_page
    first, _ = emailed_link("known@example.com")
    second, _ = emailed_link("nobody@example.com")
    assert first.body.split("/your-data/")[0] == second.body.split("/your-data/")[0]
    assert first.subject == second.subject
    # No user text in the email, and the address is not readable in the link.
    assert "known@example.com" not in first.body
    assert "private remark" not in first.body  # spaces: never part of the link


def test_the_emailed_link_gives_the_data_once(client, article):
    factories.comment(article, "My words", author_email="me@example.com")
    ask(client, "me@example.com")
    _, url = emailed_link("me@example.com")

    page = client.get(url).content.decode()
    assert "1 comment" in page and "Erase my data" in page
    download = client.post(url, {"action": "export"})
    assert download["Content-Disposition"] == 'attachment; filename="your-data.json"'
    assert json.loads(download.content)["comments"][0]["text"] == "My words"

    again = client.post(url, {"action": "export"})
    assert (
        again.status_code == 410 and "This link has been used" in again.content.decode()
    )
    assert client.get(url).status_code == 410


def test_the_emailed_link_erases_after_a_clear_choice(client, article):
    factories.comment(article, "My words", author_email="me@example.com")
    ask(client, "me@example.com")
    _, url = emailed_link("me@example.com")

    unsure = client.post(url, {"action": "erase", "comments": "keep"})
    assert "Tick this box" in unsure.content.decode()
    assert Comment.objects.filter(author_email="me@example.com").exists()

    done = client.post(url, {"action": "erase", "comments": "keep", "confirm": "on"})
    assert "Your data is erased" in done.content.decode()
    assert not Comment.objects.filter(author_email="me@example.com").exists()
    assert PersonalDataAction.objects.get().source == "self"
    assert client.get(url).status_code == 410


def test_expired_or_forged_links_say_so_and_change_nothing(client, article):
    factories.comment(article, "My words", author_email="me@example.com")
    old = seal(
        {"email": "me@example.com", "at": int(time.time()) - 25 * 3600, "nonce": "x"},
        purpose="personal-data",
    )
    outbox_token = seal({"email": "me@example.com", "at": int(time.time())})

    expired = client.post(f"/your-data/{old}/", {"action": "export"})
    forged = client.get(f"/your-data/{outbox_token}/")  # sealed for another purpose

    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert forged.status_code == 404 and "not valid" in forged.content.decode()
    assert not PersonalDataAction.objects.exists()


def test_asking_too_often_gets_429_with_a_retry_time(client):
    answers = [ask(client, f"n{n}@example.com")[0].status_code for n in range(6)]

    assert answers == [302] * 5 + [429]
    over = client.post(
        "/your-data/", {"email": "x@example.com"}, REMOTE_ADDR="192.0.2.10"
    )
    assert int(over["Retry-After"]) > 0


def test_bad_address_gets_the_form_again_and_sends_nothing(client):
    response = client.post("/your-data/", {"email": "not an address"})

    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert not OutboxEmail.objects.exists()


# The admin screen ---------------------------------------------------------------


def test_an_editor_with_the_permission_exports_and_erases_from_the_admin(
    client, article, admin_user
):
    factories.comment(article, "Old words", author_email="me@example.com")
    client.force_login(admin_user)

    found = client.post(
        "/admin/moderation/personal-data/find/", {"email": "ME@example.com"}
    )
    assert "1 comment" in found.content.decode()
    download = client.post(
        "/admin/moderation/personal-data/find/",
        {"email": "me@example.com", "action": "export"},
    )
    assert json.loads(download.content)["comments"][0]["text"] == "Old words"
    erased = client.post(
        "/admin/moderation/personal-data/find/",
        {
            "email": "me@example.com",
            "action": "erase",
            "comments": "remove",
            "confirm": "on",
        },
        follow=True,
    )

    assert "Erased 1 record." in erased.content.decode()
    assert not Comment.objects.exists()
    listing = erased.content.decode()
    assert (
        "Erasure" in listing and "Export" in listing and "me@example.com" not in listing
    )
    assert list(
        ModelLogEntry.objects.filter(action__startswith="moderation.personal_data")
        .order_by("pk")
        .values_list("action", "user")
    ) == [
        ("moderation.personal_data.export", admin_user.pk),
        ("moderation.personal_data.erase", admin_user.pk),
    ]


def test_a_moderator_without_the_permission_cannot_find_export_or_erase(
    client, article, django_user_model
):
    factories.comment(article, "Old words", author_email="me@example.com")
    moderator = django_user_model.objects.create_user("mo", password="x")
    moderator.groups.add(Group.objects.get(name="Comment moderators"))
    client.force_login(moderator)

    listing = client.get("/admin/moderation/personal-data/")
    erase_attempt = client.post(
        "/admin/moderation/personal-data/find/",
        {
            "email": "me@example.com",
            "action": "erase",
            "comments": "remove",
            "confirm": "on",
        },
    )

    assert listing.status_code == erase_attempt.status_code == 302
    assert Comment.objects.filter(author_email="me@example.com").exists()
    assert "Personal data" not in client.get("/admin/").content.decode()


# Commands -----------------------------------------------------------------------


def test_export_command_prints_json_and_a_progress_bar(article):
    for n in range(250):
        factories.comment(article, f"Comment {n}", author_email="busy@example.com")
    out, err = io.StringIO(), io.StringIO()

    call_command("personal_data", "export", "busy@example.com", stdout=out, stderr=err)

    assert len(json.loads(out.getvalue())["comments"]) == 250
    assert "[##############################] 250/250 records" in err.getvalue()


def test_erase_command_needs_a_choice_for_comments_and_a_real_address(article):
    factories.comment(article, "Hello", author_email="me@example.com")

    with pytest.raises(CommandError, match="--comments=keep"):
        call_command("personal_data", "erase", "me@example.com")
    with pytest.raises(CommandError, match="is not an email address"):
        call_command("personal_data", "erase", "me", "--comments=keep")
    assert Comment.objects.filter(author_email="me@example.com").exists()

    out = io.StringIO()
    call_command(
        "personal_data", "erase", "me@example.com", "--comments=keep", stdout=out
    )
    assert "Erased: 1 comments" in out.getvalue()
    assert not Comment.objects.filter(author_email="me@example.com").exists()


# Retention ----------------------------------------------------------------------


def test_retention_forgets_exactly_what_is_due(article):
    now = timezone.now()

    def ago(days):
        return now - datetime.timedelta(days=days)

    old = factories.comment(
        article, "Long ago", author_email="old@example.com", created_at=ago(400)
    )
    edited = factories.comment(
        article,
        "Long ago, edited lately",
        author_email="edited@example.com",
        created_at=ago(400),
        edited_at=ago(10),
    )
    # One address, two comments: the recent one keeps both addressed.
    factories.comment(
        article, "Old", author_email="both@example.com", created_at=ago(400)
    )
    factories.comment(
        article, "New", author_email="BOTH@example.com", created_at=ago(5)
    )
    old_spam = factories.comment(article, "Spam", status="spam", created_at=ago(31))
    new_spam = factories.comment(article, "Spam", status="spam", created_at=ago(29))
    never = factories.comment(article, "?", status="unconfirmed", created_at=ago(31))
    VerifiedEmail.objects.create(email="old@example.com")

    preview = retention.apply(now, dry_run=True)
    assert Comment.objects.get(pk=old.pk).author_email == "old@example.com"
    summary = retention.apply(now)

    assert (
        preview
        == summary
        == {
            "commenters_forgotten": 1,
            "comments_anonymised": 1,
            "emails_forgotten": 0,
            "networks_forgotten": 0,
            "customers_forgotten": 0,
            "comments_purged": 2,
            "feedback_deleted": 0,
        }
    )
    old.refresh_from_db()
    assert old.author_email == "" and old.body == "Long ago"  # the words stay
    assert Comment.objects.get(pk=edited.pk).author_email == "edited@example.com"
    assert Comment.objects.filter(author_email__iexact="both@example.com").count() == 2
    assert not Comment.objects.filter(pk__in=[old_spam.pk, never.pk]).exists()
    assert Comment.objects.filter(pk=new_spam.pk).exists()
    assert not VerifiedEmail.objects.exists()
    assert retention.apply(now)["comments_anonymised"] == 0


def test_retention_follows_the_site_settings_and_0_means_never(article):
    now = timezone.now()
    factories.comment(
        article,
        "Old",
        author_email="old@example.com",
        created_at=now - datetime.timedelta(days=100),
    )
    policy = ModerationSettings.for_site(Site.objects.get(is_default_site=True))
    policy.anonymise_commenters_after_days = 0
    policy.save()
    assert retention.apply(now)["comments_anonymised"] == 0

    policy.anonymise_commenters_after_days = 90
    policy.save()
    assert retention.apply(now)["comments_anonymised"] == 1


def test_retention_command_dry_run_prints_a_summary_and_changes_nothing(article):
    factories.comment(
        article,
        "Spam",
        status="spam",
        created_at=timezone.now() - datetime.timedelta(days=60),
    )
    out = io.StringIO()

    call_command("apply_retention", "--dry-run", stdout=out)

    assert "Would change (dry run):" in out.getvalue()
    assert "1  unconfirmed or spam comments deleted" in out.getvalue()
    assert Comment.objects.count() == 1


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def reload(record):
    return type(record).objects.filter(pk=record.pk).first()


NETWORK = "203.0.113.0/24"


def answered(days):
    """A customer's answer, its request and its testimonial, all ``days`` old."""
    when = days_ago(days)
    testimonial = Testimonial.objects.create(
        quote="Sharp.",
        customer_name="Cy Customer",
        customer_email=f"cy{days}@example.com",
        created_at=when,
    )
    request = ConsentRequest.objects.create(
        testimonial=testimonial,
        quote="Sharp.",
        customer_name="Cy Customer",
        attribution_style="full",
        token_hash=secrets.token_hex(32),
        status="declined",
        created_at=when,
        answered_at=when,
    )
    return ConsentRecord.objects.create(
        testimonial=testimonial,
        consent_request=request,
        quote="Sharp.",
        attribution="Cy Customer",
        content_hash="0" * 64,
        answer="declined",
        answered_at=when,
        method="email link",
        ip_network=NETWORK,
    )


# Each kind: its setting and default, the dry run's line, how to make a record
# that is ``days`` old, and whether that record has been forgotten.
RETENTION = {
    "commenter's address": (
        "anonymise_commenters_after_days",
        365,
        "commenters' addresses forgotten",
        lambda article, days: factories.comment(
            article, author_email=f"c{days}@example.com", created_at=days_ago(days)
        ),
        lambda comment: reload(comment).author_email == "",
    ),
    "email's recipients": (
        "forget_recipients_after_days",
        90,
        "old emails' recipients forgotten",
        lambda article, days: OutboxEmail.objects.create(
            message_id=f"<{days}@test>",
            subject="Hello",
            recipients=["r@example.com"],
            status="sent",
            created_at=days_ago(days),
        ),
        lambda email: reload(email).recipients == ["erased"],
    ),
    "spam comment": (
        "purge_unconfirmed_after_days",
        30,
        "unconfirmed or spam comments deleted",
        lambda article, days: factories.comment(
            article, status="spam", created_at=days_ago(days)
        ),
        lambda comment: reload(comment) is None,
    ),
    "comment's network": (
        "forget_networks_after_days",
        90,
        "senders' networks forgotten",
        lambda article, days: factories.comment(
            article, ip_network=NETWORK, created_at=days_ago(days)
        ),
        lambda comment: reload(comment).ip_network == "",
    ),
    "feedback's network": (
        "forget_networks_after_days",
        90,
        "senders' networks forgotten",
        lambda article, days: Feedback.objects.create(
            name="Fay",
            email="fay@example.com",
            body="Good.",
            ip_network=NETWORK,
            created_at=days_ago(days),
        ),
        lambda feedback: reload(feedback).ip_network == "",
    ),
    "consent answer's network": (
        "forget_networks_after_days",
        90,
        "senders' networks forgotten",
        lambda article, days: answered(days),
        lambda record: reload(record).ip_network == "",
    ),
    "feedback": (
        "delete_feedback_after_days",
        730,
        "feedback deleted",
        lambda article, days: Feedback.objects.create(
            name="Fay", email="fay@example.com", body="Good.", created_at=days_ago(days)
        ),
        lambda feedback: reload(feedback) is None,
    ),
    "customer's address": (
        "forget_customers_after_days",
        365,
        "testimonial customers' addresses forgotten",
        lambda article, days: answered(days).testimonial,
        lambda testimonial: reload(testimonial).customer_email == "",
    ),
}


@pytest.mark.parametrize("kind", RETENTION)
def test_each_kind_of_personal_data_goes_at_its_period_and_not_before(kind, article):
    setting, default, line, make, forgotten = RETENTION[kind]
    policy = ModerationSettings.for_site(Site.objects.get(is_default_site=True))
    period = getattr(policy, setting)
    assert period == default
    due, kept = make(article, period + 1), make(article, period - 1)
    out = io.StringIO()

    call_command("apply_retention", "--dry-run", stdout=out)

    assert re.search(rf"^ +1  {re.escape(line)}", out.getvalue(), re.M), out.getvalue()
    assert not forgotten(due) and not forgotten(kept)  # a dry run changes nothing

    tasks.apply_retention()  # the daily job

    assert forgotten(due) and not forgotten(kept)


def test_a_customer_whose_address_was_forgotten_can_still_withdraw(
    client, article, admin_user
):
    feedback = Feedback.objects.create(
        name="Grace Hopper", email="grace@example.com", body="Sharp knives."
    )
    testimonial = testimonial_actions.draft_from_feedback(feedback, admin_user)
    testimonial.get_workflow().start(testimonial, admin_user)
    testimonial_actions.answer(testimonial.consent_requests.get(), granted=True)
    delivery.dispatch()
    (confirmation,) = [m for m in mail.outbox if m.subject.startswith("Thank you")]
    withdraw_url = re.search(
        r"https?://[^/\s]+(/comments/withdraw/\S+)", confirmation.body
    )[1]

    a_year_on = timezone.now() + datetime.timedelta(days=366)
    assert retention.apply(a_year_on)["customers_forgotten"] == 1

    testimonial.refresh_from_db()
    assert testimonial.customer_email == "" and testimonial.live
    assert testimonial in Testimonial.objects.shown()  # what they agreed to stands
    assert [r.as_object().customer_email for r in testimonial.revisions.all()] == [
        ""
    ] * testimonial.revisions.count()
    client.force_login(admin_user)
    history = client.get(f"/admin/moderation/testimonials/history/{testimonial.pk}/")
    assert "The customer&#x27;s address was forgotten" in history.content.decode()
    client.logout()
    mail.outbox.clear()

    client.post(withdraw_url)

    testimonial.refresh_from_db()
    assert not testimonial.live
    delivery.dispatch()
    assert [m.subject for m in mail.outbox] == [
        "A customer withdrew permission for a testimonial"
    ]


def test_retention_never_forgets_a_customer_whose_answer_is_awaited(
    article, admin_user
):
    feedback = Feedback.objects.create(
        name="Grace Hopper", email="grace@example.com", body="Sharp knives."
    )
    testimonial = testimonial_actions.draft_from_feedback(feedback, admin_user)
    testimonial.get_workflow().start(testimonial, admin_user)

    summary = retention.apply(timezone.now() + datetime.timedelta(days=400))

    assert summary["customers_forgotten"] == 0
    testimonial.refresh_from_db()
    assert testimonial.customer_email == "grace@example.com"
    assert testimonial_actions.remind(testimonial.consent_requests.get())
    delivery.dispatch()
    assert [m.to for m in mail.outbox if m.subject.startswith("Reminder")] == [
        ["grace@example.com"]
    ]


def test_a_testimonial_drafted_from_deleted_feedback_still_works(
    client, article, admin_user
):
    feedback = Feedback.objects.create(
        name="Grace Hopper",
        email="grace@example.com",
        body="Sharp knives.",
        created_at=days_ago(731),
    )
    testimonial = testimonial_actions.draft_from_feedback(feedback, admin_user)

    tasks.apply_retention()

    assert not Feedback.objects.exists()
    testimonial.refresh_from_db()
    assert testimonial.feedback is None and testimonial.quote == "Sharp knives."
    client.force_login(admin_user)
    edit = client.get(f"/admin/moderation/testimonials/edit/{testimonial.pk}/")
    assert edit.status_code == 200
    testimonial.get_workflow().start(testimonial, admin_user)
    testimonial_actions.answer(testimonial.consent_requests.get(), granted=True)
    testimonial.refresh_from_db()
    assert testimonial.live and testimonial in Testimonial.objects.shown()


def test_stored_networks_are_truncated_when_written(client, article):
    from tests.comment_client import post_comment

    post_comment(client, article, remote_addr="203.0.113.77")

    (comment,) = Comment.objects.all()
    assert comment.ip_network == "203.0.113.0/24"
    assert "203.0.113.77" not in database_dump()


def test_every_form_links_the_privacy_page_and_every_page_the_your_data_page(
    client, article
):
    from blog.models import InfoPage
    from moderation.models import FeedbackPage

    index = article.get_parent()
    privacy = index.add_child(
        instance=InfoPage(
            title="Privacy", slug="privacy", body="<p>We keep little.</p>"
        )
    )
    privacy.save_revision().publish()
    feedback = index.add_child(instance=FeedbackPage(title="Tell us", slug="tell-us"))
    feedback.save_revision().publish()
    policy = ModerationSettings.for_site(Site.objects.get(is_default_site=True))
    policy.privacy_page = privacy
    policy.save()

    for url in (article.url, feedback.url, "/your-data/"):
        html = client.get(url).content.decode()
        form = html[html.index("<form", html.index("<main")) : html.index("</main>")]
        assert 'href="/privacy/"' in form, url
        assert 'href="/your-data/"' in html, url


def test_emails_are_signed_with_the_sites_name_or_the_setting(
    client, article, settings
):
    ask(client, "reader@example.com")
    message, _link = emailed_link("reader@example.com")
    assert (
        message.subject == "Your data on Test"
        and "Test sent you this email." in message.body
    )

    mail.outbox.clear()
    settings.MODERATION_SITE_NAME = "Harbour & Hearth"
    ask(client, "other@example.com", remote_addr="198.51.100.7")
    message, _link = emailed_link("other@example.com")
    assert "Harbour & Hearth sent you this email." in message.body
    assert "Harbour &amp; Hearth" in message.alternatives[0][0]
    assert "Vouch" not in message.body
