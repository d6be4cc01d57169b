"""The MkDocs adapter: hands MkDocs the pages the pipeline rendered.

MkDocs and Material treat titles (page, navigation, table of contents) as HTML and print them
unescaped, so every title handed to them here is escaped text.

Nothing here knows about clauses or versions. Each event does one thing: `on_config` runs the
pipeline, adds our theme overrides and sorts the pages into those the page cache has and those MkDocs
must render (checking the newest commit meanwhile), `on_pre_build` has the search index remember the
Chinese words it cuts (and cut them in another process) and the clauses it parses, `on_files`
swaps the policy sources for the pages to render and has another process write the reused pages,
the feeds, the records and the sitemaps, `on_page_markdown` gives each page its title (its
Markdown source is empty), `on_page_content` its table of contents, `on_page_context` its HTML
(perhaps rendered meanwhile in another process) and the theme's strings in its own language,
`on_post_page` sets the page's exact language tag, and `on_post_build` waits for the writing and
keeps the new pages for the next build. Each event times its work as ours (`_ours`): the build's
report, and the benchmark, tell it from MkDocs' own.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any, TypeVar

from markupsafe import Markup
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import AnchorLink, TableOfContents

from generator import cache, search_indexes, sitemaps
from generator.bodies import BodyCache
from generator.checked_catalogs import CheckedCatalogs
from generator.checkpoints import Checkpoints
from generator.errors import PolicyError, Problem
from generator.model import Language
from generator.not_found import NotFoundWords, not_found_words
from generator.pages import Page, Site
from generator.processes import BACKGROUND, Forked, can_fork
from generator.progress import Progress, Stage
from generator.search_sections import SearchSections
from generator.search_words import (
    SearchWords,
    Segmenter,
    name_dictionary_cache,
    naming_dictionary_cache,
)
from generator.settings_files import SettingsFiles, settings_files
from generator.templating import language_attributes

log = logging.getLogger("mkdocs.plugins.policy")

T = TypeVar("T")

THEME_DIR = Path(__file__).parent / "theme"
ASSETS_DIR = Path(__file__).parent / "assets"
_HTML_TAG = re.compile(r'<html lang="[^"]*"')
_SEARCH_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")
"""What the theme's search plugin removes from every page's HTML (material/plugins/search)."""
_SEARCH_ATTRIBUTE = re.compile(r'data-search-\w+="[^"]+"')
"""The same without the optional space before: a pattern that starts with text is looked for
as text, fifteen to thirty times faster on our bodies (which rarely have one)."""
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
    cache = opt.Type(bool, default=True)
    """Reuse the framed pages of archived versions and redlines from earlier builds."""
    cache_dir = opt.Type(str, default=".policy-cache")
    """Where the page cache lives, relative to mkdocs.yml (CI saves and restores it)."""
    jobs = opt.Type(int, default=0)
    """Processes that render pages at once; 0: one per processor, at most four."""


class PolicyPlugin(BasePlugin[PolicyPluginConfig]):
    """Publishes the policy in `docs_dir` (policies/) and its history as the site's pages."""

    def __init__(self) -> None:
        self.site: Site | None = None
        self.publication: Any = None
        """A publication the caller already read (`policy build`), rendered page by page."""
        self.progress: Progress | None = None
        self.rendered: list[str] = []
        """Addresses of the pages MkDocs rendered in this build."""
        self.reused = 0
        """Pages written from the page cache instead."""
        self.written = 0
        self._options: Any = None
        self._files: Any = None
        self._site_url: str | None = None
        self._folders: tuple[str, ...] = ()
        """Each document's folder (`eu/de/`), which has its own sitemap."""
        self._search_scopes: dict[str, search_indexes.Scope] = {}
        """What each page's search index holds, by its address."""
        self._store: cache.PageStore | None = None
        self._cache: cache.PageCache | None = None
        self._bodies: BodyCache | None = None
        self._file_cache: cache.FileCache | None = None
        self._words: SearchWords | None = None
        self._segmenter: Segmenter | None = None
        self._sections: SearchSections | None = None
        self._templates: cache.TemplateCode | None = None
        self._han = False
        """Whether the site has Chinese or Japanese pages, whose text the search index cuts."""
        self._not_found: tuple[NotFoundWords, ...] = ()
        self._writer: Forked[tuple[int, int, list[str]]] | None = None
        self._check: Callable[[], None] | None = None
        self._serving = False
        self._frame: Stage | None = None
        self._nav: Any = None
        self._regions: dict[Any, list[Any]] = {}
        """Each region of the navigation, and its documents in the source language's order."""
        self._fitted: tuple[tuple[str, ...], str] | None = None
        """The names and the document language the navigation is fitted to now
        (`_fit_navigation`)."""
        self._configs: dict[str, _LocalizedConfig] = {}
        """The site configuration as the pages in each of the theme's languages see it."""
        self._settings_files: SettingsFiles | None = None
        """The files of the project that shape the site, found for this build (`settings_files`)."""
        self._epoch: str | None = None
        self._pinned_epoch = False
        """We set SOURCE_DATE_EPOCH for this build (a direct `mkdocs build`) and unset it after."""

    def publish(
        self, publication: Any, options: Any, progress: Progress, check: Callable[[], None]
    ) -> None:
        """Build this publication (read by `policy build`), with its options and progress;
        `check` (the newest revision's check, which raises its errors) runs while the pages
        render."""
        self.publication, self._options, self.progress = publication, options, progress
        self._check = check

    def settings_files(self, config: Any) -> SettingsFiles:
        """The files of the project that shape the site and are read from the folder
        (settings_files.py), found once for a build: the warning that one differs from the
        commit and the page cache's fingerprint take them from here."""
        if self._settings_files is None:
            self._settings_files = settings_files(config)
        return self._settings_files

    def on_startup(self, command: str, **kwargs: Any) -> None:  # noqa: ARG002
        """A live preview changes pages at every save: it does not use the page cache."""
        self._serving = command == "serve"

    @event_priority(100)  # before the theme's search plugin loads jieba's words
    def _name_word_list(self, config: Any) -> Any:
        """With a user dictionary (`jieba_dict_user`), the theme's search plugin has jieba load
        its words while it is configured, before our pages are: jieba's prepared word list is
        named by its content first (`name_dictionary_cache`). Without one, that waits for the
        first Han text to cut (`on_pre_build`), and a site without any pays nothing."""
        self.progress = self.progress or Progress(logger=log)
        search = _search_plugin(config)
        settings = getattr(search, "config", None)
        if settings is not None and settings.get("jieba_dict_user"):
            with self._ours():
                chosen = settings.get("jieba_dict")
                path = os.path.normpath(chosen) if chosen else None  # as the theme reads it
                name_dictionary_cache(path if path and os.path.isfile(path) else None)
        return config

    def _on_config(self, config: Any) -> Any:
        """Run the pipeline, add the theme overrides and our stylesheet and script, and sort the
        pages into those the page cache has and those MkDocs renders."""
        with self._ours():
            return self._configure(config)

    on_config = CombinedEvent(_name_word_list, _on_config)

    def _configure(self, config: Any) -> Any:
        """`on_config`'s work, timed as ours."""
        from generator.build import site_files, site_outline
        from generator.pages import document_url, iter_pages
        from generator.templating import load_templates

        self.rendered, self.reused, self.written = [], 0, 0
        self._configs = {}
        # A publication handed over serves one build; `mkdocs serve` reads the sources again.
        publication = self.publication or self._make_publication(config)
        check, self.publication, self._check = self._check, None, None
        settings = self.settings_files(config)
        self._settings_files = None  # `mkdocs serve` finds them again for its next build
        self.site = site_outline(publication)
        # The site's name is the policy's title (policies/site.yml), translated on each page.
        title = publication.title_in(publication.policy.source_language)
        config.site_name = _site_name_html(title)
        # A retired document has no policy in force to lead to: its readers get the chooser.
        self._not_found = not_found_words(
            [key for key, history in publication.documents.items() if not history.retired],
            publication.policy.source_language,
            # Only a name of its own: the source language's is the frame's already.
            lambda language: name if (name := publication.title_in(language)) != title else "",
        )
        site_url = self._options.site_url if self._options else (config.site_url or "")
        self._files = site_files(publication, site_url)
        self._site_url = site_url or None
        self._folders = tuple(document_url(*key) for key in publication.documents)
        self._search_scopes = search_indexes.scopes(
            publication.documents, publication.policy.source_language
        )
        # We write the sitemaps, one per document (sitemaps.py): MkDocs would list only the
        # pages it frames, in one.
        config.theme.static_templates.discard(sitemaps.INDEX)
        self._pin_build_date()
        config.theme.dirs.insert(0, str(THEME_DIR))
        for asset in sorted(ASSETS_DIR.iterdir()):
            target = config.extra_css if asset.suffix == ".css" else config.extra_javascript
            if asset.suffix in {".css", ".js"} and f"assets/{asset.name}" not in target:
                target.append(f"assets/{asset.name}")
        config.nav = _nav(self.site)
        search = _search_plugin(config)
        if search is not None:
            _configure_search(search.config, _languages(publication))
        locales = Path(config.config_file_path).parent / "locales"
        if locales.is_dir() and str(locales) not in config.watch:
            config.watch.append(str(locales))
        self._cache = self._open_cache(config)
        self._store = cache.PageStore(self._cache, _fingerprint(config, settings), _handing(config))
        self._bodies = BodyCache(self._cache.directory) if self._cache else None
        self._file_cache = cache.FileCache(self._cache.directory) if self._cache else None
        load_templates(self._bodies.templates if self._bodies else None)
        documents = {
            document_url(*key).rstrip("/"): i for i, key in enumerate(publication.documents)
        }
        self._han = any(
            Language(tag=t).locale.language in _HAN_LANGUAGES for t in _languages(publication)
        )
        with self.progress.stage("render", unit="pages") as stage:
            stage.advance(
                self._store.add_all(
                    lambda part, parts: iter_pages(
                        publication, part, parts, self._bodies, defer=True, site_url=site_url
                    ),
                    _cacheable,
                    documents,
                    self.jobs(len(publication.documents)),
                    self._bodies,
                    meanwhile=check,
                )
            )
        return config

    def on_pre_build(self, config: Any) -> None:
        """The search index cuts Chinese text into words once per text (see search_words.py),
        in another process when it can, and takes the clauses it parsed in earlier builds from
        the cache (search_sections.py)."""
        with self._ours():
            search = _search_plugin(config)
            index = getattr(search, "search_index", None)
            theme = sys.modules.get(type(index).__module__)
            add_entry = getattr(index, "add_entry_from_context", None)
            if self._cache and callable(add_entry) and _parses_sections(theme):
                self._sections = SearchSections(self._cache.directory, theme)  # type: ignore[arg-type]
                index.add_entry_from_context = self._sections.indexing(add_entry)  # type: ignore[union-attr]
            segment = getattr(index, "_segment_chinese", None)
            if callable(segment):
                folder = self._cache.directory if self._cache else None
                self._words = SearchWords(folder, search.config)
                segment = naming_dictionary_cache(segment)
                if self._han and can_fork():
                    self._segmenter = Segmenter(segment, early=not self._words.known)
                    segment = self._segmenter
                index._segment_chinese = self._words.remembering(segment)  # type: ignore[union-attr]
                self._cut_only_chinese(index)

    def on_files(self, files: Files, config: Any) -> Files:
        """Replace the policy sources with the pages MkDocs renders and our assets."""
        if self.progress and self._store:
            self._frame = self.progress.start("mkdocs", len(self._store.pending), "pages")
        with self._ours():
            generated = Files([])
            for pending in self._store.pending.values() if self._store else ():
                file = File.generated(config, pending.page.src_uri, content="")
                if not _in_nav(pending.page):
                    file.inclusion = InclusionLevel.NOT_IN_NAV
                generated.append(file)
            for asset in sorted(ASSETS_DIR.iterdir()):
                generated.append(
                    File.generated(config, f"assets/{asset.name}", abs_src_path=str(asset))
                )
            sources = Path(config.docs_dir).resolve()
            for file in files:
                # Theme files stay, but for MkDocs' sitemap template (we write the sitemaps); the
                # policy sources in docs_dir are read by the pipeline instead.
                if file.src_uri == sitemaps.INDEX:
                    continue
                if not file.abs_src_path or not Path(file.abs_src_path).resolve().is_relative_to(
                    sources
                ):
                    generated.append(file)
            if self._store and can_fork():
                # MkDocs has emptied the site folder: another process writes the files that need
                # no framing meanwhile, while MkDocs frames the other pages. It yields to MkDocs,
                # unless it has more pages to write than MkDocs has to frame: then the build
                # waits for it.
                site_dir = Path(config.site_dir)
                behind = len(self._store.reused) > len(self._store.pending)
                self._writer = Forked(
                    lambda _send: self._write_files(site_dir), nice=0 if behind else BACKGROUND
                )
            return generated

    def on_nav(self, nav: Any, **kwargs: Any) -> Any:  # noqa: ARG002
        """Keep the navigation, to name its entries in each page's language."""
        self._nav, self._fitted = nav, None
        self._regions = {section: list(section.children) for section in nav.items[1:]}
        return nav

    def on_env(self, env: Any, **kwargs: Any) -> Any:  # noqa: ARG002
        """Keep the theme's compiled templates for the next build; tell the templates whether
        this is a live preview (its pages say so), the error page's words in each language, and
        where each page's search index is."""
        with self._ours():
            env.globals["policy_preview"] = self.config.preview
            env.globals["policy_not_found"] = self._not_found
            env.globals["policy_search_index"] = search_indexes.address
            if self._cache is not None and self._store is not None:
                self._templates = cache.TemplateCode(self._cache.directory, self._store.fingerprint)
                env.bytecode_cache = self._templates
            return env

    @event_priority(100)  # before any other plugin reads the page's metadata
    def on_page_markdown(self, markdown: str, page: Any, **kwargs: Any) -> str:  # noqa: ARG002
        """The page's title and search setting, as its front matter would give them: its
        Markdown source is empty (MkDocs need not parse YAML for each of thousands of pages)."""
        ours = self._pending(page)
        if ours is not None:
            with self._ours():
                page.meta = _meta(ours)
        return markdown

    def on_page_content(self, html: str, page: Any, **kwargs: Any) -> str:  # noqa: ARG002
        """The page's table of contents; its HTML waits in the spool until it is framed."""
        with self._ours():
            ours = self._pending(page)
            if ours is None:
                return html
            # The page title heads the table of contents, as a Markdown page's h1 would: the theme
            # lists its children, and its "skip to content" link lands on the title, not past the
            # notices on the first clause.
            heading = AnchorLink(ours.title_html, TITLE_ANCHOR, 1)
            heading.children = [_section_link(anchor, title) for anchor, title in ours.toc]
            page.toc = TableOfContents([heading])
            return ""

    @event_priority(100)  # before the search plugin indexes the page's content
    def _page_context_first(self, context: dict, page: Any, config: Any, **kwargs: Any) -> dict:  # noqa: ARG002
        """The HTML of a page the search index takes in, the theme's own words in the page's
        language, and the page for our additions to the theme's frame (`policy_page`)."""
        ours = self._pending(page)
        if ours is not None and self._store is not None:
            with self._ours():
                if ours.searchable:
                    page.content = self._store.body(page.file.src_uri)
                context["config"] = self._localized(config, ours.language, ours.site_name)
                context["policy_page"] = ours
                # The tab's title: text, where no word can be marked (theme/main.html).
                context["policy_title"] = _title_html(ours.title)
                # The theme links a page to its neighbours in the navigation as rel=prev/next, a
                # sequence (pages of one text): here they are other languages and regions.
                page.previous_page = page.next_page = None
                # "Privacy policy · Worldwide" names the site already: not " - Privacy policy" too.
                context["policy_title_names_site"] = bool(ours.site_name) and (
                    ours.site_name in ours.title
                )
                # The site's name in another language than the page's (theme/main.html).
                context["policy_site_name_marks"] = language_attributes(ours.site_name_language)
                self._fit_navigation(ours)
        return context

    @event_priority(-100)  # after the search plugin
    def _page_context_last(self, context: dict, page: Any, config: Any, **kwargs: Any) -> dict:  # noqa: ARG002
        """The HTML of a page the search index leaves out, handed over after the theme's search
        plugin has seen the page: it scans every page's whole HTML for attributes to remove
        (more than a millisecond a page, a sixth of framing one). They were removed as it would
        where the body was rendered (`_handing`). And the title the frame's header shows, with
        its words in another language than the page's marked (`Page.title_html`): the search
        index took the text, which its words would have held the marks' tags."""
        ours = self._pending(page)
        if ours is not None and self._store is not None:
            with self._ours():
                page.meta["title"] = ours.title_html
                if not ours.searchable:
                    page.content = self._store.body(page.file.src_uri)
        return context

    on_page_context = CombinedEvent(_page_context_first, _page_context_last)

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        """The page's exact language tag (the theme only knows its own language codes); the
        pages framed before are kept for the next build meanwhile."""
        with self._ours():
            ours = self._pending(page)
            if ours is None:
                return output
            page.content = ""  # framed: its HTML need not stay in memory
            self.rendered.append(ours.url)
            if self._store is not None:
                self._store.framed(page.file.src_uri, config.site_dir)
            if self._frame is not None:
                self._frame.advance()
            return _with_language(output, ours.language)

    def _post_build(self, config: Any) -> None:
        """Write the reused pages, the feeds, records and sitemaps; keep the rendered pages for the
        next build; unset the build date we pinned. What needs nothing from the process that
        writes the files is done while it finishes: a warm build waits for it."""
        self._end_frame()
        with self._ours():
            site_dir = Path(config.site_dir)
            try:
                with self.progress.stage("write", unit="files") as stage:  # type: ignore[union-attr]
                    stage.advance(self._store.keep_rendered(site_dir))  # type: ignore[union-attr]
                    if self._cache is not None:
                        self._cache.finish()
                    if self._bodies is not None:
                        self._bodies.finish()
                    if self._words is not None:
                        self._words.save()
                    if self._sections is not None:
                        self._sections.save()
                    if self._templates is not None:
                        self._templates.finish()
                    writer, self._writer = self._writer, None
                    self.reused, files, kept = (
                        writer.result() if writer else self._write_files(site_dir)
                    )
                    stage.advance(self.reused + files)
                    if self._file_cache is not None:
                        self._file_cache.finish(kept)
                self.written = len(self._store.urls)  # type: ignore[union-attr]
            finally:
                self._close()

    @event_priority(-100)  # after the theme's search plugin has written its index
    def _split_search_index(self, config: Any) -> None:
        """Each page's own search index, from the theme's index of every page."""
        whole = Path(config.site_dir) / search_indexes.WHOLE
        if not whole.is_file():  # no search plugin
            return
        with self._ours():
            whole_text = whole.read_text(encoding="utf-8")
            _write_texts(
                Path(config.site_dir), search_indexes.split(whole_text, self._search_scopes)
            )

    on_post_build = CombinedEvent(_post_build, _split_search_index)

    def _write_files(self, site_dir: Path) -> tuple[int, int, list[str]]:
        """Put the reused pages, the feeds, the records and the sitemaps into the site; (pages,
        files, the keys of the files kept in the cache)."""
        folders: set[str] = set()
        reused = self._store.write_reused(site_dir, folders)  # type: ignore[union-attr]
        files, kept = 0, []
        for site_file in self._files or ():
            target = site_dir / site_file.path
            cache.make_folder(os.path.dirname(target), folders)
            if self._file_cache is None:
                target.write_bytes(site_file.content)
            elif key := self._file_cache.write(site_file, target):
                kept.append(key)
            files += 1
        return reused, files + self._write_sitemaps(site_dir), kept

    def _write_sitemaps(self, site_dir: Path) -> int:
        """The sitemaps of every page, the reused too, and the index's gzip (MkDocs writes one
        beside its sitemap); how many files."""
        from mkdocs.utils import get_build_date, get_build_timestamp

        store = self._store
        written = sitemaps.sitemaps(
            store.urls if store else (),
            store.alternates if store else {},
            self._folders,
            self._site_url,
            store.modified if store else {},
            dt.date.fromisoformat(get_build_date()),
        )
        _write_texts(site_dir, written)
        index = site_dir / sitemaps.INDEX
        with (
            open(f"{index}.gz", "wb") as handle,
            gzip.GzipFile(
                fileobj=handle, filename=f"{index}.gz", mode="wb", mtime=get_build_timestamp()
            ) as compressed,
        ):
            compressed.write(written[sitemaps.INDEX].encode("utf-8"))
        return len(written) + 1

    def on_build_error(self, error: Exception) -> None:  # noqa: ARG002
        """Unset the build date we pinned and drop this build's scratch files, also when the
        build failed."""
        self.abandon()

    def abandon(self) -> None:
        """What `on_build_error` does, for a build MkDocs did not see fail: one interrupted
        (Ctrl-C, SIGTERM), for which MkDocs runs no event. Nothing once the build has ended."""
        self._end_frame()
        self._close()

    def _ours(self) -> AbstractContextManager[None]:
        """Times our work inside one of MkDocs' events: a build counts it as ours, not as
        MkDocs' framing (the benchmark's share of our stages needs every part of it)."""
        return self.progress.timer("hooks") if self.progress else nullcontext()

    def _localized(self, config: Any, language: str, site_name: str) -> _LocalizedConfig:
        """The site configuration a page in `language` sees, with the site's name in that
        language (one per theme language and name)."""
        key = (_theme_language(language), site_name)
        if key not in self._configs:
            name = _site_name_html(site_name) if site_name else config.site_name
            self._configs[key] = _LocalizedConfig(config, key[0], name)
        return self._configs[key]

    def _fit_navigation(self, page: Page) -> None:
        """Fit the navigation to the page's language: its entries named as the page names them
        (`Page.navigation`), and each region's document in the page's language first (a
        collapsed region links to its first document). MkDocs makes one navigation, in the
        source language, that every page prints; a document's pages follow each other, so it
        changes a few times a build."""
        slug = page.url.split("/")[1] if page.url else ""
        fitted = (page.navigation, slug)
        if self._nav is None or not page.navigation or fitted == self._fitted:
            return
        for entry, name in zip(self._nav.items, page.navigation, strict=True):
            entry.title = name
        for section, documents in self._regions.items():
            # The slug is a document address's second segment (`eu/de/`).
            section.children = sorted(documents, key=lambda entry: entry.url.split("/")[1] != slug)
        self._fitted = fitted

    def _cut_only_chinese(self, index: Any) -> None:
        """The theme cuts every run of Han characters with jieba, a Chinese dictionary, whatever
        the page's language: a Japanese page's text is indexed as it is, and the browser cuts it
        (lunr.ja's TinySegmenter), so that 個人情報 is not indexed as 個|人情|報. The theme does
        not cut the query the same way: our worker cuts it into the index's words
        (theme/assets/javascripts/workers/policy-search.js)."""
        add, cut = index.add_entry_from_context, index._segment_chinese

        def add_entry(page: Any) -> None:
            ours = self._pending(page)
            if ours is None or Language(tag=ours.language).locale.language != "ja":
                return add(page)
            index._segment_chinese = _as_it_is
            try:
                return add(page)
            finally:
                index._segment_chinese = cut

        index.add_entry_from_context = add_entry

    def _pending(self, page: Any) -> Page | None:
        pending = self._store.pending.get(page.file.src_uri) if self._store else None
        return pending.page if pending else None

    def _end_frame(self) -> None:
        if self._frame is not None and self.progress is not None:
            self.progress.end(self._frame)
            self._frame = None

    def _close(self) -> None:
        if self._writer is not None:
            self._writer.outcome()  # the process must end before its scratch files go
            self._writer = None
        if self._store is not None:
            self._store.close()
        if self._cache is not None:
            self._cache.close()
        if self._segmenter is not None:
            self._segmenter.close()
        self._store = self._cache = self._bodies = self._file_cache = None
        self._words = self._segmenter = self._sections = self._templates = None
        self._files = None
        self._unpin_build_date()

    def checkpoints(self, config: Any, options: Any = None) -> Checkpoints | None:
        """Where the history walk resumes from (see checkpoints.py); None without a cache."""
        return self._in_cache_folder(Checkpoints, config, options)

    def checked_catalogs(self, config: Any, options: Any = None) -> CheckedCatalogs | None:
        """What checking each catalog found in earlier builds (see checked_catalogs.py); None
        without a cache."""
        return self._in_cache_folder(CheckedCatalogs, config, options)

    def cache_folder(self, config: Any, options: Any = None) -> Path | None:
        """The folder of the build cache (pages, bodies, history); None when the cache is
        turned off (or this is a live preview)."""
        options = options or self._options
        if self._serving or not self.config.cache or (options and not options.cache):
            return None
        if options and options.cache_dir:
            return Path(options.cache_dir)
        return Path(config.config_file_path).parent / self.config.cache_dir

    def _open_cache(self, config: Any) -> cache.PageCache | None:
        """The page cache, unless the build uses none."""
        return self._in_cache_folder(cache.PageCache, config)

    def _in_cache_folder(
        self, kind: Callable[[Path], T], config: Any, options: Any = None
    ) -> T | None:
        """`kind` kept in the build cache's folder; None when the build uses no cache."""
        folder = self.cache_folder(config, options)
        if folder is None:
            return None
        try:
            # Made, and tried, first: entries that cannot be kept are only warned about (see
            # `cache.EntryFolder`), a folder that cannot hold any stops the build.
            folder.mkdir(parents=True, exist_ok=True)
            os.rmdir(tempfile.mkdtemp(prefix=cache.SCRATCH, dir=folder))
            return kind(folder)
        except OSError as error:
            problem = Problem(
                path=str(folder),
                line=None,
                code="build.cache-dir",
                message=f"cannot keep the build cache there ({error.strerror or error}). Give "
                "--cache-dir (or the plugin's cache_dir) a folder this user can write, or build "
                "with --no-cache.",
            )
            if options or self._options:
                # `policy build` prints it as its other errors: MkDocs would add a line of its
                # own to a PluginError ("Aborted with a BuildError!").
                raise PolicyError([problem]) from error
            raise PluginError(f"{folder}: {problem.message}") from error

    def jobs(self, items: int, options: Any = None) -> int:
        """Processes to share `items` pieces of work among (documents to render, commits to
        walk): the `jobs` option (never more than the items, each process needs one), else one
        per processor (at most four) when there are at least eight items, enough for it to pay."""
        options = options or self._options
        jobs = (options.jobs if options else 0) or self.config.jobs
        if jobs:
            return max(1, min(jobs, items))
        if items < 8:
            return 1
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        return max(1, min(4, cpus or 1))

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

    def _make_publication(self, config: Any) -> Any:
        from generator.build import BuildOptions, build_epoch, make_publication

        project = Path(config.config_file_path).parent
        options = BuildOptions(
            project_dir=project,
            rev=self.config.rev,
            preview=self.config.preview,
            previous=Path(self.config.previous) if self.config.previous else None,
            site_url=config.site_url or "",
        )
        try:
            publication = make_publication(
                options,
                self.progress,
                self.checkpoints(config, options),
                self.jobs,
                self.settings_files(config).paths,
                self.checked_catalogs(config, options),
            )
        except PolicyError as error:
            raise PluginError(error.format_message()) from error
        self._epoch = build_epoch(publication)
        return publication


