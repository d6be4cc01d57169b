"""The MkDocs adapter: hands MkDocs the pages the pipeline rendered, in memory.

MkDocs and Material treat titles (page, navigation, table of contents) as HTML and print them
unescaped, so every title handed to them here is escaped text.

Nothing here knows about clauses or versions. Each event does one thing: `on_config` runs the
pipeline and adds our theme overrides, `on_files` swaps the policy sources for the generated pages,
`on_page_content` puts our HTML in, `on_page_context` gives each page the theme's strings in its own
language, and `on_post_page` sets the page's exact language tag.
"""

from __future__ import annotations

import logging
import os
import re
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from generator.errors import PolicyError
from generator.model import Language
from generator.pages import Page, Site

log = logging.getLogger("mkdocs.plugins.policy")

THEME_DIR = Path(__file__).parent / "theme"
ASSETS_DIR = Path(__file__).parent / "assets"
_HTML_TAG = re.compile(r'<html lang="[^"]*"')
TITLE_ANCHOR = "_title"
"""The id of each page's h1 (templates/*.html); clause ids cannot contain '_'."""


class PolicyPluginConfig(Config):
    """Options under `plugins: - policy:` in mkdocs.yml."""

    rev = opt.Type(str, default="HEAD")
    """The revision whose first-parent history is published."""
    preview = opt.Type(bool, default=False)
    """Also publish uncommitted changes as a preview version (for `policy serve`)."""
    previous = opt.Optional(opt.Type(str))
    """Path to the versions.json of the last publication, for the append-only guard."""


class PolicyPlugin(BasePlugin[PolicyPluginConfig]):
    """Publishes the policy in `docs_dir` (policies/) and its history as the site's pages."""

    def __init__(self) -> None:
        self.site: Site | None = None
        self.preloaded: Site | None = None
        """A site the caller already built (the `policy build` command), used instead of
        running the pipeline again."""
        self._pages: dict[str, Page] = {}
        self._epoch: str | None = None
        self._pinned_epoch = False
        """We set SOURCE_DATE_EPOCH for this build (a direct `mkdocs build`) and unset it after."""

    def on_config(self, config: Any) -> Any:
        """Run the pipeline, add the theme overrides and our stylesheet and script."""
        self.site = self.preloaded or self._make_site(config)
        self._pin_build_date()
        self._pages = {page.src_uri: page for page in self.site.pages}
        config.theme.dirs.insert(0, str(THEME_DIR))
        for asset in sorted(ASSETS_DIR.iterdir()):
            target = config.extra_css if asset.suffix == ".css" else config.extra_javascript
            if asset.suffix in {".css", ".js"} and f"assets/{asset.name}" not in target:
                target.append(f"assets/{asset.name}")
        config.nav = _nav(self.site)
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None:
            _configure_search(search.config, self.site)
        locales = Path(config.config_file_path).parent / "locales"
        if locales.is_dir() and str(locales) not in config.watch:
            config.watch.append(str(locales))
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        """Replace the policy sources with the generated pages, feeds, records and assets."""
        generated = Files([])
        for page in self.site.pages if self.site else ():
            file = File.generated(config, page.src_uri, content=_source(page))
            if page.url.count("/") > 2:
                file.inclusion = InclusionLevel.NOT_IN_NAV
            generated.append(file)
        for site_file in self.site.files if self.site else ():
            generated.append(File.generated(config, site_file.path, content=site_file.content))
        for asset in sorted(ASSETS_DIR.iterdir()):
            generated.append(
                File.generated(config, f"assets/{asset.name}", abs_src_path=str(asset))
            )
        sources = Path(config.docs_dir).resolve()
        for file in files:
            # Theme files stay; the policy sources in docs_dir are read by the pipeline instead.
            if not file.abs_src_path or not Path(file.abs_src_path).resolve().is_relative_to(
                sources
            ):
                generated.append(file)
        return generated

    def on_page_content(self, html: str, page: Any, **kwargs: Any) -> str:  # noqa: ARG002
        """Our rendered HTML, and its table of contents."""
        ours = self._pages.get(page.file.src_uri)
        if ours is None:
            return html
        # The page title heads the table of contents, as a Markdown page's h1 would: the theme
        # lists its children, and its "skip to content" link lands on the title, not past the
        # notices on the first clause.
        sections = [
            {"level": 2, "id": anchor, "name": _title_html(title), "children": []}
            for anchor, title in ours.toc
        ]
        page.toc = get_toc(
            [
                {
                    "level": 1,
                    "id": TITLE_ANCHOR,
                    "name": _title_html(ours.title),
                    "children": sections,
                }
            ]
        )
        return ours.html

    def on_page_context(self, context: dict, page: Any, config: Any, **kwargs: Any) -> dict:  # noqa: ARG002
        """The theme's own words in the page's language, and the page's alternates and feed."""
        ours = self._pages.get(page.file.src_uri)
        if ours is not None:
            context["config"] = _LocalizedConfig(config, _theme_language(ours.language))
            context["policy_page"] = ours
        return context

    def on_post_page(self, output: str, page: Any, config: Any) -> str:  # noqa: ARG002
        """The page's exact language tag (the theme only knows its own language codes)."""
        ours = self._pages.get(page.file.src_uri)
        if ours is None:
            return output
        return _HTML_TAG.sub(f'<html lang="{ours.language}"', output, count=1)

    def on_post_build(self, config: Any) -> None:  # noqa: ARG002
        """Unset the build date we pinned."""
        self._unpin_build_date()

    def on_build_error(self, error: Exception) -> None:  # noqa: ARG002
        """Unset the build date we pinned, also when the build failed."""
        self._unpin_build_date()

    def _pin_build_date(self) -> None:
        # `policy build` pins it around the whole MkDocs run; a direct `mkdocs build` needs it
        # before MkDocs dates its pages, so that its output does not depend on the clock either.
        if self._epoch is not None and not os.environ.get("SOURCE_DATE_EPOCH"):
            os.environ["SOURCE_DATE_EPOCH"] = self._epoch
            self._pinned_epoch = True

    def _unpin_build_date(self) -> None:
        if self._pinned_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._pinned_epoch = False

    def _make_site(self, config: Any) -> Site:
        from generator.build import BuildOptions, build_epoch, make_site

        project = Path(config.config_file_path).parent
        options = BuildOptions(
            project_dir=project,
            rev=self.config.rev,
            preview=self.config.preview,
            previous=Path(self.config.previous) if self.config.previous else None,
            site_url=config.site_url or "",
        )
        try:
            publication, site = make_site(options)
        except PolicyError as error:
            raise PluginError(error.format_message()) from error
        self._epoch = build_epoch(publication)
        return site


