"""The search index's Chinese words are cut once per text and kept between builds, and the index is
the same as the theme makes it alone: with the cache, without it, and after a change."""

from __future__ import annotations

import json
import logging
import marshal
from pathlib import Path

import pytest
from material.plugins.search.plugin import SearchIndex

from generator.build import BuildOptions, build_site
from generator.search_words import SearchWords, Segmenter
from tests.conftest import Project, change_yml
from tests.histories import GERMAN, po

ZH_PO = "locales/zh_Hans/LC_MESSAGES/policy.po"
WITH_CHINESE = """\
global:
  name: Worldwide
  languages: [en, zh-Hans]
eu:
  name: European Union
  extends: global
  languages: [en, zh-Hans]
"""
CHINESE = {key: "我们收集您的个人信息用于处理订单。" + text for key, text in GERMAN.items()}
"""Complete: every German entry, Han text first (its variables kept)."""
TEXTS = [
    "我们收集您的个人信息用于处理订单。",
    "Privacy policy 隐私政策 and 数据保护",
    "No Han characters at all.",
    "",
]


def _theme_segment() -> object:
    return SearchIndex(lang=["en"], separator=" ", pipeline=[], fields={})._segment_chinese


def _counting(segment):  # noqa: ANN001, ANN202
    calls: list[str] = []

    def counted(text: str) -> str:
        calls.append(text)
        return segment(text)

    return counted, calls


def test_each_text_is_cut_once_and_as_the_theme_cuts_it(tmp_path):
    segment = _theme_segment()
    counted, calls = _counting(segment)
    words = SearchWords(tmp_path, {})
    remembered = words.remembering(counted)
    assert [remembered(t) for t in TEXTS + TEXTS] == [segment(t) for t in TEXTS + TEXTS]
    assert "\u200b" in remembered(TEXTS[0])  # really cut into words
    assert calls == TEXTS


def test_the_next_build_cuts_only_new_texts(tmp_path):
    segment = _theme_segment()
    first = SearchWords(tmp_path, {})
    remembered = first.remembering(segment)
    for text in TEXTS:
        remembered(text)
    first.save()
    counted, calls = _counting(segment)
    again = SearchWords(tmp_path, {}).remembering(counted)
    assert [again(t) for t in [*TEXTS, "新的文字"]] == [segment(t) for t in [*TEXTS, "新的文字"]]
    # Only the texts with words to cut are kept: the others cost the theme a look, not jieba.
    assert calls == ["No Han characters at all.", "", "新的文字"]


def test_a_damaged_or_foreign_entry_is_not_used(tmp_path, caplog):
    segment = _theme_segment()
    first = SearchWords(tmp_path, {})
    first.remembering(segment)(TEXTS[0])
    first.save()
    (entry,) = (tmp_path / "search").rglob("*.*")
    entry.write_bytes(entry.read_bytes().replace("我们".encode(), "他们".encode()))
    counted, calls = _counting(segment)
    with caplog.at_level(logging.WARNING):
        assert SearchWords(tmp_path, {}).remembering(counted)(TEXTS[0]) == segment(TEXTS[0])
    assert calls == [TEXTS[0]]
    assert any("search cache" in r.message and "damaged" in r.message for r in caplog.records)
    # Another dictionary is another key: the cuts made with the default one are not used.
    dictionary = tmp_path / "words.txt"
    dictionary.write_text("隐私政策 5\n", encoding="utf-8")
    other = SearchWords(tmp_path, {"jieba_dict_user": str(dictionary)})
    assert other.known == {}


def _chinese_project(make_project) -> Project:
    return make_project({"policies/jurisdictions.yml": WITH_CHINESE, ZH_PO: po(CHINESE)})


def _index(project: Project, cache: Path | None, site: str, jobs: int = 1) -> bytes:
    build_site(
        BuildOptions(project_dir=project.root, cache=cache is not None, cache_dir=cache, jobs=jobs),
        project.root / site,
    )
    return (project.root / site / "search" / "search_index.json").read_bytes()


def test_japanese_text_is_not_cut_with_the_chinese_dictionary(make_project, tmp_path):
    """jieba would index 個人情報 ("personal information") as 個|人情|報, with 人情 ("human
    feelings") for a word, while the browser cuts a Japanese query with its own segmenter
    (lunr.ja): a Japanese page's text is indexed as it is, and cut in the browser as the query is."""
    japanese = {key: "個人情報の取り扱いについて。" + text for key, text in GERMAN.items()}
    project = make_project(
        {
            "policies/jurisdictions.yml": WITH_CHINESE.replace("zh-Hans]", "zh-Hans, ja]"),
            ZH_PO: po(CHINESE),
            "locales/ja/LC_MESSAGES/policy.po": po(japanese),
        }
    )
    docs = json.loads(_index(project, tmp_path / "cache", "site"))["docs"]
    texts = {
        language: " ".join(d["text"] for d in docs if d["location"].startswith(f"eu/{language}/#"))
        for language in ("ja", "zh-hans")
    }
    assert "個人情報の取り扱いについて。" in texts["ja"]
    assert "\u200b" not in texts["ja"]
    assert "\u200b" in texts["zh-hans"]  # Chinese is still cut, with the dictionary made for it