_HAN_LANGUAGES = {"zh"}
"""Languages (CLDR base language) whose pages the theme's search index cuts into words (see
`PolicyPlugin._cut_only_chinese`)."""


def _as_it_is(text: str) -> str:
    return text


def _with_language(html: str, language: str) -> str:
    """A framed page with `language` as its `<html lang>`: the theme writes its own code for
    the language, the same in most cases (`de`), not always (`zh` for `zh-Hans`). The page is
    copied only then: copying every page took a tenth of our part of MkDocs' events."""
    tag = f'<html lang="{language}"'
    found = _HTML_TAG.search(html)
    if found is None or found.group() == tag:
        return html
    return html[: found.start()] + tag + html[found.end() :]


def _search_plugin(config: Any) -> Any:
    return config.plugins.get("material/search") or config.plugins.get("search")


def _parses_sections(theme: Any) -> bool:
    """Whether the theme's search plugin module parses pages as search_sections.py expects."""
    return all(callable(getattr(theme, name, None)) for name in ("Parser", "Section", "Element"))


def _meta(page: Page) -> dict[str, Any]:
    """What MkDocs and the theme read from a page's front matter: its title, and whether the
    search index leaves it out. The title is text here, as the search index takes it in; the
    frame shows it marked (`_page_context_last`)."""
    meta: dict[str, Any] = {"title": _title_html(page.title)}
    if not page.searchable:
        meta["search"] = {"exclude": True}
    return meta


