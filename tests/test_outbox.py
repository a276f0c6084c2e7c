"""The outbox in one process: transactions, sealing, retries and the admin.

Delivery to a real SMTP server uses an in-process aiosmtpd sink; the tests with
real Celery workers and Redis are in test_outbox_workers.py.
"""

import datetime
import smtplib
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.models import ModelLogEntry

from moderation.emails import send_templated_email
from moderation.outbox import delivery
from moderation.outbox.backend import deserialize
from moderation.outbox.models import OutboxEmail
from moderation.privacy import mask_email, redact_emails
from moderation.sealing import seal, unseal
from tests.corpora import email_probes

pytestmark = pytest.mark.django_db
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def deserialize_latest():
    """The newest outbox email as the message a worker would send."""
    email = OutboxEmail.objects.latest("pk")
    return deserialize(unseal(email.sealed_message), email.message_id, connection=None)


def queue_one(to="reader@example.com", body="Hello there"):
    mail.send_mail("A subject", body, None, [to])
    return OutboxEmail.objects.latest("pk")


@pytest.fixture
def smtp_delivery(settings, smtp_sink):
    settings.MODERATION_DELIVERY_EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return smtp_sink


def test_email_in_committed_transaction_is_delivered_once(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            email = queue_one()
            assert mail.outbox == []  # nothing leaves before the commit

    email.refresh_from_db()
    assert len(callbacks) == 1
    assert [message.to for message in mail.outbox] == [["reader@example.com"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == email.message_id
    assert email.status == OutboxEmail.Status.SENT and email.attempts == 1
    assert email.sealed_message == ""  # nothing of the message is kept once sent


def test_email_in_rolled_back_transaction_is_never_sent(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(100):
            with pytest.raises(RuntimeError), transaction.atomic():
                queue_one()
                raise RuntimeError("the caller changed its mind")

    assert OutboxEmail.objects.count() == 0
    assert mail.outbox == []


def test_waiting_message_is_sealed_not_stored_in_clear():
    email = queue_one(body="Your secret link: https://example.com/consent/abc123SECRET")

    assert "abc123SECRET" not in email.sealed_message
    assert "reader@example.com" not in email.sealed_message
    assert "abc123SECRET" in unseal(email.sealed_message)["body"]


def test_sealed_message_survives_secret_key_rotation(settings):
    sealed = seal({"body": "x"})
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-brand-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]

    assert unseal(sealed) == {"body": "x"}


def test_undecryptable_message_fails_with_a_clear_error(settings):
    email = queue_one()
    settings.SECRET_KEY = "a-brand-new-secret-key-" + "y" * 40

    delivery.deliver(email.pk)

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert "SECRET_KEY" in email.last_error


def test_templated_email_has_text_and_html_parts(settings, tmp_path):
    folder = tmp_path / "emails"
    folder.mkdir()
    (folder / "hello.txt").write_text("Hello {{ name }}")
    (folder / "hello.html").write_text(
        '{% extends "moderation/emails/base.html" %}'
        "{% block body %}<p>Hello <b>{{ name }}</b></p>{% endblock %}"
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]

    send_templated_email(
        "emails/hello", to="a@example.com", subject="Hi", context={"name": "<Ann>"}
    )

    (message,) = [deserialize_latest()]
    assert message.body == "Hello <Ann>"
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html" and "<p>Hello <b>&lt;Ann&gt;</b></p>" in html


def test_delivering_twice_sends_once():
    email = queue_one()
    delivery.deliver(email.pk)
    assert delivery.deliver(email.pk) is False
    assert len(mail.outbox) == 1


def test_temporary_smtp_failure_is_retried_with_backoff(smtp_delivery, settings):
    settings.MODERATION_OUTBOX_RETRY_SECONDS = 30
    smtp_delivery.answer_next("451 4.3.0 <reader@example.com> mailbox busy, try later")
    email = queue_one()
    assert delivery.deliver(email.pk) is False

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING and email.attempts == 1
    assert email.next_attempt_at > timezone.now() + datetime.timedelta(seconds=29)
    assert "451" in email.last_error and "reader@example.com" not in email.last_error
    assert smtp_delivery.messages == []

    OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert delivery.dispatch() == 1
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT and email.attempts == 2
    assert smtp_delivery.message_ids() == [email.message_id]


def test_temporary_failures_stop_after_max_attempts(smtp_delivery, settings):
    settings.MODERATION_OUTBOX_MAX_ATTEMPTS = 3
    smtp_delivery.answer_next(*["421 4.7.0 slow down"] * 5)
    email = queue_one()
    for _ in range(5):
        OutboxEmail.objects.filter(pk=email.pk, status="pending").update(
            next_attempt_at=timezone.now()
        )
        delivery.dispatch()

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED and email.attempts == 3
    assert "421" in email.last_error


def test_permanent_smtp_failure_fails_at_once(smtp_delivery):
    smtp_delivery.answer_next("554 5.7.1 Message rejected")
    email = queue_one()
    delivery.deliver(email.pk)

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED and email.attempts == 1
    assert "554" in email.last_error


def test_unreachable_smtp_server_is_a_temporary_failure(settings):
    from tests.services import free_port

    settings.MODERATION_DELIVERY_EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    email = queue_one()
    delivery.deliver(email.pk)

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING
    assert "ConnectionRefusedError" in email.last_error


def test_email_held_by_a_dead_worker_is_picked_up_after_its_lease():
    email = queue_one()
    now = timezone.now()
    OutboxEmail.objects.filter(pk=email.pk).update(
        status="sending", locked_until=now + datetime.timedelta(minutes=1)
    )
    assert delivery.dispatch() == 0  # still within the lease

    OutboxEmail.objects.filter(pk=email.pk).update(
        locked_until=now - datetime.timedelta(seconds=1)
    )
    assert delivery.dispatch() == 1
    assert len(mail.outbox) == 1


def test_refused_recipients_error_is_classified_and_masked():
    error = smtplib.SMTPRecipientsRefused({"jane@example.com": (550, b"no such user")})

    assert delivery._is_temporary(error) is False
    assert "jane@example.com" not in delivery._describe(error)


def test_mask_email_hides_the_address():
    assert mask_email("jane.doe@example.com") == "j•••@e•••.com"
    assert mask_email("not an address") == "•••"
    assert (
        redact_emails("550 <jane@example.com> unknown") == "550 <j•••@e•••.com> unknown"
    )


QUOTED = ['"john.doe"@example.com', '"a b"@example.org'] + [
    row["address"] for row in email_probes() if row["address"].startswith('"')
]


def test_redact_emails_masks_quoted_local_parts():
    def leaks(address):
        local = address.rpartition("@")[0]
        redacted = redact_emails(f"550 5.1.1 <{address}>: no such user; {address}.")
        shown = local in redacted or local.strip('"') in redacted
        return shown or redacted.count("•••@") != 2

    assert [address for address in QUOTED if leaks(address)] == []


def test_redact_emails_masks_apostrophes_and_address_literals():
    redacted = redact_emails(
        "550 <bob.o'reilly@example.org> and <user@[192.0.2.1]> unknown"
    )

    assert redacted == "550 <b•••@e•••.org> and <u•••@[•••.1]> unknown"


def test_wagtail_password_reset_goes_through_the_outbox_with_its_link_sealed(
    client, django_user_model, django_capture_on_commit_callbacks
):
    django_user_model.objects.create_user("ed", "ed@example.com", "pw-123456-long")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/password_reset/", {"email": "ed@example.com"})

    assert response.status_code == 302
    (message,) = mail.outbox
    link = next(
        line for line in message.body.splitlines() if "/password_reset/confirm/" in line
    )
    email = OutboxEmail.objects.get()
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in email.sealed_message and email.sealed_message == ""


# The admin ----------------------------------------------------------------


@pytest.fixture
def failed_email():
    email = queue_one(to="jane.doe@example.com")
    OutboxEmail.objects.filter(pk=email.pk).update(
        status="failed", attempts=8, last_error="SMTP 554: rejected"
    )
    return email


def editor(django_user_model, *permissions):
    user = django_user_model.objects.create_user(
        "editor", "editor@example.com", "pw-123456-long"
    )
    group = Group.objects.create(name="Outbox readers")
    codenames = ["access_admin", *permissions]
    group.permissions.set(Permission.objects.filter(codename__in=codenames))
    user.groups.add(group)
    return user


def test_outbox_listing_masks_recipients_without_permission(
    client, django_user_model, failed_email
):
    client.force_login(editor(django_user_model, "view_outboxemail"))

    html = client.get("/admin/moderation/outbox/").content.decode()
    inspect = client.get(
        f"/admin/moderation/outbox/inspect/{failed_email.pk}/"
    ).content.decode()

    assert "jane.doe@example.com" not in html and "j•••@e•••.com" in html
    assert "jane.doe@example.com" not in inspect and "j•••@e•••.com" in inspect
    assert "SMTP 554: rejected" in html


def test_smtp_error_quoting_a_quoted_address_is_masked_in_the_admin(
    client, django_user_model, smtp_delivery
):
    address = '"john.doe"@example.com'
    smtp_delivery.answer_next(f"550 5.1.1 <{address}>: Recipient address rejected")
    email = queue_one(to=address)
    delivery.deliver(email.pk)
    client.force_login(editor(django_user_model, "view_outboxemail"))

    listing = client.get("/admin/moderation/outbox/?status=failed").content.decode()
    inspect = client.get(f"/admin/moderation/outbox/inspect/{email.pk}/")

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert "Recipient address rejected" in listing
    assert "Recipient address rejected" in inspect.content.decode()
    for html in (listing, inspect.content.decode()):
        assert "john.doe" not in unescape(html)


def test_recipients_are_shown_only_by_a_logged_reveal_with_permission(
    client, django_user_model, failed_email
):
    user = editor(django_user_model, "view_outboxemail", "view_recipient_outboxemail")
    client.force_login(user)
    inspect_url = f"/admin/moderation/outbox/inspect/{failed_email.pk}/"

    listing = client.get("/admin/moderation/outbox/?status=failed").content.decode()
    before = client.get(inspect_url).content.decode()
    revealed = client.post(
        f"/admin/moderation/outbox/reveal/{failed_email.pk}/", follow=True
    )

    assert "jane.doe@example.com" not in listing + before
    assert "Reveal email address" in before
    assert "jane.doe@example.com" in revealed.content.decode()
    entry = ModelLogEntry.objects.get(action="moderation.outbox.reveal_recipients")
    assert (entry.user_id, entry.object_id) == (user.pk, str(failed_email.pk))
    assert "jane.doe" not in f"{entry.label} {entry.data}"


def test_reveal_is_refused_without_the_recipient_permission(
    client, django_user_model, failed_email
):
    client.force_login(editor(django_user_model, "view_outboxemail"))

    response = client.post(
        f"/admin/moderation/outbox/reveal/{failed_email.pk}/", follow=True
    )

    assert "jane.doe@example.com" not in response.content.decode()
    assert not ModelLogEntry.objects.filter(
        action="moderation.outbox.reveal_recipients"
    ).exists()


def test_outbox_is_forbidden_without_view_permission(
    client, django_user_model, failed_email
):
    client.force_login(editor(django_user_model))

    # Wagtail answers a refused admin URL by sending the user to the dashboard.
    for response in [
        client.get("/admin/moderation/outbox/"),
        client.get(f"/admin/moderation/outbox/inspect/{failed_email.pk}/"),
        client.post(f"/admin/moderation/outbox/retry/{failed_email.pk}/"),
    ]:
        assert (response.status_code, response.url) == (302, "/admin/")
    failed_email.refresh_from_db()
    assert failed_email.status == OutboxEmail.Status.FAILED


def test_outbox_has_no_add_edit_or_delete_screens(admin_client, failed_email):
    assert admin_client.get("/admin/moderation/outbox/new/").status_code == 404
    assert (
        admin_client.get(
            f"/admin/moderation/outbox/edit/{failed_email.pk}/"
        ).status_code
        == 404
    )


def test_retry_puts_a_failed_email_back_and_logs_it(
    admin_client, admin_user, failed_email, django_capture_on_commit_callbacks
):
    inspect_url = f"/admin/moderation/outbox/inspect/{failed_email.pk}/"
    assert "Retry" in admin_client.get(inspect_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/moderation/outbox/retry/{failed_email.pk}/"
        )

    assert response.status_code == 302
    failed_email.refresh_from_db()
    assert failed_email.status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1
    entry = ModelLogEntry.objects.get(action="moderation.outbox.retry")
    assert entry.user == admin_user and entry.object_id == str(failed_email.pk)


def test_retry_of_a_sent_email_changes_nothing(admin_client, failed_email):
    OutboxEmail.objects.filter(pk=failed_email.pk).update(status="sent")

    response = admin_client.post(
        f"/admin/moderation/outbox/retry/{failed_email.pk}/", follow=True
    )

    assert "Only a failed email can be retried" in response.content.decode()
    assert not ModelLogEntry.objects.filter(action="moderation.outbox.retry").exists()


def test_retry_is_post_only(admin_client, failed_email):
    assert (
        admin_client.get(
            f"/admin/moderation/outbox/retry/{failed_email.pk}/"
        ).status_code
        == 405
    )


@override_settings(MODERATION_OUTBOX_BATCH_SIZE=7)
def test_dispatch_sends_everything_due_in_batches():
    emails = [queue_one(to=f"r{n}@example.com") for n in range(20)]

    assert delivery.dispatch() == 20
    assert len({message.extra_headers["Message-ID"] for message in mail.outbox}) == 20
    assert not OutboxEmail.objects.exclude(status="sent").filter(
        pk__in=[e.pk for e in emails]
    )
