"""The page cache: a rebuild renders only the pages whose content changed, and the cache never
changes the site (with or without it, with a damaged entry, after a configuration change)."""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import logging
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Project, change_yml
from histories import DATA_MD, GERMAN, WHO_MD, WITH_GERMAN, po
from hostile_helpers import bound_by_file_modes, run_policy
from sitemap_files import sitemap_pages

from generator import bodies as bodies_module
from generator import cache as cache_module
from generator import pages as pages_module
from generator import templating
from generator.build import BuildOptions, BuildSummary, build_site, make_site
from generator.cache import UNKEYED, PageCache, page_key
from generator.plugin import _cacheable
from generator.processes import read_message

POLICY = str(Path(sys.executable).parent / "policy")

DE_PO = "locales/de/LC_MESSAGES/policy.po"
EU_ONLY_MD = """\
---
id: eu-rights
title: Your rights in the EU
order: 30
jurisdictions: [eu]
---
You may ask us for a copy of your data.
"""
SITE_URL = "https://shop.example/privacy/"


def _project(make_project) -> Project:
    """Two jurisdictions in English and German, with a clause only the EU has, three versions."""
    german = {**GERMAN, ("eu-rights", "Your rights in the EU"): "Ihre Rechte in der EU"}
    german[("eu-rights", "You may ask us for a copy of your data.")] = (
        "Sie können eine Kopie Ihrer Daten verlangen."
    )
    project = make_project(
        {
            "policies/jurisdictions.yml": WITH_GERMAN,
            "policies/clauses/eu-rights.md": EU_ONLY_MD,
            DE_PO: po(german),
        }
    )
    mkdocs = project.read("mkdocs.yml").replace(
        "site_name: Privacy policy", f"site_name: Privacy policy\nsite_url: {SITE_URL}"
    )
    project.commit(
        "Clearer wording",
        {
            "mkdocs.yml": mkdocs,
            "policies/clauses/who.md": WHO_MD.replace("Write to", "E-mail"),
            "policies/change.yml": change_yml("Clearer wording.", "2026-01-02", "editorial"),
        },
    )
    return project


def _change_one_clause(project: Project) -> None:
    """Commit a change to one clause every document has: English gets a third version."""
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("We ask for your full name.", "2026-01-03"),
        },
    )


def _build(project: Project, cache: Path | None, site: str = "site", jobs: int = 1) -> BuildSummary:
    options = BuildOptions(
        project_dir=project.root,
        cache=cache is not None,
        cache_dir=cache,
        jobs=jobs,
    )
    return build_site(options, project.root / site)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _bodies(project: Project) -> dict[str, str]:
    """Each page's HTML as the pipeline renders it, before MkDocs frames it."""
    _, site = make_site(BuildOptions(project_dir=project.root))
    return {page.url: page.html for page in site.pages}


def _always_rendered(project: Project) -> set[str]:
    """The pages MkDocs renders at every build: those in the navigation or the search index."""
    _, site = make_site(BuildOptions(project_dir=project.root))
    return {page.url for page in site.pages if not _cacheable(page)}


@pytest.mark.parametrize("jobs", [1, 2])
def test_warm_rebuild_renders_only_the_pages_whose_content_changed(make_project, tmp_path, jobs):
    """With two processes, the bodies the cache lacks are rendered while MkDocs frames pages."""
    project = _project(make_project)
    cache = tmp_path / "cache"
    cold = _build(project, cache, jobs=jobs)
    assert cold.reused == 0
    assert len(cold.rendered) == cold.pages
    before = _bodies(project)

    _change_one_clause(project)
    warm = _build(project, cache, jobs=jobs)

    after = _bodies(project)
    changed = {url for url, html in after.items() if before.get(url) != html}
    assert set(warm.rendered) == changed | _always_rendered(project)
    assert warm.reused == warm.pages - len(warm.rendered) > 0
    # The English documents have a version 3; the version before it is no longer in force.
    for base in ("eu/en/", "global/en/"):
        assert {f"{base}v/3/", f"{base}changes/3/", f"{base}v/2/"} <= set(warm.rendered)
        assert f"{base}v/1/" not in warm.rendered
    # German lags behind: none of its versions or redlines is rendered again.
    assert not [url for url in warm.rendered if "/de/" in url and url.count("/") > 3]
    # The cache the previous commit left changes nothing: the same bytes as a build without it.
    _build(project, None, "plain")
    assert _tree(project.root / "site") == _tree(project.root / "plain")


def test_warm_rebuild_renders_the_bodies_of_only_the_pages_whose_content_changed(
    make_project, tmp_path, monkeypatch
):
    """Our templates run again only for the pages whose HTML changed: an archived version or a
    redline reads the same inputs from one build to the next, so its body comes from the cache."""
    from generator import pages

    project = _project(make_project)
    cache = tmp_path / "cache"
    _build(project, cache)
    before = _bodies(project)
    _change_one_clause(project)
    after = _bodies(project)
    rendered: list[str] = []
    render = pages._Renderer._render_template

    def recording(self, template, url, language, **context):  # noqa: ANN001, ANN202, ANN003
        rendered.append(url)
        return render(self, template, url, language, **context)

    monkeypatch.setattr(pages._Renderer, "_render_template", recording)
    _build(project, cache)
    changed = {url for url, html in after.items() if before.get(url) != html}
    assert len(rendered) == len(set(rendered))  # each at most once
    # Exactly those: the German documents, whose translation lags behind a little further,
    # show only that it lags (their page in force and change log), which has not changed.
    assert set(rendered) == changed
    # What a reader sees change when a third English version appears: its page and redline,
    # the version it replaces (no longer in force), the redline before (it now links to the
    # comparison of other versions), the document's own pages. The rest come from the cache.
    assert {"eu/en/v/3/", "eu/en/changes/3/", "eu/en/v/2/", "eu/en/changes/2/"} <= changed
    assert set(after) - set(rendered) == {
        "",
        "eu/en/v/1/",
        "global/en/v/1/",
        *(
            f"{doc}{page}"
            for doc in ("eu/de/", "global/de/")
            for page in ("", "changes/", "v/1/", "v/", "compare/", "history/")
        ),
    }


