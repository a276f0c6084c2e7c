"""A brand-new Wagtail site (`wagtail start mysite`) that follows only README.md's
"Install into your Wagtail site": the wheel of this repository in the site's own
clean virtualenv, the README's code blocks applied where their first lines say,
its commands run in its order, then a guest's comment and a customer's
testimonial walked over HTTP through the site's runserver, Celery worker and
beat, Redis and a real SMTP server.

The README and this test cannot drift apart: the test has no install steps of
its own. What it adds is what the README leaves to each machine (the SMTP
server, the Redis database, ``mysite/settings/local.py``, which ``wagtail start``
imports last) and what a person does in the admin.

It takes about two minutes; installing the virtualenv from PyPI (pinned to the
versions this test runs with) and Wagtail's migrations are most of it.
"""

import contextlib
import http.cookiejar
import importlib.metadata
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests import services
from tests.comment_client import HIDDEN
from tests.packaging import build_wheel
from tests.services import BASE_DIR, free_port, wait_until

pytestmark = pytest.mark.services

SECTION = "## Install into your Wagtail site"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# "# mysite/urls.py, before: path(...)", "{# home/x.html, at the end #}", "/* a.css, a new file */"
LOCATION = re.compile(
    r"^(?:#|\{#|/\*)\s*(?P<path>[\w./-]+), (?P<where>.+?)(?:\s*(?:#\}|\*/))?$"
)
PASSWORD = "fresh-site-password-4821"


def readme_steps():
    """The section's code blocks in order: ("edit", path, where, code) for files,
    ("run", command) for each line of a shell block."""
    text = (BASE_DIR / "README.md").read_text()
    assert SECTION in text, f"README.md has no section {SECTION!r}"
    section = text[text.index(SECTION) :]
    end = section.find("\n## ", 1)
    section = section if end == -1 else section[:end]
    steps = []
    for language, body in FENCE.findall(section):
        if language == "sh":
            for line in body.splitlines():
                command = line.split("#", 1)[0].strip()
                if command:
                    steps.append(("run", command))
            continue
        first, _, code = body.partition("\n")
        location = LOCATION.match(first)
        assert location, f"README block does not say where it goes: {first!r}"
        steps.append(("edit", location["path"], location["where"], code))
    return steps


def apply_edit(site, path, where, code):
    target = site / path
    if where == "a new file":
        assert not target.exists(), f"{path} already exists"
        target.write_text(code)
    elif where == "the whole file":
        assert target.exists(), f"{path} does not exist"
        target.write_text(code)
    elif where == "at the end":
        target.write_text(target.read_text() + "\n" + code)
    elif where.startswith(("before: ", "instead of: ")):
        how, _, anchor = where.partition(": ")
        lines = target.read_text().splitlines(keepends=True)
        hits = [n for n, line in enumerate(lines) if line.strip() == anchor]
        assert len(hits) == 1, (
            f"{path} has {len(hits)} lines {anchor!r}; the README says to edit one"
        )
        line = lines[hits[0]]
        indent = line[: len(line) - len(line.lstrip())]
        new = [indent + text + "\n" if text else "\n" for text in code.splitlines()]
        end = hits[0] + (1 if how == "instead of" else 0)
        lines[hits[0] : end] = new
        target.write_text("".join(lines))
    else:
        raise AssertionError(f"README block for {path} says {where!r}: where is that?")