def _handing(config: Any) -> Callable[[Page, str], str] | None:
    """What MkDocs is handed of a page's body, when the theme's search plugin is on: for a page
    the search index leaves out, without the attributes the plugin removes from every page's
    HTML, since it sees those pages before their bodies (see `_page_context_last`)."""
    search = config.plugins.get("material/search")
    if search is None or not search.config.enabled:
        return None

    def hand(page: Page, body: str) -> str:
        if page.searchable or not _SEARCH_ATTRIBUTE.search(body):
            return body
        return _SEARCH_ATTRIBUTES.sub("", body)

    return hand


def _languages(publication: Any) -> list[str]:
    """The languages of the site's pages: the documents' and the chooser's."""
    return sorted(
        {lang for _, lang in publication.documents} | {publication.policy.source_language}
    )


def _in_nav(page: Page) -> bool:
    """The chooser and each document's current page are in the navigation; the rest (change
    logs, archives, versions, redlines) are reached from those pages. A retired document's
    current page is out of the navigation but counted in: framed anew at each build, as a page
    in it is, which is safe and costs a few pages."""
    return page.url.count("/") <= 2


def _cacheable(page: Page) -> bool:
    """Pages whose framed HTML depends on nothing but their own content and the site's
    fingerprint: outside the navigation (no active entry, no previous and next) and out of the
    search index (which is built from the pages MkDocs renders)."""
    return not _in_nav(page) and not page.searchable


