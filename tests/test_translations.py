"""The catalogues are complete and current: every string the app and the site
wrap is translated into every language the site offers, nothing fuzzy, and the
compiled ``.mo`` files Django reads say what the ``.po`` files say."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.packaging import tracked_files
from tests.services import BASE_DIR

OFFERED = [code for code, _name in settings.LANGUAGES if code != "en"]
DOMAINS = ["moderation", "blog"]  # blog/locale also holds templates/
CATALOGUES = [
    BASE_DIR / domain / "locale" / language / "LC_MESSAGES" / "django.po"
    for domain in DOMAINS
    for language in OFFERED
]


def catalogue_id(path):
    return "-".join(path.relative_to(BASE_DIR).parts[:3:2])


def test_every_offered_language_has_both_catalogues():
    assert OFFERED, "the site offers no language besides English"
    assert all(path.is_file() for path in CATALOGUES), [
        str(path) for path in CATALOGUES if not path.is_file()
    ]


@pytest.mark.parametrize("po", CATALOGUES, ids=catalogue_id)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(po):
    checked = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )

    assert checked.returncode == 0, checked.stderr
    # e.g. "604 translated messages." and nothing about fuzzy or untranslated
    assert checked.stderr.strip().endswith(" translated messages."), checked.stderr


@pytest.mark.parametrize("po", CATALOGUES, ids=catalogue_id)
def test_compiled_catalogue_says_what_its_po_says(po, tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)

    with open(po.with_suffix(".mo"), "rb") as kept, open(fresh, "rb") as made:
        assert gettext.GNUTranslations(kept)._catalog == (
            gettext.GNUTranslations(made)._catalog
        ), f"{po.with_suffix('.mo')} is stale: run `make messages`"


def test_makemessages_finds_no_string_the_catalogues_lack(tmp_path):
    """What `make messages` would write, in a copy of the checkout, holds the
    same strings as the catalogues here: none added, none gone."""
    copy = tmp_path / "checkout"
    for name in tracked_files():
        if (BASE_DIR / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(BASE_DIR / name, copy / name)
    subprocess.run(
        ["make", "--no-print-directory", "messages", f"VENV={Path(sys.prefix)}"],
        cwd=copy,
        check=True,
        capture_output=True,
    )

    for po in CATALOGUES:
        current = copy / po.relative_to(BASE_DIR)
        for have, want in [(po, current), (current, po)]:
            # msgcmp: does `have` hold every msgid of `want`?
            compared = subprocess.run(
                ["msgcmp", "--use-untranslated", str(have), str(want)],
                capture_output=True,
                text=True,
            )
            assert compared.returncode == 0, (
                f"{po.relative_to(BASE_DIR)} is not current: run `make messages` "
                f"and translate what it adds.\n{compared.stderr}"
            )
