"""The W3C Nu HTML checker (vnu.jar) on every public page and HTML email the
test suite produces: 0 errors.

Nothing lists the pages: while the suite runs, a middleware keeps every HTML
response that the test client or the live server (browser tests) serves outside
the admin, and a signal keeps the HTML part of every email written to the
outbox. A page or email that a new test produces is checked without touching
this file. At the end of the session, one JVM checks them all (vnu reads a
couple of hundred documents a second); an error fails the session, naming the
document, the test that produced it and the line.
"""

import hashlib
import json
import os
import re
import subprocess
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db.models.signals import post_save
from django.test.utils import override_settings

from tests import checkers, services

COLLECTOR = "tests.checkers.nu.CollectHtml"
NOT_OURS = ("/admin/",)  # Wagtail's admin markup: axe checks our admin pages
# A page differs from the last only by its CSRF token: the same document.
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@dataclass(frozen=True)
class Document:
    path: Path
    what: str  # "GET /journal/knife-skills/ (200)" or "email “Subject”"
    test: str


class Documents:
    """HTML documents gathered during the session, one file each, no duplicates."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.by_digest = {}
        self.lock = threading.Lock()  # the live server answers in threads

    def add(self, html, what):
        digest = hashlib.sha256(CSRF_TOKEN.sub("", html).encode()).hexdigest()
        test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]
        with self.lock:
            if digest in self.by_digest:
                return
            path = self.folder / f"{len(self.by_digest):05d}.html"
            path.write_text(html, encoding="utf-8")
            self.by_digest[digest] = Document(path, what, test)

    def __len__(self):
        return len(self.by_digest)

    def __iter__(self):
        return iter(self.by_digest.values())


collected = None  # the session's Documents, while the suite runs


class CollectHtml:
    """Middleware (outermost, so it sees error pages too) keeping public HTML."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if (
            collected is not None
            and content_type.startswith("text/html")
            and not response.streaming
            and not request.path.startswith(NOT_OURS)
            and response.content
        ):
            collected.add(
                response.content.decode(response.charset or "utf-8"),
                f"{request.method} {request.get_full_path()} ({response.status_code})",
            )
        return response


def keep_outbox_html(sender, instance, created, raw=False, **kwargs):
    from moderation.sealing import unseal

    if collected is None or not created or raw or not instance.sealed_message:
        return
    message = unseal(instance.sealed_message)
    for content, mimetype in message["alternatives"]:
        if mimetype == "text/html":
            collected.add(content, f"email “{message['subject']}”")


def check(paths):
    """vnu's errors for ``paths``, in one JVM: a list of vnu's JSON messages."""
    if not paths:
        return []
    command = ["java", "-jar", str(checkers.VNU_JAR), "--errors-only"]
    command += ["--format", "json", "--exit-zero-always", *map(str, paths)]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(finished.stderr)["messages"]


def errors_by_document(documents):
    by_path = {str(document.path): document for document in documents}
    found = {}
    for message in check(list(by_path)):
        document = by_path.get(message.get("url", "").removeprefix("file:"))
        if document is None:  # vnu could not read a file at all
            raise AssertionError(f"The Nu HTML checker failed: {message}")
        found.setdefault(document, []).append(message)
    return found


def describe(found, most=10):
    """The errors, at most ``most`` documents and ``most`` errors of each."""
    lines = [f"The Nu HTML checker found errors in {len(found)} document(s):"]
    for document, messages in list(found.items())[:most]:
        lines.append(
            f"\n{document.what}, from {document.test} (saved as {document.path}):"
        )
        for message in messages[:most]:
            where = f"line {message.get('lastLine', '?')}"
            extract = message.get("extract", "").replace("\n", " ")
            lines.append(f"  {where}: {message['message']}\n      {extract}")
        if len(messages) > most:
            lines.append(f"  … and {len(messages) - most} more")
    if len(found) > most:
        lines.append(f"\n… and {len(found) - most} more documents")
    return "\n".join(lines)


@pytest.fixture(scope="session", autouse=True)
def html_checked_by_nu(tmp_path_factory):
    """Collect during the session; check everything collected at its end."""
    global collected
    from django.conf import settings

    from moderation.outbox.models import OutboxEmail

    problem = checkers.java_missing()
    if problem:
        if services.IN_CI:
            pytest.fail(f"{problem} (CI checks every page)", pytrace=False)
        warnings.warn(f"Pages and emails are not HTML-checked: {problem}", stacklevel=1)
        yield
        return
    collected = Documents(tmp_path_factory.mktemp("served-html"))
    middleware = override_settings(MIDDLEWARE=[COLLECTOR, *settings.MIDDLEWARE])
    middleware.enable()
    post_save.connect(keep_outbox_html, sender=OutboxEmail)
    try:
        yield
    finally:
        post_save.disconnect(keep_outbox_html, sender=OutboxEmail)
        middleware.disable()
        documents, collected = collected, None
    found = errors_by_document(documents)
    assert not found, describe(found)