def test_a_change_to_one_jurisdiction_reuses_every_page_of_the_others(make_project, tmp_path):
    project = _project(make_project)
    cache = tmp_path / "cache"
    _build(project, cache)
    before = _bodies(project)
    project.commit(
        "EU rights, clearer",
        {
            "policies/clauses/eu-rights.md": EU_ONLY_MD.replace("a copy", "an electronic copy"),
            "policies/change.yml": change_yml("Electronic copies.", "2026-01-03"),
        },
    )
    warm = _build(project, cache)
    after = _bodies(project)
    changed = {url for url, html in after.items() if before.get(url) != html}
    assert set(warm.rendered) == changed | _always_rendered(project)
    assert not [url for url in warm.rendered if url.startswith("global/") and url.count("/") > 2]
    assert "eu/en/v/3/" in warm.rendered


def test_the_site_is_the_same_with_and_without_the_cache(make_project, tmp_path):
    project = _project(make_project)
    cache = tmp_path / "cache"
    _build(project, None, "plain")
    cold = _build(project, cache, "cold")
    warm = _build(project, cache, "warm")
    assert warm.reused == cold.pages - len(_always_rendered(project)) > 10
    plain = _tree(project.root / "plain")
    assert _tree(project.root / "cold") == plain
    assert _tree(project.root / "warm") == plain
    listed = sitemap_pages(project.root / "warm", SITE_URL)
    assert len(listed) == cold.pages
    assert f"{SITE_URL}eu/de/v/1/" in listed


def test_a_damaged_or_foreign_cache_entry_is_rendered_again(make_project, tmp_path, caplog):
    project = _project(make_project)
    cache = tmp_path / "cache"
    _build(project, None, "plain")
    _build(project, cache, "cold")
    entries = sorted((cache / "pages").rglob("*.*"))
    assert len(entries) > 10
    damaged, truncated, swapped = entries[0], entries[1], entries[2]
    damaged.write_bytes(damaged.read_bytes().replace(b"<html", b"<htm!", 1))
    truncated.write_bytes(truncated.read_bytes()[:100])
    swapped.write_bytes(entries[3].read_bytes())  # another page's bytes under this page's key
    warm = _build(project, cache, "warm")
    assert warm.reused == len(entries) - 3
    assert _tree(project.root / "warm") == _tree(project.root / "plain")
    assert sum("is damaged; the page is rendered again" in r.message for r in caplog.records) == 3
    # The damaged entries were replaced by good ones: the next build reuses every page again.
    again = _build(project, cache, "again")
    assert again.reused == len(entries)


def test_entries_sealed_by_an_older_version_are_never_read_and_go_quietly(
    make_project, tmp_path, caplog
):
    """Until 2026-11-29 every entry's name carried a sha256; sealed folders now carry XXH3-128.
    A cache an older version filled (CI restores whatever it saved) is a cache of misses, not of
    damaged entries: no warning, the pages rendered, the old files removed after the build."""
    project = _project(make_project)
    cache = tmp_path / "cache"
    cold = _build(project, cache, "cold")
    entries = [p for p in (cache / "pages").rglob("*.*") if p.is_file()]
    assert len(entries) > 10
    for entry in entries:
        key, _, seal = entry.name.partition(".")
        assert len(seal) == 32
        # The sha256 name an older version would have given the same entry.
        older = hashlib.sha256(key.encode() + b"\0" + entry.read_bytes()).hexdigest()
        entry.rename(entry.with_name(f"{key}.{older}"))
    caplog.set_level(logging.WARNING)
    warm = _build(project, cache, "warm")
    assert warm.reused == 0
    assert not caplog.records
    assert _tree(project.root / "warm") == _tree(project.root / "cold")
    kept = [p.name for p in (cache / "pages").rglob("*.*") if p.is_file()]
    assert len(kept) == cold.pages - len(_always_rendered(project))
    assert all(len(name.partition(".")[2]) == 32 for name in kept)
    again = _build(project, cache, "again")
    assert again.reused == len(kept)


def test_a_damaged_body_is_rendered_again(make_project, tmp_path, caplog):
    project = _project(make_project)
    cache = tmp_path / "cache"
    _build(project, None, "plain")
    _build(project, cache, "cold")
    bodies = sorted((cache / "bodies").rglob("*.*"))
    for body in bodies:
        body.write_bytes(body.read_bytes().replace(b"<", b"[", 1))
    # A page whose framed HTML is cached is written without its body being read.
    warm = _build(project, cache, "warm")
    assert _tree(project.root / "warm") == _tree(project.root / "plain")
    assert warm.reused > 10
    damaged = sum("body cache:" in r.message and "damaged" in r.message for r in caplog.records)
    assert damaged == warm.pages - warm.reused
    # Without the framed pages, every body is read: each damaged one is found and rendered again.
    shutil.rmtree(cache / "pages")
    caplog.clear()
    _build(project, cache, "again")
    assert _tree(project.root / "again") == _tree(project.root / "plain")
    damaged = sum("body cache:" in r.message and "damaged" in r.message for r in caplog.records)
    assert damaged == len(bodies) - (warm.pages - warm.reused)


