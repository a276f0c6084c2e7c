"""Checkers nobody here wrote, run by the test suite: the W3C Nu HTML checker
(``nu.py``) on every public page and HTML email the tests produce, and axe-core
(``axe.py``) in Chromium on every public page state and our admin pages.

Both come from npm, pinned in ``package.json`` and ``package-lock.json`` beside
this file; ``make install`` puts them in ``node_modules/`` here (``npm ci``).
Outside CI a missing checker skips what needs it, with the reason; in CI it fails.
"""

import shutil
from pathlib import Path

from tests import services

NODE_MODULES = Path(__file__).resolve().parent / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
INSTALL = "make install (npm ci in tests/checkers)"


def missing(path, what):
    """Why ``path`` cannot be used, or None."""
    if not path.exists():
        return f"{what} is not installed at {path}: run {INSTALL}"
    return None


def java_missing():
    if shutil.which("java") is None:
        return "Java is not installed (apt-get install default-jre-headless)"
    return missing(VNU_JAR, "The Nu HTML checker (npm vnu-jar)")


def require(problem):
    if problem:
        services.service_missing(problem)
