"""An entry of the build cache moved under another key (a cache restored or copied file by file,
another build's checkpoint put in place of this one's) keeps content that matches the sha256 in
its name: the name's sha256 is taken over the key too, so that such an entry is found damaged and
made again rather than published where it does not belong."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from conftest import Project
from histories import WHO_MD

from generator.build import BuildOptions, BuildSummary, build_site


def _build(project: Project, site: str, cache: Path | None) -> BuildSummary:
    options = BuildOptions(project_dir=project.root, cache=cache is not None, cache_dir=cache)
    return build_site(options, project.root / site)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _entries(folder: Path) -> list[Path]:
    """The entries of a cache folder: `<key>.<seal>`, the seal an XXH3-128 or a sha256."""
    return sorted(path for path in folder.rglob("*.*") if len(path.name) in (97, 129))


def _put_under(entry: Path, key: str, folder: Path | None = None) -> None:
    """Move an entry, content and name's sha256 as they are, under another key (in `folder`,
    by default its own)."""
    folder = folder or entry.parent.parent
    target = folder / key[:2] / f"{key}.{entry.name.partition('.')[2]}"
    target.parent.mkdir(exist_ok=True)
    entry.rename(target)


def _swap_two(folder: Path) -> int:
    """Move the first and the last entry of a cache folder under each other's keys; the number
    of entries it has."""
    entries = _entries(folder)
    assert len(entries) >= 4
    first, second = entries[0], entries[-1]
    first_key, second_key = first.name[:64], second.name[:64]
    _put_under(first, second_key)
    _put_under(second, first_key)
    return len(entries)


def test_framed_pages_moved_under_each_others_keys_are_framed_again(make_project, tmp_path, caplog):
    project = make_project()
    cache = tmp_path / "cache"
    _build(project, "cold", cache)
    pages = _swap_two(cache / "pages")
    caplog.set_level(logging.WARNING)
    warm = _build(project, "warm", cache)
    assert _tree(project.root / "warm") == _tree(project.root / "cold")
    assert warm.reused == pages - 2
    assert sum("is damaged; the page is rendered again" in r.message for r in caplog.records) == 2


def test_bodies_moved_under_each_others_keys_are_rendered_again(make_project, tmp_path, caplog):
    project = make_project()
    cache = tmp_path / "cache"
    _build(project, "cold", cache)
    _swap_two(cache / "bodies")
    shutil.rmtree(cache / "pages")  # every body is read
    caplog.set_level(logging.WARNING)
    _build(project, "warm", cache)
    assert _tree(project.root / "warm") == _tree(project.root / "cold")
    damaged = [r.message for r in caplog.records if "body cache" in r.message]
    assert len(damaged) == 2
    assert all("is damaged; the page is rendered again" in message for message in damaged)


def test_another_projects_checkpoint_in_place_of_this_ones_is_not_resumed(
    make_project, tmp_path, caplog
):
    project = make_project()
    other = make_project(name="other")
    other.commit("Other shop", {"policies/clauses/who.md": WHO_MD.replace("Write to", "Call")})
    project.commit("Same count", {"policies/clauses/who.md": WHO_MD.replace("Write", "write")})
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    _build(project, "cold", ours)
    _build(other, "site", theirs)
    [checkpoint] = _entries(ours / "history")
    [foreign] = _entries(theirs / "history")
    checkpoint.unlink()
    _put_under(foreign, checkpoint.name[:64], ours / "history")
    caplog.set_level(logging.WARNING)
    _build(project, "warm", ours)
    _build(project, "plain", None)
    assert _tree(project.root / "warm") == _tree(project.root / "plain")
    assert any("history cache" in r.message and "damaged" in r.message for r in caplog.records)