def _fingerprint(config: Any, files: SettingsFiles) -> str:
    """Everything besides a page's own content that shapes its framed HTML (`files`: the
    project's files that do, read from the folder)."""
    parts = [
        *_settings(config),
        *((file.label, file.path.read_bytes()) for file in files.files),
        ("site_url", (config.site_url or "").encode()),
        ("nav", json.dumps(config.nav, ensure_ascii=False, sort_keys=True).encode()),
        # All of this package (its modules put addresses and words into the frame, beside the
        # theme and the assets) and the packages that frame.
        ("code", cache.code_fingerprint(cache.PACKAGES).encode()),
    ]
    if any(_reads_build_date(name, data) for name, data in parts):
        # The build's time to the second, as MkDocs gives it to templates: pinned by then (the
        # newest commit's time, or SOURCE_DATE_EPOCH), and the clock's in a build that is not.
        when = os.environ.get("SOURCE_DATE_EPOCH") or repr(time.time())
        parts.append(("build_date", when.encode()))
    return cache.fingerprint(parts)


def _settings(config: Any) -> list[tuple[str, bytes]]:
    """mkdocs.yml as MkDocs read it, as fingerprint parts: its settings with the file it
    inherits (`INHERIT`) merged in and the environment's values (`!ENV`) filled in, where the
    files' bytes miss another value of a variable; and the plugins' versions."""
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    with open(config.config_file_path, "rb") as file:  # named: INHERIT is found beside it
        settings = yaml_load(file, get_yaml_loader(config=config))
    read = json.dumps(_stable(settings), ensure_ascii=False, sort_keys=True)
    return [("settings", read.encode()), *_plugin_versions(config)]


