"""The hostile corpora in tests/data: XSS payloads gathered from public lists, and
tricky email addresses with their encoded forms (the first line of each file says more)."""

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

DATA = Path(__file__).parent / "data"
ESCAPE = re.compile(r"\\(\\|n|r|x[0-9a-fA-F]{2})")
BANNED_TAGS = {"script", "style", "iframe", "object", "embed"}
BANNED_SCHEMES = ("javascript:", "vbscript:", "data:")


def xss_payloads():
    def unescape(match):
        code = match.group(1)
        return {"\\": "\\", "n": "\n", "r": "\r"}.get(code) or chr(int(code[1:], 16))

    lines = (DATA / "xss-payloads.txt").read_text(encoding="utf-8").split("\n")
    return [
        ESCAPE.sub(unescape, line)
        for line in lines
        if line and not line.startswith("#")
    ]


def email_probes():
    lines = (DATA / "email-leak-probes.txt").read_text(encoding="utf-8").splitlines()
    # QUOTE_NONE: a probe like ``"a@b"@example.net`` keeps its quotes.
    return list(csv.DictReader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE))


def probe_hits(text, probes):
    """Every (address, column, value) of ``probes`` found in ``text``."""
    hits = []
    lowered = text.lower()
    for row in probes:
        for column, value in row.items():
            if not value:
                continue
            if column.startswith("base64"):
                found = any(part and part in text for part in value.split("|"))
            else:
                found = value.lower() in lowered
            if found:
                hits.append((row["address"], column, value))
    return hits


def database_dump():
    """Every row of every table, and every email still waiting, in clear: where
    to look for an address that should be gone."""
    from django.core.management import call_command

    from moderation.outbox.models import OutboxEmail
    from moderation.sealing import unseal

    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    sealed = [
        json.dumps(unseal(email.sealed_message), ensure_ascii=False)
        for email in OutboxEmail.objects.exclude(sealed_message="")
    ]
    return out.getvalue() + "\n".join(sealed)


class DangerFinder(HTMLParser):
    """Collects what could run script in a browser."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in BANNED_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            cleaned = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if cleaned.startswith(BANNED_SCHEMES):
                self.found.append(f"<{tag} {name}={value!r}>")


def dangers(html):
    finder = DangerFinder()
    finder.feed(html)
    finder.close()
    return finder.found