def test_a_configuration_change_makes_every_page_render_again(make_project, tmp_path):
    project = _project(make_project)
    cache = tmp_path / "cache"
    _build(project, cache, "cold")
    mkdocs = project.read("mkdocs.yml") + "copyright: Example Shop Ltd.\n"
    project.write({"mkdocs.yml": mkdocs})
    rebuilt = _build(project, cache, "rebuilt")
    assert rebuilt.reused == 0
    _build(project, None, "plain")
    assert _tree(project.root / "rebuilt") == _tree(project.root / "plain")
    assert "Example Shop Ltd." in (project.root / "rebuilt/eu/en/v/1/index.html").read_text()


def test_what_templates_read_is_kept_for_the_next_build(
    make_project, tmp_path, monkeypatch, caplog
):
    """A body's key holds the values its templates read; telling which those are parses the
    templates, which a build does once and the next takes from the cache (unless the entry is
    damaged: then it parses them again)."""
    project = _project(make_project)
    cache = tmp_path / "cache"
    _build(project, None, "plain")
    _build(project, cache, "cold", jobs=2)  # told in the processes that sort the pages
    [entry] = (cache / "template-names").rglob("*.*")

    def parsed(template: str) -> None:
        raise AssertionError(f"{template} was parsed again")

    monkeypatch.setattr(pages_module, "template_names", parsed)
    warm = _build(project, cache, "warm", jobs=2)
    assert warm.reused > 10
    assert _tree(project.root / "warm") == _tree(project.root / "plain")
    monkeypatch.undo()
    entry.write_bytes(entry.read_bytes().replace(b"[", b"(", 1))
    _build(project, cache, "again")
    assert _tree(project.root / "again") == _tree(project.root / "plain")
    assert any("the templates are read again" in r.message for r in caplog.records)
    assert len(list((cache / "template-names").rglob("*.*"))) == 1


def test_the_cache_keeps_only_the_pages_of_the_last_build(make_project, tmp_path):
    project = _project(make_project)
    cache = tmp_path / "cache"
    cold = _build(project, cache)
    cacheable = cold.pages - len(_always_rendered(project))
    assert len(list((cache / "pages").rglob("*.*"))) == cacheable
    assert len(list((cache / "bodies").rglob("*.*"))) == cold.pages
    _change_one_clause(project)
    warm = _build(project, cache)
    assert len(list((cache / "pages").rglob("*.*"))) == warm.pages - len(_always_rendered(project))
    assert len(list((cache / "bodies").rglob("*.*"))) == warm.pages
    # One checkpoint of the history walk: after the newest commit.
    assert len(list((cache / "history").rglob("*.*"))) == 1
    # Every version's document.json, once.
    assert len(list((cache / "files").rglob("*.*"))) == warm.versions
    # The search index's parses of the clauses of the policies in force, in one entry.
    assert len(list((cache / "sections").rglob("*.*"))) == 1
    # The theme's templates and ours as Jinja compiled them, and the names ours read.
    assert list((cache / "templates").rglob("*.*"))
    ours = len(list(templating.TEMPLATES.glob("*.html")))
    assert len(list((cache / "body-templates").rglob("*.*"))) == ours
    assert len(list((cache / "template-names").rglob("*.*"))) == 1
    # The clause sections of each policy in force, the entries of each change log.
    assert len(list((cache / "clauses").rglob("*.*"))) == warm.documents
    assert len(list((cache / "changes").rglob("*.*"))) == warm.documents
    # What the check found in each catalog of the newest commit: the project's German one.
    assert len(list((cache / "catalogs").rglob("*.*"))) == 1
    folders = [
        "CACHEDIR.TAG",
        "bodies",
        "body-templates",
        "catalogs",
        "changes",
        "clauses",
        "files",
        "history",
        "pages",
        "sections",
        "template-names",
        "templates",
    ]
    assert sorted(p.name for p in cache.iterdir()) == folders


def test_a_clause_section_reads_only_what_keys_it():
    """A section is shared among a build's pages, and kept for the next build's policies in force,
    by its clause, last change, former ids and history's anchor (`pages.Section`), the link to
    its document's folder and its language: its template must read nothing else of the page
    (`link` and `date` are made from the page's address and language)."""
    assert templating.template_names("_clause.html") == {
        "ChangeType", "ahead", "base", "clause", "date", "event", "former_ids", "history_id", "link"
    }  # fmt: skip


def test_pages_rendered_again_take_their_unchanged_parts_from_the_build_before(
    make_project, tmp_path, monkeypatch
):
    """A policy in force rendered again takes the clause sections that did not change from the
    build before, a change log the entries of the versions that stand where they stood."""
    project = _project(make_project)
    cache = tmp_path / "cache"
    _build(project, cache, "cold")
    _change_one_clause(project)
    _build(project, None, "plain")
    found: list[tuple[object, bool]] = []
    real = bodies_module.KeptParts.find

    def find(self, part, up):  # noqa: ANN001, ANN202
        html = real(self, part, up)
        found.append((part, html is not None))
        return html

    monkeypatch.setattr(bodies_module.KeptParts, "find", find)
    _build(project, cache, "warm")  # in this process: jobs=1
    assert _tree(project.root / "warm") == _tree(project.root / "plain")
    # Rendered again: the changed clause, in the two English policies in force (global and EU);
    # every other section of theirs is the build before's.
    sections = [(p.clause.id, kept) for p, kept in found if isinstance(p, pages_module.Section)]
    assert sorted(sections) == [
        ("data-we-collect", False),
        ("data-we-collect", False),
        ("eu-rights", True),
        ("who-we-are", True),
        ("who-we-are", True),
    ]
    # The English change logs list a third version; the second no longer applies. The first
    # stands where it stood, and is the build before's. (The German ones lagged already, and
    # their bodies are the build before's whole.)
    entries = [
        (pages_module.document_url(*p.version.key), p.version.number, p.standing, kept)
        for p, kept in found
        if isinstance(p, pages_module.ChangeEntry)
    ]
    assert sorted(entries) == [
        ("eu/en/", 1, "past", True),
        ("eu/en/", 2, "past", False),
        ("eu/en/", 3, "in-force", False),
        ("global/en/", 1, "past", True),
        ("global/en/", 2, "past", False),
        ("global/en/", 3, "in-force", False),
    ]
    assert len(found) == len(sections) + len(entries)


