"""Synthetic policy repositories for benchmarks: real git repositories with a realistic history.

A workload is N clauses, J jurisdictions (each extending `global` or another jurisdiction), L
languages with complete gettext catalogs (`locales/<lang>/LC_MESSAGES/policy.po`, msgctxt the clause
id or `<id>@<jurisdiction>`), and V source versions made of commits: paragraph edits, clause file
moves, clause id renames, added clauses, and translation catch-ups (a source edit, then a commit
updating every catalog). Every commit that changes the source text rewrites `policies/change.yml`.

The history is written with `git fast-import` (one process, no working tree per commit), with fixed
dates, so the same workload always gives the same repository. Everything is derived from a seeded
`random.Random`: no wall clock, no network.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGES = (
    "en", "de", "fr", "es", "it", "nl", "pt-BR", "pl", "sv", "ja", "zh-Hans", "ar",
    "da", "fi", "cs", "tr", "ko", "he", "el", "hu",
)  # fmt: skip
"""Language tags in the order workloads take them; the source language first."""

_CATALOG_NAMES = {"pt-BR": "pt_BR", "zh-Hans": "zh_Hans"}
_SCRIPTS = {
    "ja": "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわ",
    "zh-Hans": "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴",
    "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "ko": "가나다라마바사아자차카타파하고노도로모보소오조초코토포호",
    "he": "אבגדהוזחטיכלמנסעפצקרשת",
    "el": "αβγδεζηθικλμνξοπρστυφχψω",
}
_LATIN = "abcdefghijklmnoprstuvz"
_WORDS = [
    "we",
    "your",
    "data",
    "order",
    "account",
    "shop",
    "information",
    "delivery",
    "payment",
    "service",
    "personal",
    "keep",
    "use",
    "share",
    "provider",
    "contact",
    "address",
    "email",
    "phone",
    "newsletter",
    "cookie",
    "browser",
    "request",
    "right",
    "access",
    "delete",
    "correct",
    "object",
    "restrict",
    "transfer",
    "store",
    "secure",
    "protect",
    "process",
    "purpose",
    "legal",
    "basis",
    "consent",
    "contract",
    "interest",
    "law",
    "authority",
    "period",
    "month",
    "year",
    "record",
    "product",
    "return",
    "refund",
    "support",
    "message",
    "website",
    "visit",
    "device",
    "location",
    "country",
    "partner",
    "carrier",
    "bank",
    "marketing",
    "analytics",
    "security",
    "team",
    "staff",
    "customer",
    "details",
    "name",
    "basket",
    "search",
    "page",
    "settings",
    "choice",
    "withdraw",
    "complain",
    "review",
    "update",
    "notice",
    "change",
    "apply",
    "only",
    "need",
    "when",
    "where",
    "which",
    "who",
    "how",
    "long",
    "after",
    "before",
    "during",
    "with",
    "without",
    "about",
    "under",
    "within",
    "across",
    "between",
    "through",
]
_TOKEN = re.compile(r"\{\{[^}]*\}\}|\*\*|\w+|\W", re.UNICODE)


@dataclass(frozen=True, kw_only=True)
class Workload:
    """The size of a synthetic repository."""

    clauses: int
    jurisdictions: int
    languages: int
    versions: int
    seed: int = 7

    @property
    def name(self) -> str:
        """A short label, e.g. `c60-j8-l12-v40`."""
        return f"c{self.clauses}-j{self.jurisdictions}-l{self.languages}-v{self.versions}"


W_LARGE = Workload(clauses=60, jurisdictions=8, languages=12, versions=40)
W_QUICK = Workload(clauses=16, jurisdictions=3, languages=3, versions=8)


@dataclass(frozen=True, kw_only=True)
class Commit:
    """One commit of the synthetic history: files written (bytes) or deleted (None)."""

    message: str
    date: dt.datetime
    files: dict[str, bytes | None]


@dataclass(kw_only=True)
class _Clause:
    id: str
    order: int
    title: str
    jurisdictions: tuple[str, ...]
    blocks: list[str]
    path: str


@dataclass(kw_only=True)
class _Variant:
    clause_id: str
    jurisdiction: str
    mode: str
    blocks: list[str]
    path: str


@dataclass(kw_only=True)
class _State:
    """The sources as they stand after the commits generated so far."""

    jurisdictions: list[tuple[str, str | None]]
    languages: list[str]
    clauses: dict[str, _Clause] = field(default_factory=dict)
    variants: dict[tuple[str, str], _Variant] = field(default_factory=dict)
    translated: dict[tuple[str, str, str], str] = field(default_factory=dict)
    """(language, context, source) -> translation, everything translators have done so far."""
    summary: str = "First version."


class Generator:
    """Builds the commits of a workload's history, deterministically."""

    def __init__(self, workload: Workload) -> None:
        self.workload = workload
        self.random = random.Random(workload.seed)
        self.day = 0
        ids = ["global"] + [f"region-{i}" for i in range(1, workload.jurisdictions)]
        # Every third jurisdiction extends the one before it, the others extend global: variants
        # are inherited two levels deep, as eu -> de would be.
        parents = [None] + [
            ids[i - 1] if i % 3 == 0 else "global" for i in range(1, workload.jurisdictions)
        ]
        self.state = _State(
            jurisdictions=list(zip(ids, parents, strict=True)),
            languages=list(LANGUAGES[: workload.languages]),
        )

    def commits(self, extra_edits: int = 0, regional: bool = False) -> Iterator[Commit]:
        """The whole history: V source versions with translation catch-ups, then `extra_edits`
        further commits that each change one paragraph of one clause (translations lag): a
        clause every jurisdiction has, or with `regional`, one that only one jurisdiction has."""
        yield self._first()
        for number in range(2, self.workload.versions + 1):
            if number % 7 == 0:
                yield self._rename()
            if number % 10 == 0:
                yield self._add_clause(number)
            elif number % 10 == 5:
                yield self._rename_id(number)
            else:
                yield self._edit(number)
            # Translators usually catch up at once, sometimes only after the next version.
            if number % 4 != 2 or number == self.workload.versions:
                yield self._catch_up()
        for extra in range(extra_edits):
            number = self.workload.versions + 1 + extra
            yield self._edit(number, clauses=1, variants=False, regional=regional)

    # Commits ------------------------------------------------------------------------------

    def _first(self) -> Commit:
        state = self.state
        for index in range(self.workload.clauses):
            clause = self._new_clause(index)
            state.clauses[clause.id] = clause
        for position, (jid, _parent) in enumerate(state.jurisdictions[1:], start=1):
            for offset in range(3):
                target = sorted(state.clauses)[(position * 5 + offset * 11) % len(state.clauses)]
                mode = "replace" if offset == 2 else "extend"
                state.variants[(target, jid)] = _Variant(
                    clause_id=target,
                    jurisdiction=jid,
                    mode=mode,
                    blocks=[self._paragraph()],
                    path=f"policies/clauses/{jid}/{target}.{jid}.md",
                )
        files: dict[str, bytes | None] = {
            "policies/site.yml": _SITE_YML.encode(),
            "policies/jurisdictions.yml": self._jurisdictions_yml(),
            "policies/change.yml": self._change_yml("First version."),
        }
        files.update(self._source_files())
        self._translate_everything()
        files.update(self._catalogs())
        return self._commit("First version", files)

    def _edit(
        self, number: int, clauses: int = 2, variants: bool = True, regional: bool = False
    ) -> Commit:
        """Reword one paragraph in each of a few clauses (or variants)."""
        state = self.state
        files: dict[str, bytes | None] = {}
        for _ in range(clauses):
            if variants and state.variants and self.random.random() < 0.25:
                variant = state.variants[self.random.choice(sorted(state.variants))]
                self._reword(variant.blocks)
                files[variant.path] = self._variant_file(variant)
            else:
                ids = sorted(
                    i for i, c in state.clauses.items() if c.jurisdictions != ("global",)
                ) if regional else sorted(state.clauses)  # fmt: skip
                clause = state.clauses[self.random.choice(ids)]
                self._reword(clause.blocks)
                files[clause.path] = self._clause_file(clause)
        summary = f"Version {number}: clarified {len(files)} sections."
        files["policies/change.yml"] = self._change_yml(summary)
        return self._commit(f"Reword {len(files) - 1} sections", files)

    def _add_clause(self, number: int) -> Commit:
        clause = self._new_clause(len(self.state.clauses) + number * 100)
        self.state.clauses[clause.id] = clause
        files = {
            clause.path: self._clause_file(clause),
            "policies/change.yml": self._change_yml(f"Version {number}: a new section."),
        }
        return self._commit(f"Add {clause.id}", files)

    def _rename(self) -> Commit:
        """Move a clause file to another folder and name: the same clause, no new version."""
        clause = self.state.clauses[self.random.choice(sorted(self.state.clauses))]
        old = clause.path
        clause.path = f"policies/clauses/moved-{self.day}/{clause.id}.md"
        return self._commit(
            f"Move {clause.id} to its own folder",
            {old: None, clause.path: self._clause_file(clause)},
        )

    def _rename_id(self, number: int) -> Commit:
        """Give a clause (and its variants) a new id and reword one of its paragraphs, carrying
        its translations over to the new id as `policy i18n update` does: the reworded paragraph
        waits for its translators, the rest stays translated."""
        state = self.state
        clause = state.clauses.pop(self.random.choice(sorted(state.clauses)))
        old_id, clause.id = clause.id, f"section-{number:03d}"
        state.clauses[clause.id] = clause
        files: dict[str, bytes | None] = {clause.path: None}
        clause.path = f"policies/clauses/{clause.id}.md"
        contexts = {old_id: clause.id}
        for jid in [j for (c, j) in state.variants if c == old_id]:
            variant = state.variants.pop((old_id, jid))
            files[variant.path] = None
            variant.clause_id = clause.id
            variant.path = f"policies/clauses/{jid}/{clause.id}.{jid}.md"
            state.variants[(clause.id, jid)] = variant
            files[variant.path] = self._variant_file(variant)
            contexts[f"{old_id}@{jid}"] = f"{clause.id}@{jid}"
        for (language, context, source), text in list(state.translated.items()):
            if context in contexts:
                state.translated[(language, contexts[context], source)] = text
        self._reword(clause.blocks)
        files[clause.path] = self._clause_file(clause)
        files["policies/change.yml"] = self._change_yml(
            f"Version {number}: a section renamed and clarified."
        )
        files.update(self._catalogs())
        return self._commit(f"Rename {old_id} to {clause.id}", files)

    def _catch_up(self) -> Commit:
        self._translate_everything()
        return self._commit("Update translations", dict(self._catalogs()))

    # Content ------------------------------------------------------------------------------

    def _new_clause(self, index: int) -> _Clause:
        # Most clauses apply everywhere; some only in one jurisdiction (and those extending it).
        jurisdictions = self.state.jurisdictions
        regions = jurisdictions[1:] or jurisdictions
        scope = "global" if index % 6 else regions[(index // 6) % len(regions)][0]
        blocks = [self._paragraph() for _ in range(1 + index % 3)]
        if index % 4 == 1:
            blocks += [f"- {self._sentence(5, 10)}" for _ in range(3)]
        if index % 5 == 3:
            blocks += [f"### {self._sentence(2, 4).rstrip('.')}", self._paragraph()]
        clause_id = f"clause-{index:03d}"
        return _Clause(
            id=clause_id,
            order=(index + 1) * 10,
            title=self._sentence(2, 5).rstrip("."),
            jurisdictions=(scope,),
            blocks=blocks,
            path=f"policies/clauses/{index:03d}-{clause_id}.md",
        )

    def _reword(self, blocks: list[str]) -> None:
        index = self.random.randrange(len(blocks))
        prefix = re.match(r"^(- |### )?", blocks[index]).group(0)  # type: ignore[union-attr]
        words = blocks[index][len(prefix) :].split(" ")
        # Only plain words are replaced, so variables and bold marks stay intact.
        position = self.random.choice([i for i, w in enumerate(words) if w.isalpha()])
        words[position : position + 1] = self._sentence(3, 8).rstrip(".").lower().split(" ")
        blocks[index] = prefix + " ".join(words)

    def _paragraph(self) -> str:
        sentences = [self._sentence(8, 18) for _ in range(self.random.randint(2, 4))]
        if self.random.random() < 0.3:
            sentences.append("Write to {{ contact.email }} with any question.")
        if self.random.random() < 0.3:
            sentences[0] = "{{ company.name }} " + sentences[0][0].lower() + sentences[0][1:]
        if self.random.random() < 0.2:
            sentences[-1] = "**" + sentences[-1].rstrip(".") + "**."
        return " ".join(sentences)

    def _sentence(self, low: int, high: int) -> str:
        words = [self.random.choice(_WORDS) for _ in range(self.random.randint(low, high))]
        return " ".join(words).capitalize() + "."

    def _translate_everything(self) -> None:
        state = self.state
        for language in state.languages[1:]:
            for context, source in self._messages():
                key = (language, context, source)
                if key not in state.translated:
                    state.translated[key] = pseudo_translate(source, language)

    def _messages(self) -> list[tuple[str, str]]:
        """(msgctxt, msgid) of every message of the current sources, as `policy` extracts them."""
        messages = []
        for clause in sorted(self.state.clauses.values(), key=lambda c: c.id):
            messages.append((clause.id, clause.title))
            messages.extend((clause.id, _strip_prefix(b)) for b in clause.blocks)
        for (clause_id, jid), variant in sorted(self.state.variants.items()):
            messages.extend((f"{clause_id}@{jid}", _strip_prefix(b)) for b in variant.blocks)
        return messages

    # Files --------------------------------------------------------------------------------

    def _source_files(self) -> Iterator[tuple[str, bytes]]:
        for clause in self.state.clauses.values():
            yield clause.path, self._clause_file(clause)
        for variant in self.state.variants.values():
            yield variant.path, self._variant_file(variant)

    def _clause_file(self, clause: _Clause) -> bytes:
        header = (
            f"---\nid: {clause.id}\ntitle: {clause.title}\norder: {clause.order}\n"
            f"jurisdictions: [{', '.join(clause.jurisdictions)}]\n---\n"
        )
        return (header + _body(clause.blocks)).encode()

    def _variant_file(self, variant: _Variant) -> bytes:
        header = (
            f"---\nvariant_of: {variant.clause_id}\njurisdiction: {variant.jurisdiction}\n"
            f"mode: {variant.mode}\n---\n"
        )
        return (header + _body(variant.blocks)).encode()

    def _jurisdictions_yml(self) -> bytes:
        languages = ", ".join(self.state.languages)
        lines = []
        for jid, parent in self.state.jurisdictions:
            lines.append(f"{jid}:\n  name: {jid.replace('-', ' ').title()}")
            if parent:
                lines.append(f"  extends: {parent}")
            lines.append(f"  languages: [{languages}]")
        return ("\n".join(lines) + "\n").encode()

    def _change_yml(self, summary: str) -> bytes:
        self.state.summary = summary
        effective = _date(self.day + 1).date().isoformat()
        # JSON strings are YAML strings: the summary may hold ': ' safely.
        return f"summary: {json.dumps(summary)}\nkind: material\neffective: {effective}\n".encode()

    def _catalogs(self) -> Iterator[tuple[str, bytes]]:
        messages = self._messages()
        for language in self.state.languages[1:]:
            # A message its translators have not reached yet is written untranslated.
            entries = [
                (context, source, self.state.translated.get((language, context, source), ""))
                for context, source in messages
            ]
            summary = self.state.summary
            entries.append(("change", summary, pseudo_translate(summary, language)))
            yield catalog_path(language), _po(language, entries)

    def _commit(self, message: str, files: dict[str, bytes | None]) -> Commit:
        self.day += 1
        return Commit(message=message, date=_date(self.day), files=files)


def pseudo_translate(text: str, language: str) -> str:
    """A deterministic stand-in for a translation: each word replaced by a word of the same
    length in the language's script; variables, bold marks and punctuation kept."""
    alphabet = _SCRIPTS.get(language, _LATIN)
    salt = sum(map(ord, language))
    out = []
    for token in _TOKEN.findall(text):
        if token.startswith("{{") or not token.isalnum():
            out.append(token)
            continue
        seed = sum(ord(c) * (i + 1) for i, c in enumerate(token)) + salt
        length = max(1, len(token) // 2) if language in {"ja", "zh-Hans"} else len(token) + 1
        word = "".join(alphabet[(seed * (i + 7) + i * i) % len(alphabet)] for i in range(length))
        out.append(word.capitalize() if token[:1].isupper() else word)
    return "".join(out)


def catalog_path(language: str) -> str:
    """Where a language's catalog lives (gettext spells `pt-BR` as `pt_BR`)."""
    return f"locales/{_CATALOG_NAMES.get(language, language)}/LC_MESSAGES/policy.po"


def write_repository(
    root: Path, workload: Workload, extra_edits: int = 0, regional: bool = False
) -> list[Commit]:
    """Create a git repository at `root` holding the workload's history (and a checkout of it).

    The last `extra_edits` commits (see `Generator.commits`) are returned, not written:
    `append_commits` adds them later, as the next merges to main would.
    """
    commits = list(Generator(workload).commits(extra_edits, regional))
    written, pending = commits[: len(commits) - extra_edits], commits[len(commits) - extra_edits :]
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    _git(root, "init", "-q", "-b", "main")
    setup = Commit(
        message="Site configuration",
        date=_date(0),
        files={
            "mkdocs.yml": PROJECT_MKDOCS_YML.read_bytes(),
            ".gitignore": b"/site/\n/.policy-cache/\n",
        },
    )
    append_commits(root, [setup, *written])
    return pending


def append_commits(root: Path, commits: list[Commit]) -> None:
    """Add commits on top of main with `git fast-import`, then update the checkout."""
    has_head = (
        subprocess.run(
            ["git", "rev-parse", "-q", "--verify", "refs/heads/main"],
            cwd=root,
            capture_output=True,
        ).returncode
        == 0
    )
    stream = bytearray()
    for index, commit in enumerate(commits):
        stamp = f"{int(commit.date.timestamp())} +0000"
        message = commit.message.encode()
        stream += b"commit refs/heads/main\n"
        stream += f"author Bench Author <bench@example.invalid> {stamp}\n".encode()
        stream += f"committer Bench Author <bench@example.invalid> {stamp}\n".encode()
        stream += f"data {len(message)}\n".encode() + message + b"\n"
        if index == 0 and has_head:
            stream += b"from refs/heads/main^0\n"
        for path, content in sorted(commit.files.items()):
            if content is None:
                stream += f"D {path}\n".encode()
            else:
                stream += f"M 100644 inline {path}\ndata {len(content)}\n".encode()
                stream += content + b"\n"
        stream += b"\n"
    subprocess.run(
        ["git", "fast-import", "--quiet", "--done"],
        cwd=root,
        input=bytes(stream) + b"done\n",
        check=True,
    )
    _git(root, "reset", "-q", "--hard", "main")


def head(root: Path) -> str:
    """The commit main points at."""
    return subprocess.run(
        ["git", "rev-parse", "main"], cwd=root, check=True, capture_output=True, text=True
    ).stdout.strip()


def reset(root: Path, commit: str) -> None:
    """Put main (and the checkout) back at `commit`, dropping the commits after it."""
    _git(root, "reset", "-q", "--hard", commit)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def _date(day: int) -> dt.datetime:
    return dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=day)


def _body(blocks: list[str]) -> str:
    out: list[str] = []
    for index, block in enumerate(blocks):
        previous = blocks[index - 1] if index else None
        # List items of one list are written on consecutive lines, everything else apart.
        if previous is not None:
            together = block.startswith("- ") and previous.startswith("- ")
            out.append("\n" if together else "\n\n")
        out.append(block)
    return "".join(out) + "\n"


def _strip_prefix(block: str) -> str:
    return re.sub(r"^(- |### )", "", block)


def _po(language: str, entries: list[tuple[str, str, str]]) -> bytes:
    lines = [
        'msgid ""',
        'msgstr ""',
        '"Project-Id-Version: synthetic policy\\n"',
        '"PO-Revision-Date: 2024-01-01 12:00+0000\\n"',
        '"Last-Translator: Bench Translator <translator@example.invalid>\\n"',
        f'"Language-Team: {language}\\n"',
        f'"Language: {_CATALOG_NAMES.get(language, language)}\\n"',
        '"MIME-Version: 1.0\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Content-Transfer-Encoding: 8bit\\n"',
        "",
    ]
    for context, source, translation in entries:
        lines += [
            f"msgctxt {_quote(context)}",
            f"msgid {_quote(source)}",
            f"msgstr {_quote(translation)}",
            "",
        ]
    return "\n".join(lines).encode()


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_SITE_YML = """\
title: Privacy policy
source_language: en
variables:
  company:
    name: Example Shop Ltd.
  contact:
    email: privacy@shop.example
"""

PROJECT_MKDOCS_YML = Path(__file__).resolve().parent.parent / "mkdocs.yml"
"""The synthetic repositories use the project's own MkDocs configuration."""
