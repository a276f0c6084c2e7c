"""Real Chromium for browser tests: Debian's, driven by Playwright's sync API.

Playwright never downloads a browser here. Its sync API keeps an asyncio loop
running in the test thread, so Django's "async unsafe" guard is switched off
while a browser is open (``DJANGO_ALLOW_ASYNC_UNSAFE``; only for these tests).
When a browser test fails, every page it had open is saved as a full-page
screenshot to ``test-artifacts/<test name>.png``.
"""

import os
import re
from pathlib import Path

import pytest

from tests import services

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = services.BASE_DIR / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium():
    """One Chromium per test module, with the async guard lifted only meanwhile."""
    if not Path(CHROMIUM).exists():
        services.service_missing(
            f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def new_context(chromium, live_server, request):
    """Make browser contexts (separate cookie jars: a commenter, an editor…)
    whose pages open relative URLs on the live server."""
    contexts = []

    def make(**options):
        context = chromium.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        save_screenshots(request.node.name, [p for c in contexts for p in c.pages])
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def save_screenshots(test_name, pages):
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", test_name)
    for number, open_page in enumerate(pages):
        suffix = f"-{number + 1}" if number else ""
        try:
            open_page.screenshot(path=ARTIFACTS / f"{name}{suffix}.png", full_page=True)
        except Exception as error:  # a crashed page must not hide the real failure
            print(f"No screenshot of {open_page.url}: {error}")


def remember_report(item, call, report):
    """Keep each phase's report on the test item, for the screenshot fixture."""
    setattr(item, f"rep_{report.when}", report)


def unlabelled_fields(page):
    """Visible inputs, textareas and selects with no label a screen reader announces."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input, textarea, select')]
            .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
            .filter(el => !(el.labels && el.labels.length)
                && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
            .map(el => el.outerHTML)"""
    )


SCRIPT_SPY = """
window.__executions = [];
for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
    const record = (...args) => { window.__executions.push([name, String(args[0])]); };
    Object.defineProperty(window, name, {value: record, writable: false});
}
"""


NOT_FOUND = "Failed to load resource"  # e.g. /favicon.ico; not script


def spy_on_script(page):
    """Record every call of alert/confirm/prompt/print/open, every dialog and every
    page error; returns the list the page's own calls are read into."""
    seen = []
    page.add_init_script(SCRIPT_SPY)
    page.on(
        "dialog",
        lambda dialog: (seen.append(("dialog", dialog.message)), dialog.dismiss()),
    )
    page.on("pageerror", lambda error: seen.append(("pageerror", str(error))))
    page.on(
        "console",
        lambda message: (
            seen.append(("console", message.text))
            if message.type == "error" and not message.text.startswith(NOT_FOUND)
            else None
        ),
    )
    return seen


def executions(page, seen):
    return [*page.evaluate("() => window.__executions || []"), *seen]