def test_a_change_entry_reads_only_what_keys_it():
    """A change log's entry is kept for the next build's change log by its version, where the
    version stands, the link to its document's folder and its language: its macro takes the
    first three (and the page's `link` and `date`, made from its address and language), and its
    module is made from the language alone, in an environment where a name not given fails. So
    the template must read nothing else: the macros it imports are read with that module's
    values (`here` and `in_source` are theirs, set inside macros it does not call)."""
    assert templating.template_names("_change.html") == {
        "ChangeKind", "Edit", "date", "here", "in_source", "lang", "link", "wording"
    }  # fmt: skip
    template = templating.environment("en").get_template("_change.html")
    entry = template.make_module({"lang": None, "wording": None, "ChangeKind": None, "Edit": None})
    assert entry.entry.arguments == ("version", "standing", "base", "link", "date")


def test_version_texts_are_linked_from_the_cache_and_a_damaged_one_is_made_again(
    make_project, tmp_path, caplog, monkeypatch
):
    """A version's document.json is known by its sha256 (the version's hash) before it is made:
    a warm build links it from the cache instead of writing it, unless the entry is damaged."""
    project = _project(make_project)
    cache = tmp_path / "cache"
    _build(project, None, "plain")
    cold = _build(project, cache, "cold")
    texts = sorted((project.root / "cold").rglob("document.json"))
    assert len(texts) == cold.versions
    warm = _build(project, cache, "warm")
    assert _tree(project.root / "warm") == _tree(project.root / "plain")
    for text in texts:
        linked = project.root / "warm" / text.relative_to(project.root / "cold")
        assert linked.stat().st_ino == text.stat().st_ino
    entries = sorted((cache / "files").rglob("*.*"))
    assert len(entries) == warm.versions
    damaged, swapped = entries[0], entries[1]
    damaged.write_bytes(damaged.read_bytes().replace(b"clauses", b"CLAUSES", 1))
    # Another text under this one's key, with the other's seal: sound, but not it.
    other = entries[2]
    swapped.unlink()
    key, digest = swapped.name.split(".")[0], other.name.split(".")[1]
    shutil.copyfile(other, swapped.with_name(f"{key}.{digest}"))
    # Written in this process, so that the warning reaches the log captured here.
    monkeypatch.setattr("generator.plugin.can_fork", lambda: False)
    _build(project, cache, "again")
    assert _tree(project.root / "again") == _tree(project.root / "plain")
    assert (
        sum(
            "file cache:" in r.message and "is damaged; the file is made again" in r.message
            for r in caplog.records
        )
        == 2
    )
    # Both entries were made again: the next build links every text from the cache.
    entries = sorted((cache / "files").rglob("*.*"))
    assert all(hashlib.sha256(p.read_bytes()).hexdigest() == p.name[:64] for p in entries)
    assert len(entries) == warm.versions
    _build(project, cache, "last")
    linked = {p.stat().st_ino for p in (project.root / "last").rglob("document.json")}
    assert linked == {p.stat().st_ino for p in entries}


def test_pages_rendered_by_several_processes_make_the_same_site(make_project, tmp_path):
    project = _project(make_project)
    one = _build(project, None, "one", jobs=1)
    two = _build(project, None, "two", jobs=2)
    assert one.pages == two.pages
    assert _tree(project.root / "two") == _tree(project.root / "one")


def test_pages_are_rendered_in_this_process_while_other_threads_run(
    make_project, tmp_path, monkeypatch
):
    """The live preview serves pages from a thread while it builds; forking then could leave a
    worker stuck on a lock that thread held, so the pages are rendered without forking."""
    import threading

    project = _project(make_project)
    one = _build(project, None, "one", jobs=1)

    def no_fork() -> int:
        raise AssertionError("forked while another thread ran")

    monkeypatch.setattr(os, "fork", no_fork)
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)
    server.start()
    try:
        threaded = _build(project, None, "threaded", jobs=2)
    finally:
        stop.set()
        server.join()
    assert threaded.pages == one.pages
    assert _tree(project.root / "threaded") == _tree(project.root / "one")


def test_policy_build_reports_each_stage_and_the_pages_it_reused(make_project, tmp_path):
    project = _project(make_project)
    cache = tmp_path / "ci-cache"
    first = project.policy("build", "--cache-dir", str(cache))
    assert first.returncode == 0, first.stderr
    second = project.policy("build", "--cache-dir", str(cache))
    assert second.returncode == 0, second.stderr
    stages = [line.split(":")[0] for line in second.stdout.splitlines()]
    assert stages == ["history", "versions", "check", "render", "mkdocs", "write"]
    assert "history: 2 commits in " in second.stdout
    line = second.stderr.strip().splitlines()[-1]
    assert line.startswith("Built 4 documents, 6 versions, ")
    pages = int(line.split(" versions, ")[1].split(" pages")[0])
    reused = int(line.split("(")[1].split(" reused")[0])
    assert 0 < reused < pages
    assert f"mkdocs: {pages - reused} pages in " in second.stdout
    assert (cache / "CACHEDIR.TAG").is_file()
    assert not (project.root / ".policy-cache").exists()
    without = project.policy("build", "--no-cache", "--site-dir", "plain")
    assert without.returncode == 0, without.stderr
    assert "(0 reused)" in without.stderr
    assert _tree(project.root / "plain") == _tree(project.root / "site")