class Browser:
    """One visitor: cookies, CSRF token from the cookie, redirects followed."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def get(self, url):
        return self._open(urllib.request.Request(self._absolute(url)))

    def post(self, url, data):
        csrf = next((c.value for c in self.cookies if c.name == "csrftoken"), "")
        request = urllib.request.Request(
            self._absolute(url),
            data=urllib.parse.urlencode(data).encode(),
            headers={"X-CSRFToken": csrf, "Referer": self.base_url},
        )
        return self._open(request)

    def _absolute(self, url):
        return url if url.startswith("http") else self.base_url + url

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=30) as response:
                return Response(response.status, response.url, response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.url, error.read())


class Response:
    def __init__(self, status, url, body):
        self.status, self.url, self.text = status, url, body.decode()

    def ok(self, what):
        assert self.status == 200, f"{what}: HTTP {self.status} at {self.url}\n{self}"
        return self

    def __str__(self):
        text = re.sub(r"<(script|style)\b.*?</\1>", "", self.text, flags=re.S)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))[:2000]


class FreshSite:
    """The site made by ``wagtail start``, its virtualenv and its processes."""

    def __init__(self, folder, smtp_port, redis_url):
        self.folder = folder
        self.root = folder / "mysite"
        self.venv = folder / "venv"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.smtp_port, self.redis_url = smtp_port, redis_url
        self.processes = {}
        self.checks = 0
        bin_dir = str(self.venv / "bin")
        # Nothing of this test's own Django, Celery or virtualenv reaches the site.
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "CELERY_", "PYTHON", "VIRTUAL_ENV"))
        }
        self.env["PATH"] = bin_dir + os.pathsep + os.environ["PATH"]

    def run(self, argv, what, *, env=None, ok=True):
        result = subprocess.run(
            argv,
            cwd=self.root if self.root.exists() else self.folder,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if ok:
            assert result.returncode == 0, (
                f"{what} failed (exit {result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result

    def manage(self, *args, **kwargs):
        python = str(self.venv / "bin" / "python")
        return self.run([python, "manage.py", *args], f"manage.py {args[0]}", **kwargs)

    def shell(self, code):
        """Run ``code`` in the site's shell; it prints JSON on its last line."""
        return json.loads(self.manage("shell", "-c", code).stdout.splitlines()[-1])

    def start(self, name, argv, ready):
        log_path = self.folder / f"{name}.log"
        with open(log_path, "w") as log:
            self.processes[name] = (
                subprocess.Popen(
                    argv,
                    cwd=self.root,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                ),
                log_path,
            )

        def is_ready():
            process = self.processes[name][0]
            assert process.poll() is None, f"{name} exited:\n{log_path.read_text()}"
            return ready()

        wait_until(is_ready, 120, f"{name} to start")

    def log(self, name):
        return self.processes[name][1].read_text() if name in self.processes else ""

    def logs(self):
        return "".join(
            f"\n--- {name} (last lines) ---\n"
            + "\n".join(self.log(name).splitlines()[-40:])
            for name in self.processes
        )

    def stop(self):
        for process, _log in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process, _log in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    # The README's commands --------------------------------------------------

    def follow(self, command, wheel):
        argv = shlex.split(command)
        if argv[:2] == ["pip", "install"]:
            self.install(wheel)
        elif argv[:3] == ["python", "manage.py", "check"]:
            self.check()
        elif argv[:3] == ["python", "manage.py", "createsuperuser"]:
            self.manage(
                "createsuperuser",
                "--noinput",
                env={
                    "DJANGO_SUPERUSER_USERNAME": "admin",
                    "DJANGO_SUPERUSER_EMAIL": "admin@example.com",
                    "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
                },
            )
        elif argv[:3] == ["python", "manage.py", "runserver"]:
            python = str(self.venv / "bin" / "python")
            self.start(
                "runserver",
                [python, *argv[1:], f"127.0.0.1:{self.port}", "--noreload"],
                self.answers,
            )
        elif argv[:2] == ["python", "manage.py"]:
            self.manage(*argv[2:])
        elif argv[0] == "celery" and "worker" in argv:
            self.start(
                "worker",
                [str(self.venv / "bin" / "celery"), *argv[1:]],
                self.worker_ready,
            )
        elif argv[0] == "celery" and "beat" in argv:
            self.start(
                "beat",
                [str(self.venv / "bin" / "celery"), *argv[1:]],
                lambda: "beat: Starting" in self.log("beat"),
            )
        else:
            raise AssertionError(f"The README runs {command!r}; this test cannot")

    def install(self, wheel):
        """A clean virtualenv, the wheel and its dependencies from the package
        index, at the versions this test runs with (wagtail start made the site
        with them)."""
        constraints = self.folder / "constraints.txt"
        constraints.write_text(
            "".join(
                f"{dist.metadata['Name']}=={dist.version}\n"
                for dist in importlib.metadata.distributions()
                if dist.metadata["Name"] not in ("pip", "setuptools", "wheel")
            )
        )
        self.run([sys.executable, "-m", "venv", str(self.venv)], "python -m venv")
        self.run(
            [str(self.venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
            + ["--constraint", str(constraints), str(wheel)],
            "pip install the wheel",
        )

    def check(self):
        """The first check comes before email and Celery are set up: it must say
        so. Every later one must pass with nothing to say about the app."""
        self.checks += 1
        result = self.manage("check", ok=self.checks > 1)
        output = result.stdout + result.stderr
        if self.checks == 1:
            assert result.returncode != 0, f"check found nothing missing:\n{output}"
            for code in ("moderation.E001", "moderation.E003"):
                assert code in output, f"check did not report {code}:\n{output}"
        else:
            assert "moderation." not in output, output

    def answers(self):
        """Up when it answers at all: a page that fails is the next step's to report."""
        try:
            Browser(self.url).get("/admin/login/")
        except OSError:
            return False
        return True

    def worker_ready(self):
        return " ready." in self.log("worker")


@pytest.fixture
def fresh_site(tmp_path):
    redis = services.redis_or_skip()
    redis.flushdb()
    with services.running_smtp_sink() as sink:
        site = FreshSite(tmp_path, sink.port, services.REDIS_URL)
        site.sink = sink
        try:
            yield site
        finally:
            site.stop()
            redis.flushdb()


@contextlib.contextmanager
def step(site, what):
    """Name the step that broke, with the site's logs."""
    try:
        yield
    except Exception as error:
        raise AssertionError(f"Step failed: {what}\n{error}{site.logs()}") from error


def email_to(sink, address):
    wait_until(
        lambda: any(m["To"] == address for m in sink.parsed()),
        60,
        f"an email to {address}",
    )
    message = [m for m in sink.parsed() if m["To"] == address][-1]
    return next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )


def link_in(text, site, path):
    """Links start with the site's address, as set in Settings → Sites."""
    match = re.search(rf"{re.escape(site.url + path)}\S+", text)
    assert match, f"no link to {site.url}{path} in the email:\n{text}"
    return match[0]


def form_data(html, **fields):
    data = {k: v for k, v in HIDDEN.findall(html) if k != "csrfmiddlewaretoken"}
    return {**data, **fields}


def log_in(site, username):
    browser = Browser(site.url)
    browser.get("/admin/login/").ok("the admin login page")
    page = browser.post(
        "/admin/login/", {"username": username, "password": PASSWORD}
    ).ok("logging in")
    assert "/admin/login/" not in page.url, f"{username} could not log in:\n{page}"
    return browser


def machine_settings(site):
    """What the README leaves to each machine, in the file ``wagtail start``'s
    dev.py imports last: this test's SMTP server and Redis database, and an
    explicit AutoField (the app must bring its own auto field to such a host)."""
    return f"""
from . import base as _base

DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
MODERATION_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = {site.smtp_port}
CELERY_BROKER_URL = {site.redis_url!r}
if hasattr(_base, "CACHES"):
    CACHES = {{"default": {{**_base.CACHES["default"], "LOCATION": {site.redis_url!r}}}}}
"""


def test_a_new_wagtail_site_following_the_readme_takes_comments_and_testimonials(
    fresh_site, tmp_path
):
    site = fresh_site
    sink = site.sink
    wagtail = str(Path(sys.executable).parent / "wagtail")

    with step(site, "wagtail start mysite, and the wheel of this repository"):
        subprocess.run(
            [wagtail, "start", "mysite"], cwd=tmp_path, check=True, capture_output=True
        )
        (site.root / "mysite/settings/local.py").write_text(machine_settings(site))
        wheel = build_wheel(tmp_path)

    for kind, *details in readme_steps():
        if kind == "edit":
            path, where, code = details
            with step(site, f"README: {path}, {where}"):
                apply_edit(site.root, path, where, code)
        else:
            (command,) = details
            with step(site, f"README: {command}"):
                site.follow(command, wheel)

    with step(site, "a host with DEFAULT_AUTO_FIELD = AutoField needs no migration"):
        pending = site.manage("makemigrations", "--check", "--dry-run", ok=False)
        assert pending.returncode == 0, pending.stdout + pending.stderr

    for name in ("runserver", "worker", "beat"):
        assert name in site.processes, f"the README never starts the {name}"
    with step(site, "a moderator joins the app's group, beside Wagtail's Moderators"):
        ids = site.shell(
            "import json; from django.contrib.auth.models import Group, User; "
            "from wagtail.models import GroupPagePermission, Site; "
            f"u = User.objects.create_user('moira', password={PASSWORD!r}); "
            "u.groups.add(Group.objects.get(name='Comment moderators')); "
            "s = Site.objects.get(); "
            "print(json.dumps({'site': s.pk, 'home': s.root_page_id, 'moderators': "
            "sorted(GroupPagePermission.objects.filter(group__name='Moderators')"
            ".values_list('permission__codename', flat=True))}))"
        )
        # Wagtail's own group is the host's: our migrations leave it as it was.
        assert ids["moderators"] == [
            "add_page", "change_page", "lock_page", "publish_page", "unlock_page"
        ]  # fmt: skip

    with step(site, "Settings → Sites: the site's public address, for email links"):
        admin = log_in(site, "admin")
        admin.post(
            f"/admin/sites/edit/{ids['site']}/",
            {
                "hostname": "127.0.0.1",
                "port": site.port,
                "site_name": "Fresh Bakery",
                "root_page": ids["home"],
                "is_default_site": "on",
            },
        ).ok("saving the site")  # the emails' links below show it took

    # A guest's comment on the host's own home page -------------------------------
    guest = Browser(site.url)
    with step(site, "a guest comments on the home page"):
        home = guest.get("/").ok("the home page")
        assert 'id="comment-form"' in home.text, f"no comment form:\n{home}"
        sent = guest.post(
            "/comments/post/",
            form_data(
                home.text,
                name="Ada Lovelace",
                email="ada.reader@example.com",
                body="Fresh site, first comment.",
                website="",
            ),
        ).ok("posting the comment")
        assert "We sent you an email" in sent.text, f"no message shown:\n{sent}"

    with step(site, "the worker sends the confirmation email; the guest clicks it"):
        text = email_to(sink, "ada.reader@example.com")
        link = link_in(text, site, "/comments/confirm/")
        button = guest.get(link).ok("the link")
        assert "Confirm my comment" in button.text, str(button)
        confirmed = guest.post(link, {}).ok("pressing its button")
        assert "Your comment awaits moderation" in confirmed.text, str(confirmed)

    with step(site, "a comment moderator approves it in the admin"):
        moderator = log_in(site, "moira")
        queue = moderator.get("/admin/moderation/comments/").ok("the comment queue")
        assert "ada.reader@example.com" not in queue.text
        (pk,) = set(
            re.findall(r"/admin/moderation/comments/inspect/(\d+)/", queue.text)
        )
        approved = moderator.post(
            f"/admin/moderation/comments/action/{pk}/approve/", {}
        )
        approved.ok("approving")

    with step(site, "the home page shows the comment under the name only"):
        page = Browser(site.url).get("/").ok("the home page").text
        assert "Fresh site, first comment." in page and "Ada Lovelace" in page
        assert "ada.reader@example.com" not in page

    # Feedback, the customer's permission, a published testimonial -----------------
    with step(
        site, "an editor adds a Feedback page and a Testimonials page under Home"
    ):
        for model, title, slug, extra in [
            ("feedbackpage", "Tell us", "tell-us", {"thank_you": "Thank you!"}),
            ("testimonialspage", "Kind words", "kind-words", {}),
        ]:
            admin.post(
                f"/admin/pages/add/moderation/{model}/{ids['home']}/",
                {"title": title, "slug": slug, "action-publish": "1", **extra},
            ).ok(f"publishing the {model}")
            Browser(site.url).get(f"/{slug}/").ok(f"the published {model}")

    customer = Browser(site.url)
    with step(site, "a customer sends feedback"):
        form = customer.get("/tell-us/").ok("the feedback page")
        thanks = customer.post(
            "/tell-us/",
            form_data(
                form.text,
                name="Grace Okonkwo",
                email="grace@example.com",
                body="Superb bread, every single morning.",
                website="",
            ),
        ).ok("sending feedback")
        assert "Thank you!" in thanks.text, str(thanks)

    with step(site, "the editor drafts a testimonial and submits it for permission"):
        listing = admin.get("/admin/moderation/feedback/").ok("the feedback list")
        (feedback,) = set(
            re.findall(r"/admin/moderation/feedback/inspect/(\d+)/", listing.text)
        )
        edit = admin.post(f"/admin/moderation/feedback/draft/{feedback}/", {})
        edit.ok("drafting the testimonial")
        assert "/admin/moderation/testimonials/edit/" in edit.url, edit.url
        submitted = admin.post(
            edit.url,
            {
                "quote": "Superb bread.",
                "customer_name": "Grace Okonkwo",
                "attribution_style": "initial",
                "customer_email": "",
                "product": "",
                "feedback": feedback,
                "action-submit": "1",
            },
        ).ok("submitting to Testimonial permission")
        assert "/edit/" not in submitted.url, f"not submitted:\n{submitted}"

    with step(site, "the customer gets the permission email and says yes"):
        text = email_to(sink, "grace@example.com")
        assert "Superb bread." in text and "Grace O." in text, text
        link = link_in(text, site, "/comments/permission/")
        customer.get(link).ok("the permission page")
        customer.post(link, {"answer": "yes", "attribution_style": "full"}).ok("yes")

    with step(site, "the testimonial is on the host's Testimonials page"):
        page = Browser(site.url).get("/kind-words/").ok("the testimonials page").text
        assert "Superb bread." in page and "Grace Okonkwo" in page, page
        assert "grace@example.com" not in page
