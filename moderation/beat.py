"""The app's periodic jobs, for the host's Celery beat (one beat per site).

In the host's settings::

    from moderation.beat import beat_schedule

    CELERY_BEAT_SCHEDULE = {**beat_schedule(), **your_own_jobs}

Nothing here imports Django models, so settings files can import it.
"""

MINUTE = 60.0
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def beat_schedule(*, outbox_dispatch_seconds=15):
    """Every job the app needs, by name. The outbox dispatcher sends what no
    worker has taken: with the 30 s outbox lease, every 15 s means that the
    emails a dead worker held go out within 45 s."""
    return {
        "moderation-dispatch-outbox": {
            "task": "moderation.outbox.tasks.dispatch_outbox",
            "schedule": float(outbox_dispatch_seconds),
        },
        # Wagtail's publish_scheduled, for pages and snippets (testimonials).
        "moderation-publish-scheduled": {
            "task": "moderation.tasks.publish_scheduled",
            "schedule": MINUTE,
        },
        "moderation-consent-reminders": {
            "task": "moderation.tasks.remind_and_expire_consent_requests",
            "schedule": DAY,
        },
        "moderation-moderator-digest": {
            "task": "moderation.tasks.send_moderator_digests",
            "schedule": HOUR,
        },
        "moderation-retention": {
            "task": "moderation.tasks.apply_retention",
            "schedule": DAY,
        },
    }