def _plugin_versions(config: Any) -> list[tuple[str, bytes]]:
    """The installed version of each plugin mkdocs.yml names, as fingerprint parts: an upgraded
    plugin can frame pages otherwise with the same settings."""
    from importlib.metadata import entry_points

    named = set(config.plugins)
    return [
        (f"plugin/{point.name}", f"{point.dist.name} {point.dist.version}".encode())
        for point in entry_points(group="mkdocs.plugins")
        if point.name in named and point.dist is not None
    ]


def _stable(value: Any, depth: int = 0) -> Any:
    """A setting read from mkdocs.yml as JSON data that is the same in every process, for the
    fingerprint: a path (`!relative`) as the path, a date as written, a mapping's keys and a
    set's items in order, and a Python object (Material's `!!python/name:` emoji functions,
    custom fences) by its module and name, and its attributes: never as `str` or `repr` would
    show it, with its address in memory, which differs in every build and would key every page
    anew. Past a depth no settings file reaches (an object that holds itself), the kind alone."""
    if depth > 32:
        return {"object": type(value).__qualname__}
    depth += 1
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, Mapping):
        items = [(_stable_text(key, depth), _stable(item, depth)) for key, item in value.items()]
        return {"mapping": sorted(items, key=lambda pair: pair[0])}
    if isinstance(value, set | frozenset):
        return {"set": sorted(_stable_text(item, depth) for item in value)}
    if isinstance(value, list | tuple):
        return [_stable(item, depth) for item in value]
    named = getattr(value, "__qualname__", None)
    if isinstance(named, str):  # a function, a class
        return {"object": f"{getattr(value, '__module__', '')}.{named}"}
    kind = type(value)
    state = vars(value) if hasattr(value, "__dict__") else {}
    return {"object": f"{kind.__module__}.{kind.__qualname__}", "state": _stable(state, depth)}