def test_the_index_is_the_themes_with_and_without_the_cache(make_project, tmp_path, monkeypatch):
    from generator import plugin

    project = _chinese_project(make_project)
    cache = tmp_path / "cache"
    with monkeypatch.context() as patch:  # the words cut in this process, as the theme cuts them
        patch.setattr(plugin, "can_fork", lambda: False)
        plain = _index(project, None, "plain")
    assert _index(project, None, "cut-elsewhere") == plain
    # The Chinese pages were cut into words.
    assert any("\u200b" in doc["text"] for doc in json.loads(plain)["docs"])
    assert _index(project, cache, "cold") == plain
    assert list((cache / "search").rglob("*.*"))
    assert _index(project, cache, "warm") == plain
    # Pages rendered by two processes, the words cut in another: the same index.
    assert _index(project, None, "two-jobs", jobs=2) == plain
    chinese = {**CHINESE, ("who-we-are", "Who we are"): "我们是谁以及如何联系我们"}
    project.commit(
        "Clearer Chinese",
        {ZH_PO: po(chinese), "policies/change.yml": change_yml("Chinese wording.", "2026-01-02")},
    )
    assert _index(project, cache, "changed") == _index(project, None, "changed-plain")


def test_words_cut_in_another_process_are_the_themes(tmp_path):
    """The segmenter process cuts as the theme's own function does; text without Han
    characters never reaches it; if it fails, the rest is cut here."""
    theme = _theme_segment()
    counted, calls = _counting(theme)
    segmenter = Segmenter(counted)
    try:
        assert [segmenter(text) for text in TEXTS] == [theme(text) for text in TEXTS]
        # Cut here: only the texts with no Han character (the others were cut in the process).
        assert calls == ["No Han characters at all.", ""]
        segmenter._worker.stop()  # the process dies: the next text is cut here
        assert segmenter(TEXTS[0]) == theme(TEXTS[0])
        assert calls[-1] == TEXTS[0]
    finally:
        segmenter.close()
    assert segmenter(TEXTS[1]) == theme(TEXTS[1])


def test_a_late_segmenter_starts_with_the_first_han_text(tmp_path):
    """After a build that cut its texts, the process starts only when a Han text is new."""
    theme = _theme_segment()
    segmenter = Segmenter(theme, early=False)
    try:
        assert segmenter("No Han characters at all.") == "No Han characters at all."
        assert segmenter._worker is None  # nothing to cut: no process, no word list loaded
        assert segmenter(TEXTS[0]) == theme(TEXTS[0])
        assert segmenter._worker is not None
        assert segmenter(TEXTS[1]) == theme(TEXTS[1])
    finally:
        segmenter.close()


def test_a_page_says_its_exact_language_where_the_theme_has_another_code(make_project):
    """The theme writes `zh` for a `zh-Hans` page: the page says `zh-Hans`, framed or reused, and
    a page whose tag the theme has (`en`) is left as the theme wrote it."""
    project = _chinese_project(make_project)
    cache = project.root / "cache"
    for site in ("cold", "warm"):
        build_site(BuildOptions(project_dir=project.root, cache_dir=cache), project.root / site)
        for path, language in (("global/zh-hans/", "zh-Hans"), ("eu/en/v/1/", "en")):
            page = (project.root / site / path / "index.html").read_text(encoding="utf-8")
            assert page.lstrip().startswith(
                f'<!doctype html>\n<html lang="{language}" class="no-js">'
            )


@pytest.mark.parametrize("user_words", [False, True], ids=["jieba's words", "a user dictionary"])
def test_a_foreign_word_list_in_the_temporary_folder_changes_no_word(
    make_project, tmp_path, user_words
):
    """jieba keeps its word list, prepared, in the temporary folder, the default dictionary's as
    `jieba.cache`, and loads one found there without asking what it was made from: another jieba
    (another version, a fork with other words) run on the same machine leaves its own there. The
    site is the same whatever that folder holds."""
    project = _chinese_project(make_project)
    if user_words:
        # The theme then has jieba load its words while it is configured, before any page.
        search = "  - search:\n      jieba_dict_user: userdict.txt\n"
        mkdocs = project.read("mkdocs.yml").replace("  - search\n", search, 1)
        project.write({"userdict.txt": "个人信息 100 n\n", "mkdocs.yml": mkdocs})
        project.commit("Words of our own", {})
    clean, foreign = tmp_path / "clean-tmp", tmp_path / "foreign-tmp"
    clean.mkdir()
    foreign.mkdir()
    # A word list of single characters: every Han text would be cut into its characters.
    theirs = marshal.dumps(({"我": 1, "们": 1, "个": 1}, 3))
    (foreign / "jieba.cache").write_bytes(theirs)
    sites = {}
    for name, folder in (("clean", clean), ("foreign", foreign)):
        built = project.policy(
            "build", "--no-cache", "--site-dir", name, env={"TMPDIR": str(folder)}
        )
        assert built.returncode == 0, built.stderr
        sites[name] = (project.root / name / "search" / "search_index.json").read_bytes()
    # The Chinese pages were cut into words.
    assert any("\u200b" in doc["text"] for doc in json.loads(sites["clean"])["docs"])
    assert sites["foreign"] == sites["clean"]
    assert (foreign / "jieba.cache").read_bytes() == theirs  # left as it was, for its owner
