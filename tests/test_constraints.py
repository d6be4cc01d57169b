"""constraints.txt pins the packages the site is built with (the same commit builds the same bytes
only with the same theme and libraries): each pin must be one pyproject.toml allows, every
dependency must be pinned, and the tests run with the pinned versions, so that what CI tests is
what the workflows publish with."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parent.parent


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, pinned = line.partition("==")
            assert pinned, f"constraints.txt: '{line}' is not pinned with =="
            pins[canonicalize_name(name)] = pinned
    return pins


def test_every_dependency_is_pinned_within_its_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _pins()
    for written in project["dependencies"]:
        requirement = Requirement(written)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not pinned in constraints.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {requirement.name} {pins[name]}, which pyproject.toml's "
            f"'{written}' does not allow"
        )


def test_the_tests_run_with_the_pinned_versions():
    wrong = {}
    for name, pinned in _pins().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            wrong[name] = (pinned, installed)
    assert not wrong, (
        "installed versions differ from constraints.txt (pinned, installed): "
        f"{wrong}; install with -c constraints.txt"
    )
