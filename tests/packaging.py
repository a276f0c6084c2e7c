"""The wheel of this repository, as ``pip install`` of a clean checkout builds it."""

import shutil
import subprocess
import sys

from tests.services import BASE_DIR


def tracked_files():
    """The repository's files as a clean clone has them (no build leftovers,
    no virtualenvs, no local databases)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"],
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [name for name in listed.split("\0") if name]


def build_wheel(folder):
    """Build the wheel from a copy of the whole checkout (setuptools reuses a
    ``build/`` folder, which could hold files deleted since; the copy also holds
    blog/, config/ and tests/, so what stays out of the wheel stays out by rule)."""
    source = folder / "source"
    for name in tracked_files():
        if (BASE_DIR / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(BASE_DIR / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
        + ["--quiet", "--wheel-dir", str(folder / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (folder / "dist").glob("wagtail_vouch-*.whl")
    return wheel
