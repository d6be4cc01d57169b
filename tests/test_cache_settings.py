"""The page cache's site fingerprint covers everything of the MkDocs configuration that reaches a
framed page, beyond mkdocs.yml's own bytes: the file it inherits, the environment's values it
names, its hooks' code and the project's modules they import (at first call too), the theme
overrides (in linked folders too), and the build's date when an override, a hook or a module it
imports can show it (by MkDocs' names for it, or SOURCE_DATE_EPOCH). After a change to any of
them, a build with the previous build's cache makes the site a build without a cache makes."""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Project
from mkdocs.config.config_options import Hooks
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugins

from generator.build import BuildOptions, BuildSummary, build_site

HOOK = """\
def on_post_page(output, page, config):
    return output.replace("</body>", "<!-- hook: first --></body>")
"""


def _build(project: Project, site: str, cache: Path | None) -> BuildSummary:
    options = BuildOptions(project_dir=project.root, cache=cache is not None, cache_dir=cache)
    return build_site(options, project.root / site)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _rebuilt(project: Project, site: str, cache: Path, cold: BuildSummary, marker: bytes) -> None:
    """Build into `site` with the cache the `cold` build left, after a change that `marker` shows
    on every page: nothing is reused, and the site is the one a build without a cache makes,
    whose archived versions' pages show `marker`."""
    rebuilt = _build(project, site, cache)
    _build(project, "plain", None)
    plain = _tree(project.root / "plain")
    assert _tree(project.root / site) == plain
    archived = [data for name, data in plain.items() if name.endswith("/v/1/index.html")]
    assert archived and all(marker in data for data in archived)
    assert rebuilt.reused == 0 < cold.pages


def _with_theme(project: Project, setting: str) -> str:
    """mkdocs.yml with `setting` added under `theme:`."""
    return project.read("mkdocs.yml").replace("theme:\n", f"theme:\n  {setting}\n", 1)


def _inherit(project: Project) -> None:
    project.write(
        {
            "shared.yml": "copyright: first\n",
            "mkdocs.yml": "INHERIT: shared.yml\n" + project.read("mkdocs.yml"),
        }
    )


def _hook(project: Project) -> None:
    project.write(
        {"hooks.py": HOOK, "mkdocs.yml": project.read("mkdocs.yml") + "hooks: [hooks.py]\n"}
    )


def _edit_hook(project: Project) -> None:
    project.write({"hooks.py": HOOK.replace("first", "second")})
    # MkDocs loads a hook once per process (`policy build` is a process of its own).
    Hooks._load_hook.cache_clear()


HELPER = """\
def mark(output):
    return output.replace("</body>", "<!-- helper: first --></body>")
"""


def _hook_module(project: Project) -> None:
    """A hook that imports a module of the project beside it when MkDocs loads it."""
    project.write(
        {
            "hooks.py": "import shop_helpers\n\n\n"
            "def on_post_page(output, page, config):\n"
            "    return shop_helpers.mark(output)\n",
            "shop_helpers.py": HELPER,
            "mkdocs.yml": project.read("mkdocs.yml") + "hooks: [hooks.py]\n",
        }
    )


def _hook_package(project: Project) -> None:
    """A hook in a folder of its own that imports a package of the project, and a module of it
    only when first called."""
    project.write(
        {
            "hooks/main.py": "import shop_package\n\n\n"
            "def on_post_page(output, page, config):\n"
            "    from shop_package.marks import mark\n\n"
            "    return mark(output)\n",
            "hooks/shop_package/__init__.py": "",
            "hooks/shop_package/marks.py": HELPER,
            "mkdocs.yml": project.read("mkdocs.yml") + "hooks: [hooks/main.py]\n",
        }
    )


def _dated_hook_module(project: Project) -> None:
    """A hook whose imported module shows the build's date."""
    project.write(
        {
            "hooks.py": "import shop_stamp\n\n\n"
            "def on_post_page(output, page, config):\n"
            "    return shop_stamp.stamp(output)\n",
            "shop_stamp.py": "from mkdocs.utils import get_build_date\n\n\n"
            "def stamp(output):\n"
            '    return output.replace("</body>", f"<!-- {get_build_date()} --></body>")\n',
            "mkdocs.yml": project.read("mkdocs.yml") + "hooks: [hooks.py]\n",
        }
    )


