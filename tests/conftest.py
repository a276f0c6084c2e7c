import contextlib
import os

import pytest
from django.conf import settings as django_settings

from config.celery import app as celery_app
from tests import services
from tests.browser import (  # the browser fixtures, for every test module
    chromium,  # noqa: F401
    new_context,  # noqa: F401
    page,  # noqa: F401
    remember_report,
)
from tests.checkers.nu import html_checked_by_nu  # noqa: F401 (every page, at the end)


def pytest_collection_finish(session):
    """In CI the tests that use this suite's database with real services run on
    PostgreSQL, as production does. Other runs may use SQLite: without them
    (``-m "not services"``), or a new site that brings its own database."""
    engine = django_settings.DATABASES["default"]["ENGINE"]
    if not services.IN_CI or engine.endswith("postgresql"):
        return
    if any(
        item.get_closest_marker("services") and uses_database(item)
        for item in session.items
    ):
        pytest.exit(
            "CI must run the services tests on PostgreSQL: set "
            'DATABASE_URL=postgres://… (or leave them out with -m "not services")',
            returncode=1,
        )


def uses_database(item):
    """pytest-django's django_db mark, or a fixture that needs its database."""
    return bool(item.get_closest_marker("django_db")) or (
        "django_db_setup" in getattr(item, "fixturenames", ())
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as ``manage.py migrate`` leaves a real one. Its system
    checks load the admin URLs, which register our snippets, before Wagtail adds
    their "publish", "lock" and "unlock" permissions after migrating;
    pytest-django migrates without the checks, so these were missing."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("migrate", verbosity=0, skip_checks=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    remember_report(item, call, report)
    return report


@pytest.fixture(autouse=True)
def _outbox_email_backend(settings):
    # pytest-django swaps EMAIL_BACKEND for locmem; put the outbox back in front
    # of it, as in production, so every test goes through the same path.
    settings.EMAIL_BACKEND = "moderation.outbox.backend.OutboxEmailBackend"


@pytest.fixture(autouse=True)
def _clear_cache():
    # Wagtail caches site root paths; tests create and delete Sites.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@contextlib.contextmanager
def celery_broker(url):
    """Publish from this process to ``url`` for real (no eager mode)."""
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url = url
    celery_app.conf.task_always_eager = False
    celery_app._after_fork()  # drop pooled connections to the old broker
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
        celery_app._after_fork()


@pytest.fixture
def smtp_sink():
    with services.running_smtp_sink() as sink:
        yield sink


@pytest.fixture
def redis_broker():
    client = services.redis_or_skip()
    client.flushdb()  # no tasks left over from an earlier run
    with celery_broker(services.REDIS_URL):
        yield services.REDIS_URL
    client.flushdb()


@pytest.fixture
def workers(transactional_db, redis_broker, smtp_sink, tmp_path):
    from django.db import connection

    pool = services.CeleryWorkers(
        db_url=services.database_url(connection.settings_dict),
        broker_url=redis_broker,
        smtp_port=smtp_sink.port,
        folder=tmp_path,
    )
    yield pool
    pool.stop()
    if os.environ.get("SHOW_WORKER_LOG"):
        print(pool.log())
