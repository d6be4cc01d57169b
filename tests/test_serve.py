"""`policy serve`: a live preview; an edit to a clause or a catalog shows up on reload."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BASE_FILES, JURISDICTIONS_YML

from generator.cli import main

GERMAN_PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "who-we-are"
msgid "Who we are"
msgstr "Wer wir sind"

msgctxt "who-we-are"
msgid "{{ company.name }} runs this shop. Write to {{ contact.email }}."
msgstr "{{ company.name }} betreibt diesen Shop. Schreiben Sie an {{ contact.email }}."

msgctxt "data-we-collect"
msgid "The information we collect"
msgstr "Die Daten, die wir erheben"

msgctxt "data-we-collect"
msgid "We collect only what we need to deliver your order:"
msgstr "Wir erheben nur, was wir für die Lieferung Ihrer Bestellung brauchen:"

msgctxt "data-we-collect"
msgid "your name;"
msgstr "Ihren Namen;"

msgctxt "data-we-collect"
msgid "your delivery address."
msgstr "Ihre Lieferadresse."
"""

PO_PATH = "locales/de/LC_MESSAGES/policy.po"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, log: Path, seconds: float) -> str:
    """The page once it contains `text`; fails with the server's log if it never does."""
    deadline = time.monotonic() + seconds
    page = None
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and text in page:
            return page
        time.sleep(0.25)
    raise AssertionError(
        f"{text!r} never appeared at {url}.\nserver log:\n{log.read_text(encoding='utf-8')}"
    )


def defunct_children(pid: int) -> list[int]:
    """The processes `pid` started that have ended and that it has not waited for."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # pid (command) state ppid ...: the command may hold spaces and brackets.
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile
        if fields[0] == "Z" and int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_serve_shows_edits_to_clauses_and_catalogs_on_reload(make_project, tmp_path):
    project = make_project(
        {
            "policies/jurisdictions.yml": JURISDICTIONS_YML.replace(
                "name: Worldwide\n  languages: [en]", "name: Worldwide\n  languages: [en, de]"
            ),
            PO_PATH: GERMAN_PO,
        }
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    policy = Path(sys.executable).parent / "policy"
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [str(policy), "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project.root,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        page = wait_for(base + "global/en/", "Example Shop Ltd. runs this shop.", log, 90)
        # Every page of the preview says what it is, so that no screenshot passes for the site.
        assert '<aside class="md-banner">' in page
        assert "Preview of your working copy: not published." in page
        wait_for(base + "global/de/", "Example Shop Ltd. betreibt diesen Shop.", log, 5)

        project.write({PO_PATH: GERMAN_PO.replace("diesen Shop", "diesen Onlineshop")})
        wait_for(base + "global/de/", "Example Shop Ltd. betreibt diesen Onlineshop.", log, 60)

        who = BASE_FILES["policies/clauses/who.md"]
        project.write({"policies/clauses/who.md": who.replace("this shop", "this online shop")})
        page = wait_for(base + "global/en/", "Example Shop Ltd. runs this online shop.", log, 60)
        assert "runs this shop." not in page
        # What the builds forked has been waited for: no process of the preview's lingers dead.
        assert defunct_children(server.pid) == []

        project.write({"policies/clauses/who.md": who.replace("id: who-we-are", "id: [")})
        deadline = time.monotonic() + 60
        while "[yaml.syntax]" not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.25)
        assert "runs this online shop." in (fetch(base + "global/en/") or "")

        # Fixed: the preview says it shows the edits again.
        project.write({"policies/clauses/who.md": who.replace("this shop", "this web shop")})
        wait_for(base + "global/en/", "Example Shop Ltd. runs this web shop.", log, 60)
        after_error = log.read_text(encoding="utf-8").rpartition("[yaml.syntax]")[2]
        assert ": the preview shows your edits." in after_error, after_error
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    text = log.read_text(encoding="utf-8")
    assert server.returncode == 0, text
    assert "Traceback" not in text
    assert "The preview still shows the last version that built" in text
    assert "Stopped the preview." in text
    # One line for the edit, which no commit made yet (it used to be one line per jurisdiction,
    # each about "commit working tree" and its "commit subject").
    assert (
        "WARNING: policies/change.yml: your edits change the eu, global policies, but change.yml "
        "still describes the last change: the preview shows 'Uncommitted changes' as the "
        "summary. Rewrite change.yml before you commit. [version.undescribed]"
    ) in text.splitlines()
    assert "commit working tree" not in text


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1:99999", "'127.0.0.1:99999' has no port from 1 to 65535"),
        ("127.0.0.1:0", "'127.0.0.1:0' has no port from 1 to 65535"),
        ("shop.example:80", "'shop.example:80' is not IP:PORT"),
        ("8000", "'8000' is not IP:PORT"),
    ],
)
def test_serve_refuses_an_address_it_cannot_serve_on(make_project, address, why):
    # Before, a port over 65535 ended in a traceback when the server bound it.
    project = make_project()
    result = CliRunner().invoke(
        main, ["serve", "--project", str(project.root), "--dev-addr", address]
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"Invalid value for '--dev-addr': {why}" in result.stderr
    assert "Give one such as 127.0.0.1:8000." in result.stderr