def _source(page: Page) -> str:
    """The Markdown source MkDocs reads for a page: only front matter, our HTML comes later."""
    import yaml

    meta: dict[str, Any] = {"title": _title_html(page.title)}
    if not page.searchable:
        meta["search"] = {"exclude": True}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n"


def _nav(site: Site) -> list:
    """The navigation: the chooser, then each jurisdiction's documents by language."""
    nav: list = [{_title_html(site.title): "index.md"}]
    for name, documents in site.nav:
        nav.append(
            {
                _title_html(name): [
                    {_title_html(label): url + "index.md"} for label, url in documents
                ]
            }
        )
    return nav


SEARCH_SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；]+"
"""Words end at white space, hyphens and CJK punctuation (Material's Chinese separator, which also
suits the other languages), so one index serves every published language."""


def _configure_search(search: Any, site: Site) -> None:
    """Index the published languages that the theme's offline search has stemmers and stop words
    for, unless mkdocs.yml says otherwise; the page script narrows it to one (theme/main.html)."""
    if not search.lang:
        search.lang = search_languages(sorted({page.language for page in site.pages}))
    if not search.separator:
        search.separator = SEARCH_SEPARATOR
    # The theme segments Chinese text with jieba at build time; its progress lines are not ours.
    logging.getLogger("jieba").setLevel(logging.WARNING)


def search_languages(tags: list[str]) -> list[str]:
    """Lunr language codes for BCP 47 tags: those the theme ships (no web request), English first.

    Chinese is left out: lunr's zh support needs a segmenter in the browser that the theme does
    not ship. The theme cuts Chinese into words at build time instead (with jieba, a dependency),
    separated by zero-width spaces that SEARCH_SEPARATOR splits at.
    """
    lunr = _material_dir() / "assets" / "javascripts" / "lunr" / "min"
    codes = {Language(tag=tag).locale.language for tag in tags}
    shipped = {c for c in codes if c != "zh" and (lunr / f"lunr.{c}.min.js").exists()}
    return ["en", *sorted(shipped - {"en"})]


def _theme_language(tag: str) -> str:
    """The theme's code for a language: the full tag if it has one, else the base language."""
    language = Language(tag=tag)
    available = {p.stem for p in (_material_dir() / "partials" / "languages").glob("*.html")}
    for candidate in (
        tag,
        f"{language.locale.language}-{language.locale.territory}",
        language.locale.language,
    ):
        if candidate in available:
            return candidate
    return "en"


def _material_dir() -> Path:
    import material

    return Path(material.__file__).parent / "templates"


class _LocalizedTheme:
    """The theme configuration as one page sees it: the same, but in the page's language."""

    def __init__(self, theme: Any, language: str) -> None:
        self._theme = theme
        self.language = language

    def __getattr__(self, name: str) -> Any:
        return getattr(self._theme, name)

    def __getitem__(self, key: str) -> Any:
        return self.language if key == "language" else self._theme[key]

    def __contains__(self, key: str) -> bool:
        return key in self._theme

    def get(self, key: str, default: Any = None) -> Any:
        return self.language if key == "language" else self._theme.get(key, default)


class _LocalizedConfig:
    """The site configuration as one page sees it; only the theme's language differs."""

    def __init__(self, config: Any, language: str) -> None:
        self._config = config
        self.theme = _LocalizedTheme(config.theme, language)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._config, name)

    def __getitem__(self, key: str) -> Any:
        return self.theme if key == "theme" else self._config[key]

    def __contains__(self, key: str) -> bool:
        return key in self._config

    def get(self, key: str, default: Any = None) -> Any:
        return self.theme if key == "theme" else self._config.get(key, default)


def _title_html(text: str) -> str:
    """A title for the places MkDocs and Material print titles as HTML: `<`, `>` and `&`
    escaped; quotes kept, since Material escapes the attributes it puts titles in itself."""
    return escape(text, quote=False)
