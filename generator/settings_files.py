"""The files of the project that shape the site and that the build reads from the folder as they
are, not from the commit: mkdocs.yml, the files it inherits (`INHERIT`), its hooks, the project's
modules the hooks import (and any other of the project's modules loaded by then, such as a plugin
installed from the project folder, with its package), the theme overrides (`custom_dir`), and this tool's own code
when it lies in the project folder.

Two things need the list, and both take it from here: the page cache's fingerprint (plugin.py),
which keys every framed page by these files' content, and the warning that one of them differs
from the last commit (build.py, `[git.uncommitted]`), since a build of the commit elsewhere (CI)
makes another site.

What a hook imports is found without running it: every `import` statement of a hook, wherever it
stands (a module imported at first call, inside a function, is found too), and of each module
found, resolved as Python would resolve it while MkDocs loads the hook (the hook's folder first).
A package of the project is taken whole, so that a module of it loaded by a name computed at run
time is in too. Not found: a module outside any package of the project loaded by a computed name
(`importlib.import_module`) after the configuration was loaded, and whatever a hook reads with
`open()`.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.machinery import ModuleSpec, PathFinder
from pathlib import Path
from typing import Any

from generator.cache import tree_files

SETTINGS_FILE = "mkdocs.yml"
"""The site's MkDocs settings, in the project folder."""

PACKAGE_DIR = Path(__file__).resolve().parent
"""This tool's code: in the page cache's fingerprint by itself (`cache.code_fingerprint`)."""


@dataclass(frozen=True, kw_only=True)
class SettingsFile:
    """A file the build reads from the folder that shapes the site."""

    label: str
    """Its name among the page cache's fingerprint parts: `mkdocs.yml`, `inherited/<path>`,
    `hook/<name>`, `module/<path>` or `custom_dir/<path>` (the path as the theme finds it)."""
    path: Path
    """The file itself, links resolved: what is read, and what git is asked about."""


@dataclass(frozen=True, kw_only=True)
class SettingsFiles:
    """The files that shape the site, read from the folder, and the folders read whole."""

    files: tuple[SettingsFile, ...]
    folders: tuple[Path, ...]
    """Folders read whole, links resolved: the theme overrides (and each linked folder in them),
    where a file removed is a change too, and this tool's code when it lies in the project."""

    @property
    def paths(self) -> tuple[Path, ...]:
        """The folders, and the files outside them: everything to compare with the commit."""
        outside = (
            f.path for f in self.files if not any(f.path.is_relative_to(d) for d in self.folders)
        )
        return (*self.folders, *outside)


def settings_files(config: Any) -> SettingsFiles:
    """The files of MkDocs' configuration `config` (loaded, hooks and plugins with it) that shape
    the site and are read from the folder."""
    config_file = Path(config.config_file_path)
    project = config_file.parent.resolve()
    files = [SettingsFile(label=SETTINGS_FILE, path=config_file.resolve())]
    files += [
        SettingsFile(label=f"inherited/{shown_path(path, project)}", path=path)
        for path in _inherited(config_file, config)
    ]
    hooks = [
        SettingsFile(label=f"hook/{name}", path=Path(hook.__file__).resolve())
        for name, hook in sorted((config.hooks or {}).items())
        if getattr(hook, "__file__", None)
    ]
    files += hooks
    listed = {f.path for f in files}
    files += [
        SettingsFile(label=f"module/{shown_path(path, project)}", path=path)
        for path in _modules([h.path for h in hooks], project, config_file.parent.absolute())
        if path not in listed
    ]
    folders = []
    custom = config.theme.custom_dir
    if custom:
        found, walked = tree_files(Path(custom))
        files += [
            SettingsFile(label=f"custom_dir/{name}", path=path.resolve()) for name, path in found
        ]
        folders += walked
    if PACKAGE_DIR.is_relative_to(project):
        folders.append(PACKAGE_DIR)
    return SettingsFiles(files=tuple(files), folders=tuple(folders))


def shown_path(path: Path, project: Path) -> str:
    """A path as labels and messages name it: from the project folder when it is inside."""
    return path.relative_to(project).as_posix() if path.is_relative_to(project) else str(path)


def _inherited(config_file: Path, config: Any) -> list[Path]:
    """The files mkdocs.yml inherits (`INHERIT`), each from the one before, links resolved."""
    chain: list[Path] = []
    current = config_file
    while (parent := _inherits(current, config)) is not None:
        current = Path(os.path.normpath(current.parent / parent))
        real = current.resolve()
        if real in chain or real == config_file.resolve():
            break  # MkDocs would not have loaded it: nothing more to find
        chain.append(real)
    return chain


def _inherits(path: Path, config: Any) -> str | None:
    """The file a settings file names as `INHERIT`, if any. Its YAML is composed, not read:
    MkDocs' loader, pure Python, took 1.5 ms of a small mkdocs.yml, which MkDocs and the
    fingerprint's `settings` read already; a value with a tag (`!ENV`) is read as MkDocs reads
    it."""
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader

    data = path.read_bytes()
    if b"INHERIT" not in data:
        return None
    composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    node = yaml.compose(data, Loader=composer)  # noqa: S506 (composes nodes, constructs nothing)
    value = next(
        (v for k, v in getattr(node, "value", ()) if getattr(k, "value", None) == "INHERIT"),
        None,
    )
    if isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:str":
        return value.value
    with open(path, "rb") as file:  # named: `!relative` reads the file's folder
        settings = yaml.load(file, Loader=get_yaml_loader(config=config))  # noqa: S506 (MkDocs')
    parent = settings.get("INHERIT") if isinstance(settings, dict) else None
    return parent if isinstance(parent, str) else None