def _stable_text(value: Any, depth: int) -> str:
    """`_stable` data as one text, by which mapping keys and set items are ordered."""
    return json.dumps(_stable(value, depth), ensure_ascii=False, sort_keys=True)


_BUILD_DATE_NAMES = (b"build_date", b"update_date", b"build_timestamp", b"SOURCE_DATE_EPOCH")
"""The names through which a template or Python code reaches the build's date: MkDocs gives
templates `build_date_utc` and `page.update_date`, and code `get_build_date`,
`get_build_datetime` and `get_build_timestamp` (mkdocs.utils), which read SOURCE_DATE_EPOCH."""


def _reads_build_date(name: str, data: bytes) -> bool:
    """Whether a theme override or a hook (or a module it imports) may put the build's date into
    pages (Material's own templates, and ours, do not): the framed pages then depend on the
    day, which only such a part keys."""
    return name.startswith(("custom_dir/", "hook/", "module/")) and any(
        word in data for word in _BUILD_DATE_NAMES
    )


def _write_texts(site_dir: Path, texts: dict[str, str]) -> None:
    """Files of the site, by their path in it, made with their folders."""
    for path, text in texts.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _nav(site: Site) -> list:
    """The navigation: the chooser, then each jurisdiction's documents by language."""
    nav: list = [{_title_html(site.chooser): "index.md"}]
    for name, documents in site.nav:
        nav.append(
            {
                _title_html(name): [
                    {_title_html(label): url + "index.md"} for label, url in documents
                ]
            }
        )
    return nav