def _hook_reading(expression: str) -> Callable[[Project], None]:
    """A hook that shows the build's date as `expression` gives it (no name of MkDocs' date
    values in it)."""

    imports = "import os\n\nfrom mkdocs.utils import get_build_timestamp\n"
    if "get_build_timestamp" not in expression:
        imports = "import os\n"

    def prepare(project: Project) -> None:
        project.write(
            {
                "hooks.py": imports + "\n\n"
                "def on_post_page(output, page, config):\n"
                f'    return output.replace("</body>", f"<!-- {{{expression}}} --></body>")\n',
                "mkdocs.yml": project.read("mkdocs.yml") + "hooks: [hooks.py]\n",
            }
        )

    return prepare


def _edit_module(project: Project, path: str) -> None:
    project.write({path: project.read(path).replace("first", "second")})
    # MkDocs loads a hook once per process, and Python a module (`policy build` is a process of
    # its own): the next build loads both again.
    Hooks._load_hook.cache_clear()
    _forget_modules()


PROJECT_MODULES = ("shop_helpers", "shop_package", "shop_package.marks", "shop_stamp")
"""The modules of the projects' hooks: each project has its own."""


def _forget_modules() -> None:
    for name in PROJECT_MODULES:
        sys.modules.pop(name, None)


@pytest.fixture
def forget_modules():  # noqa: ANN201
    """The projects' modules are imported anew by the next test, from its own project."""
    _forget_modules()
    yield
    _forget_modules()


def _environment(project: Project) -> None:
    copyright_ = "copyright: !ENV [POLICY_TEST_COPYRIGHT, first]\n"
    project.write({"mkdocs.yml": project.read("mkdocs.yml") + copyright_})


def _dated_footer(project: Project) -> None:
    footer = "<footer>first, built {{ build_date_utc }}</footer>\n"
    project.write(
        {
            "overrides/partials/footer.html": footer,
            "mkdocs.yml": _with_theme(project, "custom_dir: overrides"),
        }
    )


def _linked_footer(project: Project) -> None:
    """A theme override in a linked folder (shared by several sites, say)."""
    project.write(
        {
            "shared/partials/footer.html": "<footer>first</footer>\n",
            "mkdocs.yml": _with_theme(project, "custom_dir: overrides"),
        }
    )
    (project.root / "overrides").mkdir()
    (project.root / "overrides/partials").symlink_to("../shared/partials")


SETTINGS = {
    # an edit of the inherited file, mkdocs.yml untouched
    "inherited": (
        _inherit,
        lambda project, _: project.write({"shared.yml": "copyright: second\n"}),
    ),
    # an edit of a hook's code, mkdocs.yml untouched
    "hook": (_hook, lambda project, _: _edit_hook(project)),
    # an edit of a module of the project a hook imports, the hook untouched
    "hook's module": (_hook_module, lambda project, _: _edit_module(project, "shop_helpers.py")),
    # an edit of a module of the project's package a hook imports at its first call
    "hook's module imported when called": (
        _hook_package,
        lambda project, _: _edit_module(project, "hooks/shop_package/marks.py"),
    ),
    # an edit of an override in a linked folder, mkdocs.yml and the overrides folder untouched
    "linked override": (
        _linked_footer,
        lambda project, _: project.write(
            {"shared/partials/footer.html": "<footer>second</footer>\n"}
        ),
    ),
    # another value of the variable mkdocs.yml reads with !ENV
    "environment": (
        _environment,
        lambda _, monkeypatch: monkeypatch.setenv("POLICY_TEST_COPYRIGHT", "second"),
    ),
    # the next day, shown by a theme override (an announced change taking effect dates it too)
    "build date": (
        _dated_footer,
        lambda project, monkeypatch: monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767355200"),
    ),
    # the next day, shown by a module a hook imports
    "build date in a hook's module": (
        _dated_hook_module,
        lambda project, monkeypatch: monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767355200"),
    ),
    # the next day, shown by a hook with MkDocs' timestamp function
    "build timestamp in a hook": (
        _hook_reading("get_build_timestamp()"),
        lambda project, monkeypatch: monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767355200"),
    ),
    # the next day, shown by a hook from the variable that dates the build
    "build date variable in a hook": (
        _hook_reading("os.environ['SOURCE_DATE_EPOCH']"),
        lambda project, monkeypatch: monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767355200"),
    ),
    # half an hour later the same day (a build dated by a newer commit of that day, say): the
    # override shows the time too
    "build time": (
        _dated_footer,
        lambda project, monkeypatch: monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767270600"),
    ),
}


