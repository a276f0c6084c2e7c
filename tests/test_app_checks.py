"""``manage.py check`` tells a host site what the app needs and how to set it."""

from django.core.checks import run_checks


def messages():
    return {message.id: message for message in run_checks()}


def test_this_site_passes_the_apps_checks():
    assert not [id for id in messages() if id.startswith("moderation.")]


def test_email_sent_around_the_outbox_is_an_error_that_says_what_to_set(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

    error = messages()["moderation.E001"]

    assert "lost if sending fails" in error.msg
    assert "moderation.outbox.backend.OutboxEmailBackend" in error.hint


def test_the_outbox_delivering_to_itself_is_an_error(settings):
    settings.MODERATION_DELIVERY_EMAIL_BACKEND = (
        "moderation.outbox.backend.OutboxEmailBackend"
    )

    assert "would ever leave it" in messages()["moderation.E002"].msg


def test_a_beat_schedule_without_the_apps_jobs_is_a_warning_naming_the_helper(
    settings,
):
    settings.CELERY_BEAT_SCHEDULE = {"mine": {"task": "shop.tasks.x", "schedule": 5}}

    warning = messages()["moderation.W001"]

    assert "beat_schedule()" in warning.hint


def test_a_base_template_that_does_not_exist_is_an_error_naming_the_setting(settings):
    settings.MODERATION_BASE_TEMPLATE = "shop/layout.html"

    error = messages()["moderation.E004"]

    assert "'shop/layout.html'" in error.msg and "extra_css" in error.hint


def test_gravatar_pictures_in_the_admin_are_a_warning_naming_the_setting(settings):
    del settings.WAGTAIL_GRAVATAR_PROVIDER_URL  # Wagtail's default: Gravatar

    warning = messages()["moderation.W002"]

    assert "Gravatar" in warning.msg
    assert "WAGTAIL_GRAVATAR_PROVIDER_URL = None" in warning.hint