_WORD_CHARACTER = r"[0-9A-Za-z\u00c0-\u1fff\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff]"
SEARCH_SEPARATOR = (
    r"(?:[\s\u200b\u3000、。，．？！；?!,;:()\[\]\"'‘’«»„“”¿¡،؛؟\u2013\u2014]"
    rf"|\.(?!{_WORD_CHARACTER})|(?<!{_WORD_CHARACTER})\.)+"
)
"""Words end at white space, CJK punctuation (Material's Chinese separator), Latin and Arabic
punctuation, both apostrophes (l'adresse, l’Union: l and adresse, l and Union) and dashes, and at a
full stop but one between letters or digits (1.5 and shop.example stay whole), so one index serves
every published language. The index and the query are cut with it alike, in the theme's worker,
which marks a result's words by it too; the text of a Chinese page is cut into words at build time
and joined by zero-width spaces (U+200B). A hyphen is not a separator: the site's worker indexes a
hyphenated word in parts and joined (e-mail as e, mail and email; see policy-search.js)."""


def _configure_search(search: Any, languages: list[str]) -> None:
    """Index the published languages that the theme's offline search has stemmers and stop words
    for, unless mkdocs.yml says otherwise; the page script narrows it to one (theme/main.html)."""
    if not search.lang:
        search.lang = search_languages(languages)
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


