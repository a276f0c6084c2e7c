"""What ``pip install`` of this repository gives a host site: the app
(``moderation``) with everything it runs on, and nothing of this repository's
own site, benchmarks or tests."""

import email
import zipfile

import pytest
from packaging.requirements import Requirement

from tests.packaging import build_wheel, tracked_files

SITE_ONLY = ("blog/", "config/", "bench/", "tests/", "templates/", "static/")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    with zipfile.ZipFile(build_wheel(tmp_path_factory.mktemp("wheel"))) as built:
        yield built


def test_the_wheel_holds_every_file_of_the_app(wheel):
    app_files = {
        name
        for name in tracked_files()
        if name.startswith("moderation/") and not name.endswith(".pyc")
    }
    missing = sorted(app_files - set(wheel.namelist()))
    # Templates, static files, migrations and management commands included.
    assert any(name.endswith(".html") for name in app_files)
    assert any(name.endswith(".css") for name in app_files)
    assert not missing, f"the wheel lacks {missing}"


def test_the_wheel_holds_nothing_of_this_repositorys_own_site(wheel):
    site_files = [name for name in wheel.namelist() if name.startswith(SITE_ONLY)]
    assert not site_files


def test_the_wheel_declares_what_it_supports(wheel):
    (metadata_name,) = [
        name for name in wheel.namelist() if name.endswith(".dist-info/METADATA")
    ]
    metadata = email.message_from_bytes(wheel.read(metadata_name))
    assert metadata["Name"] == "wagtail-vouch"
    assert metadata["License-Expression"] == "BSD-3-Clause"
    assert metadata["Requires-Python"] == ">=3.11"
    classifiers = metadata.get_all("Classifier")
    for supported in (
        "Framework :: Wagtail :: 7",
        "Framework :: Wagtail :: 8",
        "Framework :: Django :: 5.2",
        "Framework :: Django :: 6.0",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.13",
    ):
        assert supported in classifiers
    requires = {
        requirement.name.lower(): requirement.specifier
        for requirement in map(Requirement, metadata.get_all("Requires-Dist"))
    }
    for name, versions in {
        "wagtail": ["7.4", "8.0.1"],
        "django": ["5.2", "6.0.1"],
    }.items():
        assert all(requires[name].contains(version) for version in versions)