@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.usefixtures("forget_modules")
def test_a_setting_outside_mkdocs_yml_changes_the_framed_pages_with_the_cache_too(
    make_project, tmp_path, monkeypatch, setting
):
    prepare, change = SETTINGS[setting]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767268800")  # 2026-01-01 12:00 UTC
    monkeypatch.delenv("POLICY_TEST_COPYRIGHT", raising=False)
    project = make_project()
    prepare(project)
    cache = tmp_path / "cache"
    cold = _build(project, "cold", cache)
    warm = _build(project, "warm", cache)
    assert warm.reused == cold.pages - len(warm.rendered) > 0
    change(project, monkeypatch)
    changed = _build(project, "changed", cache)
    _build(project, "plain", None)
    plain = _tree(project.root / "plain")
    assert _tree(project.root / "changed") == plain
    # The change shows on the pages the cache kept (an archived version's, say).
    before = _tree(project.root / "cold")
    assert any(plain[name] != before[name] for name in plain if name.endswith("/v/1/index.html"))
    # What did not change keeps the cache useful: the next build reuses them again.
    assert changed.reused == 0
    assert _build(project, "again", cache).reused == warm.reused


@pytest.mark.usefixtures("forget_modules")
def test_a_module_of_a_project_kept_under_pythons_own_folder_keys_the_pages_too(
    make_project, tmp_path, monkeypatch
):
    """A project checked out under the folder Python is installed in (/usr/src/app, with
    Debian's Python in /usr, in a virtual environment or not): the modules its hooks import are
    the project's all the same. Python's installation folders were left out whole, so every
    module of such a project was, and an edit of one kept the old frames."""
    from generator import settings_files

    monkeypatch.setattr(sys, "base_prefix", str(tmp_path))  # as /usr is to /usr/src/app
    settings_files._installed.cache_clear()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767268800")
    project = make_project()
    _hook_module(project)
    cache = tmp_path / "cache"
    cold = _build(project, "cold", cache)
    _edit_module(project, "shop_helpers.py")
    _rebuilt(project, "edited", cache, cold, b"<!-- helper: second -->")
    monkeypatch.undo()
    settings_files._installed.cache_clear()


PLUGIN = """\
from mkdocs.plugins import BasePlugin


class Marking(BasePlugin):
    def on_post_page(self, output, page, config):
        return output.replace("</body>", "<!-- marking %s --></body>")
"""