@lru_cache(maxsize=256)
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


def _settled(view: Any, name: str, value: Any) -> Any:
    """`value`, read from the configuration behind `view` (a `_LocalizedConfig` or
    `_LocalizedTheme`), kept as an attribute of the view unless it is private: the theme reads
    the same settings on every page (a third of a million reads while W-large's pages are framed,
    2.4 microseconds each through `__getattr__`), and they are settled by the time it does. A
    private one may change from page to page (MkDocs sets `_current_page`)."""
    if not name.startswith("_"):
        view.__dict__[name] = value
    return value


class _LocalizedTheme:
    """The theme configuration as one page sees it: the same, but in the page's language."""

    def __init__(self, theme: Any, language: str) -> None:
        self._theme = theme
        self.language = language

    def __getattr__(self, name: str) -> Any:
        return _settled(self, name, getattr(self._theme, name))

    def __getitem__(self, key: str) -> Any:
        return self.language if key == "language" else self._theme[key]

    def __contains__(self, key: str) -> bool:
        return key in self._theme

    def get(self, key: str, default: Any = None) -> Any:
        return self.language if key == "language" else self._theme.get(key, default)


class _LocalizedConfig:
    """The site configuration as one page sees it: the theme's language and the site's name are
    the page's language's."""

    def __init__(self, config: Any, language: str, site_name: str) -> None:
        self._config = config
        self.theme = _LocalizedTheme(config.theme, language)
        self.site_name = site_name

    def __getattr__(self, name: str) -> Any:
        return _settled(self, name, getattr(self._config, name))

    def __getitem__(self, key: str) -> Any:
        return self._own(key) if key in _LOCALIZED else self._config[key]

    def __contains__(self, key: str) -> bool:
        return key in self._config

    def get(self, key: str, default: Any = None) -> Any:
        return self._own(key) if key in _LOCALIZED else self._config.get(key, default)

    def _own(self, key: str) -> Any:
        return self.theme if key == "theme" else self.site_name


_LOCALIZED = frozenset({"theme", "site_name"})
"""The settings a `_LocalizedConfig` has of its own."""


@lru_cache(maxsize=65536)
def _section_link(anchor: str, title_html: str) -> AnchorLink:
    """A clause's entry in a table of contents (its title as HTML, `Page.toc`); one object for
    every page that lists the clause with this title (the theme only reads it)."""
    return AnchorLink(title_html, anchor, 2)


def _site_name_html(text: str) -> Markup:
    """The site's name for the theme, which prints it unescaped in text and in an attribute
    (`aria-label`) and escapes it in another (`title`): escaped once, quotes included, as
    markup that an escaping filter leaves as it is. It comes from the policy, which the editors
    write (the check refuses markup in it; this holds without the check)."""
    return Markup(escape(text, quote=True))


def _title_html(text: str) -> str:
    """A title for the places MkDocs and Material print titles as HTML: `<`, `>` and `&`
    escaped; quotes kept, since Material escapes the attributes it puts titles in itself."""
    return escape(text, quote=False)