def _modules(hooks: list[Path], project: Path, given: Path) -> list[Path]:
    """The project's Python files the hooks import, and those of the project's modules loaded
    now (`given`: the project folder as its modules' names may spell it); a package whole.
    Sorted."""
    loaded = dict(_loaded(project, given))
    # A loaded module's package is taken whole too, as an imported one is.
    for top in sorted({package.split(".")[0] for package in loaded.values() if package}):
        for spec in _specs(top, ""):
            loaded.update(_files(spec, project))
    found = set(loaded)
    to_read = [(hook, None, str(hook.parent)) for hook in hooks]
    to_read += [(path, package, "") for path, package in loaded.items()]
    while to_read:
        path, package, first = to_read.pop()
        for name in _imports(path, package):
            for spec in _specs(name, first):
                for module, its_package in _files(spec, project):
                    if module not in found:
                        found.add(module)
                        to_read.append((module, its_package, first))
    return sorted(found)


def _loaded(project: Path, given: Path) -> Iterator[tuple[Path, str | None]]:
    """The project's modules loaded now (by a hook, a plugin installed from the project folder),
    with their package's name. Names are compared as text first, and only those of the project
    resolved: resolving each of the thousand or so modules loaded (a virtual environment kept in
    the project folder has most of them) took 30 ms."""
    inside = tuple({str(project) + os.sep, str(given) + os.sep})
    installed = tuple(
        named
        for folder in _installed(raw=True)
        if (named := str(folder) + os.sep).startswith(inside)
    )
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if (
            isinstance(file, str)
            and file.endswith(".py")
            and file.startswith(inside)
            and not file.startswith(installed)
        ):
            path = Path(file).resolve()
            if _in_project(path, project):
                yield path, getattr(module, "__package__", None)


def _imports(path: Path, package: str | None) -> Iterator[str]:
    """The modules a Python file imports, anywhere in it, by their full names (a name imported
    from a module may be a module too)."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return  # MkDocs loaded it, or it is never run: nothing to learn from it
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                if not package:
                    continue
                parts = package.split(".")
                if node.level - 1 > len(parts) - 1:
                    continue
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            if base:
                yield base
                yield from (f"{base}.{alias.name}" for alias in node.names if alias.name != "*")


def _specs(name: str, first: str) -> Iterator[ModuleSpec]:
    """Where Python finds the module `name` and each package on the way to it: the module
    loaded under that name, else on the path with `first` (a hook's folder) ahead of it. Nothing
    is imported to tell."""
    parts = name.split(".")
    spec = _spec(parts[0], first)
    for index in range(1, len(parts) + 1):
        if spec is None:
            return
        yield spec
        locations = spec.submodule_search_locations
        if index == len(parts) or not locations:
            return
        full = ".".join(parts[: index + 1])
        loaded = sys.modules.get(full)
        spec = getattr(loaded, "__spec__", None) or PathFinder.find_spec(full, list(locations))


def _spec(name: str, first: str) -> ModuleSpec | None:
    """Where Python finds the top-level module `name` (see `_specs`). A folder without
    `__init__.py` in `first` is a namespace package only if no module of that name is anywhere
    on the path, as Python decides."""
    loaded = sys.modules.get(name)
    if loaded is not None:
        return getattr(loaded, "__spec__", None)
    try:
        spec = PathFinder.find_spec(name, [first]) if first else None
        if spec is None or spec.origin is None:
            spec = importlib.util.find_spec(name) or spec
    except (ImportError, ValueError):
        return None
    return spec


def _files(spec: ModuleSpec, project: Path) -> Iterator[tuple[Path, str | None]]:
    """The project's files of a module: its file, or a package's every Python file, each with
    its package's name; nothing of a module outside the project."""
    if spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if not _in_project(Path(location).resolve(), project):
                continue
            for name, path in tree_files(Path(location))[0]:
                if name.endswith(".py"):
                    inner = name.split("/")[:-1]  # a module's package, or a package itself
                    yield path.resolve(), ".".join([spec.name, *inner])
    elif spec.has_location and spec.origin and spec.origin.endswith(".py"):
        path = Path(spec.origin).resolve()
        if _in_project(path, project):
            yield path, spec.parent or None


def _in_project(path: Path, project: Path) -> bool:
    """Whether a Python file is the project's own: in its folder, but not in this tool's code
    (keyed by itself) or an environment's installed packages (a virtual environment kept in the
    project folder; keyed by their versions). Only such folders inside the project count: a
    project kept under Python's own folder (/usr/src/app, Python's prefix being /usr) is the
    project's all the same."""
    return path.is_relative_to(project) and not any(
        path.is_relative_to(root) for root in _installed() if root.is_relative_to(project)
    )


@lru_cache(maxsize=2)
def _installed(raw: bool = False) -> tuple[Path, ...]:
    """The folders of this tool's code, of Python's and of the installed packages; `raw`: also
    as Python names them, links unresolved (as its modules' names spell them)."""
    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths = sysconfig.get_paths()
    folders |= {
        paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib") if key in paths
    }
    found = {Path(f).resolve() for f in folders if f}
    if raw:
        found |= {Path(os.path.abspath(f)) for f in folders if f}
    return (PACKAGE_DIR, *sorted(found))