def _install_plugin(root: Path, version: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin distribution, `marking`, installed under `root` at `version`."""
    for old in root.glob("marking-*.dist-info"):
        shutil.rmtree(old)
    info = root / f"marking-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: marking\nVersion: {version}\n")
    (info / "entry_points.txt").write_text("[mkdocs.plugins]\nmarking = marking:Marking\n")
    (root / "marking.py").write_text(PLUGIN % version)
    sys.modules.pop("marking", None)  # the upgraded code is imported by the next build
    importlib.invalidate_caches()
    # MkDocs lists the installed plugins once per process (`policy build` is a process of its own).
    monkeypatch.setattr(MkDocsConfig.plugins, "installed_plugins", get_plugins())


def test_an_upgraded_plugin_changes_the_framed_pages_with_the_cache_too(
    make_project, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767268800")
    packages = tmp_path / "packages"
    monkeypatch.syspath_prepend(str(packages))
    _install_plugin(packages, "1.0", monkeypatch)
    project = make_project()
    mkdocs = project.read("mkdocs.yml").replace("plugins:\n", "plugins:\n  - marking\n", 1)
    project.write({"mkdocs.yml": mkdocs})
    cache = tmp_path / "cache"
    cold = _build(project, "cold", cache)
    _install_plugin(packages, "2.0", monkeypatch)
    _rebuilt(project, "upgraded", cache, cold, b"<!-- marking 2.0 -->")
    sys.modules.pop("marking", None)


PACKAGED_PLUGIN = """\
import importlib

from mkdocs.plugins import BasePlugin


class Marking(BasePlugin):
    def on_post_page(self, output, page, config):
        words = importlib.import_module(__name__ + ".words")  # a computed name, when first called
        return output.replace("</body>", words.MARK + "</body>")
"""


def _plugin_module(packages: Path, mark: str) -> str:
    """The plugin as one module, marking pages with `mark`; the file that says it."""
    (packages / "marking.py").write_text(PLUGIN.replace("marking %s", mark))
    return "marking"


def _plugin_package(packages: Path, mark: str) -> str:
    """The plugin as a package whose mark is in a module it loads only when first called."""
    (packages / "marking.py").unlink(missing_ok=True)
    (packages / "marking").mkdir(exist_ok=True)
    (packages / "marking/__init__.py").write_text(PACKAGED_PLUGIN)
    (packages / "marking/words.py").write_text(f'MARK = "<!-- {mark} -->"\n')
    return "marking.words"


@pytest.mark.parametrize("layout", [_plugin_module, _plugin_package])
def test_a_plugin_in_the_project_folder_changes_the_framed_pages_with_the_cache_too(
    make_project, tmp_path, monkeypatch, layout
):
    """A plugin whose code lies in the project folder (installed from it) frames pages otherwise
    after an edit of its code, its version the same: its source keys the pages, as a hook's (a
    package's every module, one it loads by a computed name too)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767268800")
    project = make_project()
    packages = project.root / "local"
    monkeypatch.syspath_prepend(str(packages))
    _install_plugin(packages, "1.0", monkeypatch)
    layout(packages, "first")
    mkdocs = project.read("mkdocs.yml").replace("plugins:\n", "plugins:\n  - marking\n", 1)
    project.write({"mkdocs.yml": mkdocs})
    cache = tmp_path / "cache"
    cold = _build(project, "cold", cache)
    for name in layout(packages, "second"), "marking":
        sys.modules.pop(name, None)  # the edited code is imported by the next build
    _rebuilt(project, "edited", cache, cold, b"<!-- second -->")
    for name in "marking.words", "marking":
        sys.modules.pop(name, None)


def test_an_override_of_the_sites_own_template_is_named_as_unused(make_project):
    """A theme override of a template the tool's own theme layer has (main.html, a partial of its
    own) is not used, since that layer comes first: the build says so, naming the file, and
    says nothing of an override it uses."""
    project = make_project()
    project.write(
        {
            "overrides/main.html": '{% extends "base.html" %}\n',
            "overrides/partials/copyright.html": "<p>ours</p>\n",
            "overrides/partials/footer.html": '<footer class="shop-footer">shop</footer>\n',
            "mkdocs.yml": _with_theme(project, "custom_dir: overrides"),
        }
    )
    project.commit("Overrides", {})
    built = project.policy("build", "--no-cache")
    assert built.returncode == 0, built.stderr
    unused = [line for line in built.stderr.splitlines() if "[mkdocs.override-unused]" in line]
    assert [line.split(": ")[1] for line in unused] == [
        "overrides/main.html",
        "overrides/partials/copyright.html",
    ]
    assert unused[0].startswith(
        "WARNING: overrides/main.html: this override is not used: the site's own theme has "
        "'main.html', which the pages need, ahead of custom_dir."
    )
    assert "footer.html" not in built.stderr
    assert 'class="shop-footer"' in project.read("site/eu/en/index.html")


def _reused(built) -> int:  # noqa: ANN001
    """The pages a `policy build` reused from the cache, from its summary line."""
    assert built.returncode == 0, built.stderr
    line = built.stderr.strip().splitlines()[-1]
    return int(line.split("(")[1].split(" reused")[0])


def test_python_objects_in_mkdocs_yml_key_the_pages_the_same_in_every_build(make_project, tmp_path):
    """Material's documented emoji settings name Python functions (`!!python/name:`), which
    MkDocs loads as objects: the fingerprint names them by module and name, never by their
    address in memory, which differs in every process and would key every page anew (no page
    reused, ever)."""
    project = make_project()
    emoji = (
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
    )
    mkdocs = project.read("mkdocs.yml").replace(
        "markdown_extensions:\n", "markdown_extensions:\n" + emoji, 1
    )
    project.write({"mkdocs.yml": mkdocs})
    project.commit("Emoji", {})
    cache = str(tmp_path / "cache")
    assert _reused(project.policy("build", "--cache-dir", cache)) == 0
    assert _reused(project.policy("build", "--cache-dir", cache)) > 0