def test_mkdocs_build_uses_the_cache_option_of_mkdocs_yml(make_project):
    import subprocess
    import sys

    project = _project(make_project)
    mkdocs = Path(sys.executable).parent / "mkdocs"
    config = project.read("mkdocs.yml").replace(
        "  - policy\n", "  - policy:\n      cache_dir: build-cache\n"
    )
    project.write({"mkdocs.yml": config})
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    for _ in range(2):
        result = subprocess.run(
            [str(mkdocs), "build", "-q"], cwd=project.root, capture_output=True, text=True, env=env
        )
        assert result.returncode == 0, result.stderr
    assert list((project.root / "build-cache/pages").rglob("*.*"))
    assert not (project.root / ".policy-cache").exists()


def test_only_its_own_stale_scratch_folders_leave_the_cache_folder(make_project, tmp_path):
    # The cache folder is the user's choice, and may hold other folders: an old `build-tools`
    # folder was taken for a scratch folder left by an interrupted build, and deleted.
    project = _project(make_project)
    folder = tmp_path / "shared"
    theirs = folder / "build-tools"
    stale = folder / ".policy-build-left"
    for kept in (theirs, stale):
        kept.mkdir(parents=True)
        (kept / "file.txt").write_text("x", encoding="utf-8")
        os.utime(kept, (1_000_000, 1_000_000))
    result = project.policy("build", "--cache-dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert (theirs / "file.txt").read_text(encoding="utf-8") == "x"
    assert not stale.exists()
    assert not list(folder.glob(".policy-build-*"))  # this build's own is gone too


def test_files_an_interrupted_build_began_to_write_leave_the_cache(make_project, tmp_path):
    """An entry is written under a temporary name, then renamed: one a stopped build left is
    removed by the next build; one a running build is writing is not."""
    project = _project(make_project)
    cache = tmp_path / "cache"
    _build(project, cache, "cold")
    dead = subprocess.Popen(["true"])
    dead.wait()
    folder = next(path for path in (cache / "bodies").iterdir() if path.is_dir())
    left = folder / f".tmp-{dead.pid}-{'a' * 64}.{'b' * 64}"
    writing = folder / f".tmp-{os.getppid()}-{'c' * 64}.{'d' * 64}"  # pytest's parent runs
    for path in (left, writing):
        path.write_text("half written", encoding="utf-8")
    _build(project, cache, "warm")
    assert not left.exists()
    assert writing.exists()


def test_a_cache_folder_that_cannot_be_made_is_a_clear_error(make_project, tmp_path):
    project = _project(make_project)
    built = project.policy("build", "--no-cache")
    assert built.returncode == 0, built.stderr
    before = _tree(project.root / "site")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = project.policy("build", "--cache-dir", str(blocker / "cache"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{blocker / 'cache'}: cannot keep the build cache there (Not a directory). Give "
        "--cache-dir (or the plugin's cache_dir) a folder this user can write, or build with "
        "--no-cache. [build.cache-dir]"
    ]
    assert "Traceback" not in result.stderr + result.stdout
    assert _tree(project.root / "site") == before


def test_a_read_only_cache_folder_is_one_clear_error(make_project, tmp_path):
    # MkDocs used to add its own line to the error: "the site could not be built: Aborted with
    # a BuildError! [build]".
    prefix = bound_by_file_modes(tmp_path)
    project = _project(make_project)
    cache = tmp_path / "cache"
    assert project.policy("build", "--cache-dir", str(cache)).returncode == 0
    before = _tree(project.root / "site")
    cache.chmod(0o555)
    try:
        result = run_policy(prefix, project.root, "build", "--cache-dir", str(cache))
    finally:
        cache.chmod(0o755)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{cache}: cannot keep the build cache there (Permission denied). Give --cache-dir (or "
        "the plugin's cache_dir) a folder this user can write, or build with --no-cache. "
        "[build.cache-dir]"
    ]
    assert _tree(project.root / "site") == before


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cache_entry_that_is_a_folder_is_rendered_again(make_project, tmp_path, caplog, jobs):
    # Removing it as a damaged entry failed with IsADirectoryError.
    project = _project(make_project)
    cache = tmp_path / "cache"
    _build(project, None, "plain")
    _build(project, cache, "cold")
    # `<key>.<seal>`, the seal an XXH3-128 or a sha256 (see `EntryFolder.seal`).
    entries = [p for p in cache.rglob("*.*") if p.is_file() and len(p.name) in (97, 129)]
    assert len(entries) > 10
    for entry in entries:
        entry.unlink()
        entry.mkdir()
        (entry / "inside").write_text("x", encoding="utf-8")
    warm = _build(project, cache, "warm", jobs=jobs)
    assert warm.reused == 0
    assert _tree(project.root / "warm") == _tree(project.root / "plain")
    assert sum("is damaged" in r.message for r in caplog.records) > 10
    assert not [r.message for r in caplog.records if "cannot" in r.message]
    # Each folder was removed, and a good entry written in its place, also where another
    # process found it damaged.
    assert not [p for p in cache.rglob("*.*") if p.is_dir()]
    caplog.clear()
    again = _build(project, cache, "again", jobs=jobs)
    assert again.reused == warm.pages - len(_always_rendered(project))
    assert not [r.message for r in caplog.records if r.levelno >= logging.WARNING]


def test_cache_folders_that_are_files_cost_only_their_saving(make_project, tmp_path, caplog):
    # Making the folder of the body cache, or another part of the cache, failed with
    # FileExistsError.
    project = _project(make_project)
    cache = tmp_path / "cache"
    _build(project, None, "plain")
    _build(project, cache, "cold")
    parts = sorted(p.name for p in cache.iterdir() if p.is_dir())
    for part in parts:
        shutil.rmtree(cache / part)
        (cache / part).write_text("not a folder", encoding="utf-8")
    warm = _build(project, cache, "warm")
    assert warm.reused == 0
    assert _tree(project.root / "warm") == _tree(project.root / "plain")
    warnings = {r.message for r in caplog.records if r.levelno >= logging.WARNING}
    labels = {
        "bodies": "body",
        "body-templates": "template",
        "catalogs": "catalog",
        "changes": "body",
        "clauses": "body",
        "files": "file",
        "history": "history",
        "pages": "page",
        "sections": "search",
        "template-names": "body",
        "templates": "template",
    }
    assert sorted(parts) == sorted(labels)
    assert warnings == {
        f"{labels[part]} cache: cannot write to {cache / part} (it is a file); entries are not kept"
        for part in parts
    }


def test_cache_entries_that_cannot_be_removed_cost_only_the_pruning(make_project, tmp_path):
    # The cache's folders read-only (restored by another user, say): removing an entry the
    # build did not use, after a commit, failed with PermissionError.
    prefix = bound_by_file_modes(tmp_path)
    project = _project(make_project)
    cache = tmp_path / "cache"
    assert project.policy("build", "--cache-dir", str(cache)).returncode == 0
    _change_one_clause(project)
    assert project.policy("build", "--no-cache", "--site-dir", "plain").returncode == 0
    parts = sorted(p for p in cache.iterdir() if p.is_dir())
    for folder in [*parts, *(p for part in parts for p in part.iterdir() if p.is_dir())]:
        folder.chmod(0o555)
    try:
        result = run_policy(prefix, project.root, "build", "--cache-dir", str(cache))
    finally:
        for folder in cache.rglob("*"):
            if folder.is_dir():
                folder.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    removing = [line for line in result.stderr.splitlines() if "cannot remove" in line]
    for label, part in (("page", "pages"), ("body", "bodies")):
        assert (
            f"WARNING: {label} cache: cannot remove entries from {cache / part} (Permission "
            "denied); they are left there (delete the folder to clear it)"
        ) in removing
    # The history's new checkpoint cannot be written: the one it resumed from is kept.
    assert (
        f"WARNING: history cache: cannot write to {cache / 'history'} (Permission denied); "
        "entries are not kept"
    ) in result.stderr.splitlines()
    assert not any("history cache" in line for line in removing)
    assert _tree(project.root / "site") == _tree(project.root / "plain")


def test_a_cache_that_cannot_be_written_costs_only_the_saving(make_project, tmp_path, caplog):
    """Entries that cannot be written (a full or read-only volume): the build succeeds, and its
    site is the same."""

    project = _project(make_project)
    _build(project, None, "plain")

    def failing(target, data, same=None):  # noqa: ANN001, ANN202, ARG001
        raise OSError(28, "No space left on device")

    original = cache_module.write_atomically
    cache_module.write_atomically = failing
    try:
        full = _build(project, tmp_path / "cache", "full")
    finally:
        cache_module.write_atomically = original
    assert full.reused == 0
    assert _tree(project.root / "full") == _tree(project.root / "plain")
    warnings = [r.message for r in caplog.records if "entries are not kept" in r.message]
    assert sorted(warnings) == [
        f"{label} cache: cannot write to {tmp_path / 'cache' / folder} (No space left on device);"
        " entries are not kept"
        for label, folder in (
            ("body", "bodies"),
            ("body", "changes"),
            ("body", "clauses"),
            ("body", "template-names"),
            ("history", "history"),
            ("page", "pages"),
            ("search", "sections"),
            ("template", "body-templates"),
            ("template", "templates"),
        )
    ]


def test_bodies_rendered_while_mkdocs_frames_are_kept_for_the_next_build(make_project, tmp_path):
    """A first build with two processes sorts every page, then renders the bodies while MkDocs
    frames the pages before them: the site is the one a single process makes, and the cache it
    leaves serves the next build in full."""
    project = _project(make_project)
    cache = tmp_path / "cache"
    one = _build(project, None, "one", jobs=1)
    streamed = _build(project, cache, "streamed", jobs=2)
    assert _tree(project.root / "streamed") == _tree(project.root / "one")
    cacheable = streamed.pages - len(_always_rendered(project))
    assert len(list((cache / "pages").rglob("*.*"))) == cacheable
    assert len(list((cache / "bodies").rglob("*.*"))) == streamed.pages
    again = _build(project, cache, "again", jobs=2)
    assert again.reused == cacheable
    assert _tree(project.root / "again") == _tree(project.root / "one")
    assert one.pages == streamed.pages == again.pages


def test_framed_pages_are_kept_by_another_process_while_mkdocs_frames(
    make_project, tmp_path, monkeypatch
):
    project = _project(make_project)
    cache = tmp_path / "cache"
    kept_here: list[str] = []
    store = PageCache.store
    monkeypatch.setattr(
        PageCache,
        "store",
        lambda self, key, written: kept_here.append(key) or store(self, key, written),
    )
    cold = _build(project, cache)
    assert kept_here == []  # not one was left for this process to keep after MkDocs
    cacheable = set(cold.rendered) - _always_rendered(project)
    entries = {path.read_bytes() for path in (cache / "pages").rglob("*.*")}
    assert len(entries) == len(cacheable) > 10
    assert all(
        (project.root / "site" / url / "index.html").read_bytes() in entries for url in cacheable
    )
    again = _build(project, cache, "again")
    assert again.reused == len(cacheable)
    assert _tree(project.root / "again") == _tree(project.root / "site")


def test_pages_the_keeping_process_failed_to_keep_are_kept_after_the_build(
    make_project, tmp_path, monkeypatch, caplog
):
    project = _project(make_project)
    cache = tmp_path / "cache"

    def fail(self, requests, send):  # noqa: ANN001, ANN202, ARG001
        read_message(requests)  # pages handed over, and not kept
        raise OSError("no space left on device")

    monkeypatch.setattr(cache_module._Keeper, "_serve", fail)
    with caplog.at_level(logging.WARNING):
        cold = _build(project, cache)
    assert "kept after the build instead" in caplog.text and "no space left" in caplog.text
    again = _build(project, cache, "again")
    assert again.reused == len(set(cold.rendered) - _always_rendered(project))
    assert _tree(project.root / "again") == _tree(project.root / "site")


def test_a_body_that_fails_to_render_in_another_process_fails_the_build(
    make_project, tmp_path, monkeypatch
):
    """The failure of a process rendering bodies while MkDocs frames pages stops the build with
    that process's traceback; the previous site stays, and no process is left running."""
    from generator import pages, processes

    project = _project(make_project)
    _build(project, None, "site", jobs=1)
    before = _tree(project.root / "site")
    render = pages._Renderer._render_template

    def failing(self, template, url, language, **context):  # noqa: ANN001, ANN003, ANN202
        if url == "global/en/changes/2/":
            raise ValueError("cannot render this redline")
        return render(self, template, url, language, **context)

    monkeypatch.setattr(pages._Renderer, "_render_template", failing)
    with pytest.raises(processes.WorkerFailed, match="cannot render this redline"):
        _build(project, tmp_path / "cache", "site", jobs=2)
    assert _tree(project.root / "site") == before
    assert not processes._RUNNING


def test_pages_out_of_the_search_index_lose_the_attributes_the_theme_removes(
    make_project, monkeypatch
):
    """A page the search index leaves out gets its HTML after the theme's search plugin has
    seen it (which saves that plugin a scan of every page): should the HTML carry attributes the
    plugin removes, they are removed all the same, and our own pages carry none."""
    import re

    project = _project(make_project)
    _build(project, None, "plain")
    theirs = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")  # material/plugins/search/plugin.py
    pages = {p: p.read_text() for p in (project.root / "plain").rglob("index.html")}
    assert len(pages) > 20
    assert not [p for p, html in pages.items() if theirs.search(html)]

    render = pages_module._Renderer._render_template
    monkeypatch.setattr(
        pages_module._Renderer,
        "_render_template",
        lambda *args, **kwargs: render(*args, **kwargs) + '<p data-search-note="x">Marked</p>',
    )
    for jobs in (1, 2):  # removed where the body is rendered: here, or in another process
        _build(project, None, f"marked-{jobs}", jobs=jobs)
        for url in ("global/en/v/1/", "global/en/changes/2/", "global/en/"):  # the last is searched
            html = (project.root / f"marked-{jobs}" / url / "index.html").read_text()
            assert "<p>Marked</p>" in html and "data-search-note" not in html, url


def test_after_the_code_changed_every_page_is_rendered_again(make_project, tmp_path, monkeypatch):
    """Any module of the tool may shape a framed page (search_indexes.py gives its search
    index's address, say): a build after the tool changed reuses nothing, as after an upgrade."""
    from generator import bodies

    project = _project(make_project)
    cache = tmp_path / "cache"
    _build(project, cache, "cold", jobs=2)
    monkeypatch.setattr(bodies, "code_fingerprint", lambda packages: "other code")
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda packages: "other code")
    after = _build(project, cache, "after", jobs=2)
    assert after.reused == 0
    assert _tree(project.root / "after") == _tree(project.root / "cold")


def test_the_themes_compiled_templates_are_kept_checked_and_keyed_by_the_site(tmp_path, caplog):
    """MkDocs' templates are compiled once and loaded by the next build; a damaged entry is
    compiled again, and another site fingerprint (another configuration) compiles its own."""
    from jinja2 import DictLoader, Environment

    from generator.cache import TemplateCode

    sources = {"page.html": "{% for n in items %}<p>{{ n }}</p>{% endfor %}"}

    def render(fingerprint: str) -> tuple[str, int]:
        env = Environment(loader=DictLoader(sources), autoescape=True)
        env.bytecode_cache = TemplateCode(tmp_path, fingerprint)
        compiled = []
        compile_ = env.compile
        env.compile = lambda *a, **k: compiled.append(a) or compile_(*a, **k)  # type: ignore[method-assign]
        html = env.get_template("page.html").render(items=[1, "<2>"])
        env.bytecode_cache.finish()
        return html, len(compiled)

    expected = "<p>1</p><p>&lt;2&gt;</p>"
    assert render("site-a") == (expected, 1)
    assert render("site-a") == (expected, 0)  # loaded, not compiled
    (entry,) = (tmp_path / "templates").rglob("*.*")
    entry.write_bytes(entry.read_bytes()[:-8] + b"damaged!")
    assert render("site-a") == (expected, 1)
    assert any("template cache" in r.message and "damaged" in r.message for r in caplog.records)
    assert render("site-a") == (expected, 0)
    assert render("site-b") == (expected, 1)  # another configuration: compiled for itself
    sources["page.html"] = "<ul>" + sources["page.html"] + "</ul>"
    assert render("site-b") == ("<ul>" + expected + "</ul>", 1)  # the source changed


def test_the_page_templates_are_compiled_before_the_renderers_fork_and_kept(
    tmp_path, monkeypatch, caplog
):
    """`load_templates` compiles every page template in the build's process, which the processes
    rendering pages inherit, and keeps the code for the next build, which loads it instead; a
    damaged entry is compiled again, and other code compiles its own."""
    from jinja2 import Environment

    from generator.cache import TemplateCode

    templates = len(list(templating.TEMPLATES.glob("*.html")))
    compiled: list[str] = []
    compile_ = Environment.compile
    monkeypatch.setattr(
        Environment, "compile", lambda env, *a, **k: compiled.append(a[1]) or compile_(env, *a, **k)
    )

    def build(code: str, folder: str = "cache", new_process: bool = True) -> int:
        """A build: how many templates it compiles."""
        compiled.clear()
        if new_process:  # nothing compiled yet
            monkeypatch.setattr(templating, "_SHARED_CODE", templating._SharedCode())
            templating.environment.cache_clear()
        kept = TemplateCode(tmp_path / folder, code, "body-templates")
        templating.load_templates(kept)
        kept.finish()
        # What a process forked now renders with is compiled already.
        before = len(compiled)
        templating.environment("de").get_template("document.html")
        assert len(compiled) == before
        return before

    def kept(folder: str = "cache") -> list[Path]:
        return sorted((tmp_path / folder / "body-templates").rglob("*.*"))

    try:
        assert build("code-a") == templates
        assert build("code-a") == 0  # loaded, not compiled
        kept()[0].write_bytes(kept()[0].read_bytes()[:-8] + b"damaged!")
        assert build("code-a") == 1
        assert any("template cache" in r.message and "damaged" in r.message for r in caplog.records)
        assert build("code-b") == templates  # other code
        assert len(kept()) == templates  # code-a's were removed
        # Another build in the same process (a live preview) keeps what it compiled before.
        assert build("code-b", "other-cache", new_process=False) == 0
        assert len(kept("other-cache")) == templates
        assert build("code-b", "other-cache") == 0
    finally:
        templating.environment.cache_clear()  # the environments hold this test's code store


def _other(value: object) -> object:
    """A value of the same kind as `value` that differs from it."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, tuple):
        return (*value, value[0]) if value else (("x", "y"),)
    return f"{value or ''}x"


def test_everything_a_page_shows_beyond_its_body_is_in_its_cache_key():
    """A framed page is reused when its key is the same: the fields of a page reach its frame
    (title, table of contents, feed, the site's and the navigation's names...), so each must
    change the key, or a page kept in the cache would show what an earlier build said; its
    alternates too, though only the sitemaps list them now. Its body is in the key by its
    digest."""
    page = pages_module.Page(
        url="eu/de/v/1/",
        title="Version 1",
        title_html="Version 1",
        html="<p>body</p>",
        language="de",
        toc=(("who-we-are", "Wer wir sind"),),
        alternates=(("en", "eu/en/v/1/"),),
        feed="eu/de/feed.xml",
        site_name="Datenschutzerklärung",
        navigation=("Wählen Sie Ihre Region und Ihre Sprache", "Weltweit", "Europäische Union"),
    )
    key = page_key(page, "site", "body digest")
    fields = [f.name for f in dataclasses.fields(pages_module.Page) if f.name != "html"]
    assert "navigation" in fields and "site_name" in fields
    for name in fields:
        changed = dataclasses.replace(page, **{name: _other(getattr(page, name))})
        assert (page_key(changed, "site", "body digest") != key) is (name not in UNKEYED), name
    # The date the sitemaps give a page is the one field no framed page shows.
    assert {"modified"} == UNKEYED
    assert page_key(page, "site", "another body") != key
    assert page_key(page, "another site", "body digest") != key


def test_a_cache_filled_under_another_umask_gives_the_site_its_own_file_modes(
    make_project, tmp_path
):
    """A page or version text linked from the cache keeps the mode of the build that wrote it:
    a cache filled under umask 077 would give a site built under 022 files that a web server
    running as another user cannot read. Such an entry is copied instead, with the build's
    mode; every file of the site is as a build without the cache makes it, modes included."""
    project = _project(make_project)
    cache = tmp_path / "cache"

    def build(umask: str, site: str, *options: str) -> None:
        command = f"umask {umask} && exec {shlex.quote(POLICY)} build --site-dir {site} {' '.join(options)}"
        result = subprocess.run(
            ["sh", "-c", command], cwd=project.root, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr

    build("077", "private", "--cache-dir", str(cache))
    build("022", "public", "--cache-dir", str(cache))
    build("022", "plain", "--no-cache")

    def modes(site: str) -> dict[str, int]:
        root = project.root / site
        return {
            p.relative_to(root).as_posix(): p.stat().st_mode & 0o777
            for p in root.rglob("*")
            if p.is_file()
        }

    assert set(modes("private").values()) == {0o600}
    assert modes("public") == modes("plain")
    assert set(modes("public").values()) == {0o644}
    assert _tree(project.root / "public") == _tree(project.root / "plain")


def test_a_scratch_folder_left_by_a_killed_build_goes_with_the_next_build(make_project, tmp_path):
    """A build's scratch folder in the cache outlives it when it is killed; the next build
    removes it once no process holds its lock (the kernel lets go of it however a build ends),
    not a day later, and leaves that of a build still running, even one whose process this one
    cannot see (another container, another host sharing the cache)."""
    project = _project(make_project)
    cache = tmp_path / "cache"
    _build(project, cache)
    gone, alive, older = (cache / f"{cache_module.SCRATCH}{name}" for name in ("a", "b", "c"))
    for folder in (gone, alive, older):
        folder.mkdir()
        (folder / "spool-1").write_bytes(b"x" * 1000)
    (gone / "lock").touch()  # its build was killed: nobody holds it
    held = os.open(alive / "lock", os.O_CREAT | os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)  # as a build still running holds it
    try:
        _build(project, cache, "again")
    finally:
        os.close(held)
    assert not gone.exists()
    assert alive.exists()
    assert older.exists()  # no lock (an older version of the tool): kept for a day


def test_a_scratch_folder_is_never_seen_unlocked_by_another_build(tmp_path):
    """The folder takes the name other builds look for only once it is locked: a sweep running
    at any moment finds it held (it found folders whose lock file was made but not yet locked,
    and removed them in use)."""
    scratch, held = cache_module._locked_scratch(tmp_path)
    try:
        assert scratch.name.startswith(cache_module.SCRATCH)
        assert not cache_module._abandoned(scratch)
        assert list(tmp_path.glob(f"{cache_module._MAKING}*")) == []
    finally:
        os.close(held)
    assert cache_module._abandoned(scratch)
