"""`policy diff`: which documents a change touches, and their redlines, as pull-request Markdown."""

from __future__ import annotations

from conftest import BASE_FILES, JURISDICTIONS_YML, SITE_YML, WHO_MD, Project, at_noon, change_yml
from histories import (
    DATA_MD,
    EU_WITHOUT_GERMAN,
    GERMAN,
    GERMAN_FULL_NAME,
    WITH_GERMAN,
    WITHOUT_EU,
    announce_full_name,
    history_of,
    po,
    publication,
    withdraw_full_name,
)

DE_PO = "locales/de/LC_MESSAGES/policy.po"

RIGHTS_MD = """\
---
id: your-rights
title: Your rights | what you can ask
order: 30
jurisdictions: [eu]
---
You may ask for a copy of your data *at any time*.

1. Write to {{ contact.email }}.
2. We answer within [one month](https://shop.example/help).
"""

NEW_DATA_MD = DATA_MD.replace("your name;", "your full name;").replace(
    "- your delivery address.", "- your delivery address;\n- your phone number."
)


def _two_commits(make_project):
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit(
        "Full name, phone, rights",
        {
            "policies/clauses/data.md": NEW_DATA_MD,
            "policies/clauses/rights.md": RIGHTS_MD,
            "policies/clauses/who.md": None,
            "policies/change.yml": change_yml(
                "We ask for your full name and phone number.", "2026-02-01"
            ),
        },
    )
    return project


DATA_REDLINE = """\
#### Changed: The information we collect (`data-we-collect`)

…

- your <ins>full </ins>name;
- your delivery address<del>.</del><ins>;</ins>
- <ins>your phone number.</ins>"""

REMOVED_WHO = """\
#### Removed: Who we are (`who-we-are`)

<del>Example Shop Ltd. runs this shop. Write to privacy@shop.example.</del>"""


def test_diff_between_two_commits_is_pull_request_markdown(make_project):
    project = _two_commits(make_project)
    base, head = (project.git("rev-parse", r).strip()[:12] for r in ("HEAD~1", "HEAD"))
    result = project.policy("diff", "HEAD~1", "HEAD", env=at_noon("2026-01-02"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (
        result.stdout
        == f"""\
## Privacy policy changes

Comparing `HEAD~1 ({base})` with `HEAD ({head})`.

**Change note** (material, effective 2026-02-01): We ask for your full name and phone number.

| Document | What happens | Sections |
|---|---|---|
| `eu/en` European Union | new version | 1 removed, 1 changed, 1 added |
| `eu/de` European Union | translation incomplete | 7 missing, 0 to review: keeps its last complete version |
| `global/en` Worldwide | new version | 1 removed, 1 changed |
| `global/de` Worldwide | translation incomplete | 3 missing, 0 to review: keeps its last complete version |

### `eu/en`

{REMOVED_WHO}

{DATA_REDLINE}

#### Added: Your rights \\| what you can ask (`your-rights`)

<ins>You may ask for a copy of your data at any time.</ins>

1. <ins>Write to privacy@shop.example.</ins>
2. <ins>We answer within one month.</ins>

### `global/en`

{REMOVED_WHO}

{DATA_REDLINE}
"""
    )


def test_diff_groups_documents_with_the_same_redline(make_project):
    project = make_project()
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-01-02", "editorial"),
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert "**Change note** (editorial, effective 2026-01-02): Full name." in lines
    assert [line for line in lines if line.startswith("###")] == [
        "### `eu/en`, `global/en`",
        "#### Changed: The information we collect (`data-we-collect`)",
    ]


def test_diff_shows_a_clause_whose_id_changed_as_renamed(make_project):
    # It used to be the whole clause removed and the whole clause added again.
    project = make_project()
    project.commit(
        "Rename a section",
        {
            "policies/clauses/data.md": DATA_MD.replace(
                "id: data-we-collect", "id: what-we-collect"
            ).replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-01-02"),
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "| `eu/en` European Union | new version | 1 renamed and changed |" in lines
    redline = result.stdout.split("### `eu/en`, `global/en`\n\n", 1)[1]
    assert redline == (
        "#### Renamed from `data-we-collect`, and changed: The information we collect "
        "(`what-we-collect`)\n"
        "\n"
        "Links to `#data-we-collect` still lead to it.\n"
        "\n"
        "…\n"
        "\n"
        "- your <ins>full </ins>name;\n"
        "\n"
        "…\n"
    )


def test_diff_of_the_working_tree_warns_when_change_note_is_not_rewritten(make_project):
    project = make_project()
    project.write({"policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;")})
    head = project.git("rev-parse", "HEAD").strip()[:12]
    for args in (("diff",), ("diff", "HEAD"), ("diff", "HEAD", "--worktree")):
        result = project.policy(*args)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[:5] == [
            "## Privacy policy changes",
            "",
            f"Comparing `HEAD ({head})` with `the working tree`.",
            "",
            "**Warning:** the text changed but `policies/change.yml` was not rewritten; "
            "`policy check` fails until it describes this change.",
        ]


def test_diff_says_when_a_change_renames_the_policy_or_a_region(make_project):
    """A name is in no version's text: the reviewer learns that the pages take it anyway, and
    that no version records it."""
    project = make_project()
    project.write(
        {
            "policies/site.yml": SITE_YML.replace("title: Privacy policy", "title: Privacy notice"),
            "policies/jurisdictions.yml": JURISDICTIONS_YML.replace(
                "European Union", "European Union & EEA"
            ),
        }
    )
    result = project.policy("diff")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[4:] == [
        "**Renames** the policy's title from “Privacy policy” to “Privacy notice”; `eu` from "
        "“European Union” to “European Union &amp; EEA”. A name is no part of a version's text, "
        "so it makes no version: the policy in force and the site show the new name once "
        "published, and each published version keeps the name it was published with. Each "
        "language shows the new name in the source language until its catalog translates it "
        "(`policy i18n update`).",
        "",
        "No published document changes.",
    ]


def test_diff_warns_when_the_change_notes_effective_date_has_passed(make_project):
    """The versions apply from the day they are published, not from the day the note gives: the
    reviewer learns it from the comment, as the editor does from `policy check`."""
    project = make_project()
    project.write(
        {
            "policies/clauses/data.md": NEW_DATA_MD,
            "policies/change.yml": change_yml("We ask for your full name.", "2026-03-01"),
        }
    )
    passed = project.policy("diff", env=at_noon("2026-03-10"))
    assert passed.returncode == 0, passed.stderr
    assert passed.stdout.splitlines()[4:8] == [
        "**Change note** (material, effective 2026-03-01): We ask for your full name.",
        "",
        "**Warning:** the change takes effect on 2026-03-01, which has passed (today is "
        "2026-03-10, UTC): a version is never in force before it is published, so this one would "
        "take effect on the day it is published. Write that day or a later one. "
        "(`[change.effective-passed]`)",
        "",
    ]
    ahead = project.policy("diff", env=at_noon("2026-02-20"))
    assert ahead.returncode == 0, ahead.stderr
    assert "**Warning:**" not in ahead.stdout


def test_diff_warns_when_a_change_note_describes_no_change(make_project):
    project = make_project()
    project.write({"policies/change.yml": change_yml("Moved to March.", "2026-03-01")})
    result = project.policy("diff")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[4:7] == [
        "**Change note** (material, effective 2026-03-01): Moved to March.",
        "",
        "**Warning:** no text changes, so no version will carry this note; a version once "
        "published keeps its summary and dates. To move or withdraw an announced change, see "
        '"Moving an announced change" in `docs/authoring.md`.',
    ]


def test_diff_with_nothing_changed(make_project):
    project = make_project()
    project.commit("Docs", {"README.md": "Hello\n"})
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == "No published document changes."


def test_diff_added_jurisdiction_and_translation_complete_for_the_first_time(make_project):
    """German, listed but never translated, is translated: its documents are new, as Brazil's."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po({})})
    project.commit(
        "Translate, add Brazil",
        {
            DE_PO: po(GERMAN),
            "policies/jurisdictions.yml": WITH_GERMAN
            + "br:\n  name: Brazil\n  extends: global\n  languages: [en]\n",
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    table = [line for line in result.stdout.splitlines() if line.startswith("| `")]
    assert table == [
        "| `br/en` Brazil | new document | 2 added |",
        "| `eu/de` European Union | new document | 2 added |",
        "| `global/de` Worldwide | new document | 2 added |",
    ]
    assert "###" not in result.stdout


def test_diff_of_a_revert_says_a_translation_complete_again_gets_no_version(make_project):
    """English changes a paragraph German does not translate, then goes back to its text: German
    is complete again with the text its version has, so the build makes no version of it (its
    pages stop saying it lags), and the comment must not promise one."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit(
        "Phone",
        {
            "policies/clauses/data.md": DATA_MD.replace("address.", "address;\n- your phone."),
            "policies/change.yml": change_yml("Phone.", "2026-01-02"),
        },
    )
    project.commit(
        "No phone",
        {
            "policies/clauses/data.md": DATA_MD,
            "policies/change.yml": change_yml("No phone after all.", "2026-01-03"),
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    table = [line for line in result.stdout.splitlines() if line.startswith("| `")]
    assert table == [
        "| `eu/en` European Union | new version | 1 changed |",
        "| `eu/de` European Union | translation complete again: no new version (its last "
        "version has this text) | – |",
        "| `global/en` Worldwide | new version | 1 changed |",
        "| `global/de` Worldwide | translation complete again: no new version (its last "
        "version has this text) | – |",
    ]
    assert [v.number for v in history_of(publication(project), "global", "de").versions] == [1]


def test_diff_shows_what_a_translation_catching_up_changes(make_project):
    """German lags behind an English paragraph, then its catalog catches up: its new version
    changes what German readers read, and the comment gives that redline to review."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    phone = DATA_MD.replace("address.", "address;\n- your phone.")
    project.commit(
        "Phone",
        {
            "policies/clauses/data.md": phone,
            "policies/change.yml": change_yml("Phone.", "2026-01-02"),
        },
    )
    project.commit(
        "Phone in German",
        {
            DE_PO: po(
                {
                    **GERMAN,
                    ("data-we-collect", "your delivery address;"): "Ihre Lieferadresse;",
                    ("data-we-collect", "your phone."): "Ihre Telefonnummer.",
                }
            )
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "| `global/de` Worldwide | translation complete again: new version | 1 changed |" in (
        result.stdout
    )
    redline = result.stdout.split("### `eu/de`, `global/de`\n")[1]
    assert "- Ihre Lieferadresse<del>.</del><ins>;</ins>\n- <ins>Ihre Telefonnummer.</ins>" in (
        redline
    )


def test_diff_warns_of_a_change_note_a_revert_brings_back(make_project):
    """A revert restores the change note of the change before, which the build does not take
    again: the comment must not present it as the note of the new versions."""
    project = make_project()
    project.commit(
        "Phone",
        {
            "policies/clauses/data.md": NEW_DATA_MD,
            "policies/change.yml": change_yml("Phone.", "2026-01-02"),
        },
    )
    project.commit(
        "Revert phone",
        {k: BASE_FILES[k] for k in ("policies/clauses/data.md", "policies/change.yml")},
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert (
        "**Warning:** this note says what an earlier change's note said (a revert brings back "
        "the note of the change before it), so the build will not take it (`policy check` "
        "warns: `[change.reused]`). Its new versions would take effect on the day they are "
        "published, as material changes, with the commit's subject as their summary. Rewrite "
        "its summary, kind or effective date for this change.\n"
    ) in result.stdout
    project.commit(
        "Phone again",
        {
            "policies/clauses/data.md": NEW_DATA_MD,
            "policies/change.yml": change_yml("Phone again.", "2026-01-05"),
        },
    )
    assert "[change.reused]" not in project.policy("diff", "HEAD~1", "HEAD").stdout


def test_diff_removed_jurisdiction(make_project):
    project = make_project()
    project.commit(
        "No EU policy",
        {
            "policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en]\n",
            "policies/change.yml": change_yml("One policy.", "2026-01-02"),
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert (
        "| `eu/en` European Union | retired: its pages stay, marked as no longer maintained | – |"
        in result.stdout
    )
    assert "1 other document unchanged." in result.stdout


def test_diff_of_a_region_dropped_retires_only_the_translations_it_published(make_project):
    """The EU lists German, which was translated once and then lagged, and French, which was
    never translated: dropping the EU retires German, whose pages stay, and French had none."""
    both = "global:\n  name: Worldwide\n  languages: [en]\neu:\n  name: European Union\n"
    project = make_project(
        {
            "policies/jurisdictions.yml": both + "  extends: global\n  languages: [en, de, fr]\n",
            "locales/de/LC_MESSAGES/policy.po": po(GERMAN),
            "locales/fr/LC_MESSAGES/policy.po": po({}),
        }
    )
    project.commit(
        "German lags",
        {
            "policies/clauses/data.md": NEW_DATA_MD,
            "policies/change.yml": change_yml("Phone.", "2026-01-02"),
        },
    )
    project.commit(
        "No EU policy",
        {
            "policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en]\n",
            "policies/change.yml": change_yml("One policy.", "2026-01-03"),
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert "| `eu/de` European Union | retired: its pages stay" in result.stdout
    assert (
        "| `eu/fr` European Union | no longer listed: never published (its translation was never "
        "complete), so it has no pages | – |"
    ) in result.stdout
    assert project.policy("build").returncode == 0
    assert (project.root / "site/eu/de/v/1/index.html").exists()
    assert not (project.root / "site/eu/fr").exists()


def test_diff_of_a_region_put_back_compares_it_with_the_version_it_had(make_project):
    """The EU is taken out, a clause changes, and the EU is put back: its documents are not
    new, they are published again, and the redline is against what they were."""
    project = make_project()
    project.commit(
        "No EU policy",
        {"policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en]\n"},
    )
    announce_full_name(project, "2026-01-03")
    project.commit(
        "The EU again",
        {
            "policies/jurisdictions.yml": JURISDICTIONS_YML,
            "policies/change.yml": change_yml("A policy for the EU again.", "2026-01-04"),
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert (
        "| `eu/en` European Union | published again after it was retired: new version | 1 changed |"
    ) in result.stdout
    assert "new document" not in result.stdout
    assert "### `eu/en`" in result.stdout and "full" in result.stdout.split("### `eu/en`")[1]


def test_diff_of_a_region_put_back_without_a_new_note_still_says_published_again(make_project):
    """The same, with change.yml left as it was: the check fails until it is rewritten, and the
    comment says so, but the EU's documents are still published again, not new."""
    project = make_project()
    project.commit(
        "No EU policy",
        {"policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en]\n"},
    )
    project.write({"policies/jurisdictions.yml": JURISDICTIONS_YML})
    result = project.policy("diff")
    assert result.returncode == 0, result.stderr
    assert (
        "| `eu/en` European Union | published again after it was retired: new version | – |"
    ) in result.stdout
    assert "new document" not in result.stdout
    assert "`policy check` fails until it describes this change" in result.stdout


def test_diff_head_that_does_not_pass_the_check(make_project):
    project = make_project()
    project.write(
        {
            "policies/clauses/who.md": BASE_FILES["policies/clauses/who.md"].replace(
                "company.name", "company.nme"
            )
        }
    )
    result = project.policy("diff")
    assert result.returncode == 0
    assert result.stdout.splitlines()[4:9] == [
        "**The head does not pass `policy check`.**",
        "",
        "```",
        "policies/clauses/who.md:8: undefined variable 'company.nme'. Did you mean "
        "'company.name'? Define it under 'variables' in policies/site.yml or correct the name. "
        "[variable.undefined]",
        "```",
    ]


def test_diff_keeps_a_problem_quoting_backticks_inside_its_code_block(make_project):
    """A value the check quotes can hold a fence: the block's fence is longer, so a pull
    request cannot make the bot's comment say anything outside the block (a heading, a mention,
    an image)."""
    project = make_project()
    injected = "```\n\n# Approved by @security-team\n\n```"
    project.write(
        {"policies/jurisdictions.yml": f'global:\n  name: W\n  languages: [en, "{injected}"]\n'}
    )
    result = project.policy("diff")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    start = lines.index("**The head does not pass `policy check`.**") + 2
    assert lines[start] == "````"
    end = lines.index("````", start + 1)
    assert any("# Approved by @security-team" in line for line in lines[start + 1 : end])
    assert "# Approved by @security-team" not in lines


def test_diff_unknown_revision_fails_with_a_message(make_project):
    project = make_project()
    result = project.policy("diff", "no-such-branch")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "no-such-branch: there is no revision 'no-such-branch' in this repository. Name a "
        "commit, branch or tag ('git log --oneline' lists them). [diff.revision]"
    )


def test_diff_head_and_worktree_together_is_a_usage_error(make_project):
    project = make_project()
    result = project.policy("diff", "HEAD", "HEAD", "--worktree")
    assert result.returncode == 2
    assert "give HEAD or --worktree, not both." in result.stderr


def test_diff_escapes_markdown_in_policy_text(make_project):
    project = make_project()
    project.commit(
        "Odd characters",
        {
            "policies/clauses/data.md": DATA_MD.replace(
                "your name;", "your name | alias, e.g. `*x*` 1 < 2 & [y];"
            ).replace("your order:", "your order: 1. first"),
            "policies/change.yml": change_yml("Odd.", "2026-01-02"),
        },
    )
    out = project.policy("diff", "HEAD~1", "HEAD").stdout
    assert (
        "- <del>your name;</del>\n- <ins>your name \\| alias, e.g. \\*x\\* 1 &lt; 2 &amp; \\[y\\];</ins>"
        in out
    )
    assert "We collect only what we need to deliver your order:<ins> 1. first</ins>" in out


def test_diff_base_that_does_not_pass_the_check_is_still_compared(make_project):
    # The base names a list of required disclosures it does not have: `policy check` fails, but
    # its documents compose.
    project = make_project(
        {
            "policies/jurisdictions.yml": JURISDICTIONS_YML.replace(
                "  languages: [en]\neu:", "  languages: [en]\n  disclosures: [baseline]\neu:"
            ),
        }
    )
    project.commit(
        "Drop the list, ask for the full name",
        {
            "policies/jurisdictions.yml": JURISDICTIONS_YML,
            "policies/clauses/data.md": NEW_DATA_MD,
            "policies/change.yml": change_yml("We ask for your full name.", "2026-02-01"),
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[4] == (
        "**The base does not pass `policy check`; each document is compared with what the base "
        "composes.**"
    )
    assert "[file.missing]" in result.stdout.split("```")[1]
    assert "| `global/en` Worldwide | new version | 1 changed |" in lines
    assert "your <ins>full </ins>name" in result.stdout


def test_diff_base_whose_policy_cannot_be_read_and_never_was_makes_every_document_new(make_project):
    who = BASE_FILES["policies/clauses/who.md"]
    project = make_project({"policies/clauses/who.md": who.replace("company.name", "company.nme")})
    project.commit(
        "Mend the variable",
        {
            "policies/clauses/who.md": who,
            "policies/change.yml": change_yml("The company's name is right.", "2026-02-01"),
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[4] == (
        "**The base does not pass `policy check` and its policy cannot be read: each document "
        "is compared with what the history published before the head (new, where the history "
        "cannot be read).**"
    )
    assert "[variable.undefined]" in result.stdout.split("```")[1]
    assert "| `global/en` Worldwide | new document | 2 added |" in result.stdout


def test_diff_in_a_repository_without_commits_says_what_to_do(tmp_path):
    project = Project(tmp_path / "fresh")
    project.write(BASE_FILES)
    result = project.policy("diff")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "HEAD: the repository has no commits yet. Commit the policy; then 'policy diff' shows "
        "what each change does to it. [diff.revision]"
    )


def _takes_effect_later(documents: str) -> str:
    """What the comment says of `documents` announced for January 5th behind a change announced
    for June 1st."""
    return (
        f"**Takes effect later than the change note says:** {documents} take effect on "
        "2026-06-01, not 2026-01-05: an earlier change takes effect on 2026-06-01, and a version "
        "never applies before the one it follows.\n"
    )


def test_diff_says_when_new_versions_take_effect_later_than_their_note(make_project):
    """A change announced for June 1st, then one the note dates January 5th: the second
    cannot apply before the first, so its versions take effect on June 1st, and the comment
    says so, since the note does not."""
    project = make_project()
    announce_full_name(project, "2026-06-01")
    first = project.policy("diff", "HEAD~1", "HEAD")
    assert first.returncode == 0, first.stderr
    assert "later than the change note says" not in first.stdout
    project.commit(
        "Phone number",
        {
            "policies/clauses/data.md": NEW_DATA_MD,
            "policies/change.yml": change_yml("Phone.", "2026-01-05"),
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert _takes_effect_later("`eu/en`, `global/en`") in result.stdout
    # The same from the working tree, before the commit (made on January 3rd).
    project.git("reset", "-q", "--soft", "HEAD~1")
    draft = project.policy("diff", env=at_noon("2026-01-03"))
    assert "`eu/en`, `global/en` take effect on 2026-06-01, not 2026-01-05" in draft.stdout


def test_diff_says_an_announced_change_still_applies_before_a_later_one(make_project):
    """A change announced for March 1st, then another for March 15th: the first is not moved by
    the second, it applies for two weeks, and the comment says so (an editor who meant to
    postpone it would otherwise learn it from the published dates)."""
    project = make_project()
    announce_full_name(project, "2026-03-01")
    project.commit(
        "Phone number",
        {
            "policies/clauses/data.md": NEW_DATA_MD,
            "policies/change.yml": change_yml("Phone.", "2026-03-15"),
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert (
        "**The change announced for 2026-03-01 still takes effect first:** `eu/en`, `global/en` "
        "apply it from 2026-03-01 until this change takes effect on 2026-03-15: a version never "
        "applies before the one it follows, and a version once published keeps its text and "
        'dates (see "Moving an announced change" in `docs/authoring.md`).\n'
    ) in result.stdout
    assert "later than the change note says" not in result.stdout
    # Dated the same day, it corrects the announced text: nothing applies in between.
    project.git("reset", "-q", "--hard", "HEAD~1")
    project.commit(
        "Phone number, on the announced day",
        {
            "policies/clauses/data.md": NEW_DATA_MD,
            "policies/change.yml": change_yml("Phone.", "2026-03-01"),
        },
    )
    corrected = project.policy("diff", "HEAD~1", "HEAD")
    assert "| `eu/en` European Union | new version | 1 changed |" in corrected.stdout
    assert "still takes effect first" not in corrected.stdout


def test_diff_says_why_a_translation_catching_up_takes_effect_later(make_project):
    """German lags behind a change announced for June 1st, then catches up in a change the note
    dates January 5th. Its own version before applies from January 1st: what holds it back is
    the English change announced for June, which the comment names, not German's version
    before."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    announce_full_name(project, "2026-06-01")
    caught_up = {
        **{k: v for k, v in GERMAN_FULL_NAME.items() if k[1] != "your delivery address."},
        ("data-we-collect", "your delivery address;"): "Ihre Lieferadresse;",
        ("data-we-collect", "your phone number."): "Ihre Telefonnummer.",
    }
    project.commit(
        "Phone number, German caught up",
        {
            "policies/clauses/data.md": NEW_DATA_MD,
            "policies/change.yml": change_yml("Phone.", "2026-01-05"),
            DE_PO: po(caught_up),
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert _takes_effect_later("`eu/de`, `eu/en`, `global/de`, `global/en`") in result.stdout
    assert "the version before takes effect" not in result.stdout


def test_diff_with_a_stale_note_says_no_date_of_its_own(make_project):
    """A change announced for June 1st, then another edit with change.yml left as it was: the
    comment says the note must be rewritten, and makes up no date the note would have said."""
    project = make_project()
    announce_full_name(project, "2026-06-01")
    project.write({"policies/clauses/data.md": NEW_DATA_MD})
    result = project.policy("diff")
    assert result.returncode == 0, result.stderr
    assert "`policy check` fails until it describes this change" in result.stdout
    assert "later than the change note says" not in result.stdout


def test_diff_says_when_a_change_withdraws_an_announced_one(make_project):
    """The first step of "Moving an announced change" (docs/authoring.md): the text as it was,
    with a note that withdraws the change. Its versions take effect on the announced date, and
    read as the versions in force: the comment says that nothing changes on that date."""
    project = make_project()
    announce_full_name(project, "2026-06-01")
    withdraw_full_name(project, "The change for June is withdrawn.", "2026-01-05")
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert (
        "**Withdraws the change announced for 2026-06-01:** `eu/en`, `global/en` read as before "
        "that change, so nothing changes on 2026-06-01; the announced versions will never apply.\n"
    ) in result.stdout
    assert "later than the change note says" not in result.stdout
    # The same from the working tree, with a note dated the announced day.
    project.git("reset", "-q", "--soft", "HEAD~1")
    project.write({"policies/change.yml": change_yml("Withdrawn.", "2026-06-01")})
    draft = project.policy("diff", env=at_noon("2026-01-03"))
    assert "**Withdraws the change announced for 2026-06-01:** `eu/en`, `global/en`" in draft.stdout
    # Once the announced day has passed, the change applies: the same edit is a new change,
    # dated by the day it is committed, not by the last commit.
    draft = project.policy("diff", env=at_noon("2026-07-01"))
    assert draft.returncode == 0, draft.stderr
    assert "Withdraws" not in draft.stdout and "will never apply" not in draft.stdout
    assert "| `eu/en` European Union | new version | 1 changed |" in draft.stdout


def test_diff_says_a_withdrawn_change_is_withdrawn_in_a_translation_that_had_it(make_project):
    """German translated the change (its catalog lost the old text's entries); withdrawing the
    change publishes its earlier translation again, which the comment says, rather than that
    German lags."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    announce_full_name(project, "2026-06-01", GERMAN_FULL_NAME)
    withdraw_full_name(project, "The change for June is withdrawn.", "2026-01-03")
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "| `eu/de` European Union | new version | 1 changed |" in result.stdout
    assert "translation incomplete" not in result.stdout
    assert (
        "**Withdraws the change announced for 2026-06-01:** `eu/de`, `eu/en`, `global/de`, "
        "`global/en` read as before that change"
    ) in result.stdout


def test_diff_of_a_translation_put_back_incomplete_says_it_waits(make_project):
    """It has no last complete version to keep: it stays retired until it is complete."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit("No German in the EU", {"policies/jurisdictions.yml": EU_WITHOUT_GERMAN})
    announce_full_name(project, "2026-01-03")
    project.commit("German again", {"policies/jurisdictions.yml": WITH_GERMAN})
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert (
        "| `eu/de` European Union | translation incomplete: not published until it is complete "
        "| 1 missing, 0 to review |"
    ) in result.stdout


def test_diff_of_a_translation_never_published_does_not_promise_it_keeps_a_version(make_project):
    """German was listed before anything of it was translated: a later change leaves it
    incomplete, and it has no complete version to keep, so it is not published until it is
    complete; "keeps its last complete version" said otherwise."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po({})})
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-01-02"),
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "keeps its last complete version" not in result.stdout
    assert (
        "| `eu/de` European Union | translation incomplete: not published until it is complete | "
    ) in result.stdout


def test_diff_of_a_translation_put_back_with_a_withdrawn_change_carries_the_note(make_project):
    """German translated a change announced for March, was taken out of the EU, and the change
    was withdrawn. Put back incomplete (its catalog lacks the text the withdrawal brings back),
    German is published all the same, since its first version translates that text; the new
    version carries the commit's note. `policy check` cannot know that without the history;
    the comment, which reads it, does not say that no version carries the note."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    announce_full_name(project, "2026-03-01", GERMAN_FULL_NAME)
    project.commit("No German in the EU", {"policies/jurisdictions.yml": EU_WITHOUT_GERMAN})
    withdraw_full_name(project, "Withdrawn.", "2026-01-04")
    project.commit(
        "German again",
        {
            "policies/jurisdictions.yml": WITH_GERMAN,
            "policies/change.yml": change_yml("German again.", "2026-01-05"),
        },
    )
    check = project.policy("check", "--base", "HEAD~1")
    assert "[change.describes-nothing]" in check.stderr
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "| `eu/de` European Union | published again after it was retired" in result.stdout
    assert "no version will carry this note" not in result.stdout
    history = history_of(publication(project), "eu", "de")
    assert history.latest.commit == project.git("rev-parse", "HEAD").strip()
    assert "German again." in [v.summary for v in history.versions]


def test_diff_with_an_unreadable_base_compares_with_what_the_history_published(make_project):
    """The base's jurisdictions.yml is broken, so its policy cannot be read: the documents are
    not all new. English gets a new version of the text it had (not "published again": it was
    never retired), and German, which lags, keeps its last complete version."""
    project = make_project(
        {"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)},
    )
    project.commit("Broken", {"policies/jurisdictions.yml": "global: {name: x\n"})
    project.commit(
        "Fixed, and reworded",
        {
            "policies/jurisdictions.yml": WITH_GERMAN,
            "policies/clauses/data.md": NEW_DATA_MD,
            "policies/change.yml": change_yml("Full name.", "2026-01-03"),
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "compared with what the history published before the head" in result.stdout
    rows = [line for line in result.stdout.splitlines() if line.startswith("| `")]
    assert rows == [
        "| `eu/en` European Union | new version | 1 changed |",
        "| `eu/de` European Union | translation incomplete | 3 missing, 0 to review: keeps its "
        "last complete version |",
        "| `global/en` Worldwide | new version | 1 changed |",
        "| `global/de` Worldwide | translation incomplete | 3 missing, 0 to review: keeps its "
        "last complete version |",
    ]


def test_diff_with_the_base_ahead_of_the_head_says_merging_changes_nothing(make_project):
    """`policy diff HEAD HEAD~1` the wrong way round: the head is already in the base, so a
    merge changes nothing, and no redline undoing the base's own change is shown as new."""
    project = make_project()
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": NEW_DATA_MD,
            "policies/change.yml": change_yml("Full name.", "2026-01-02"),
        },
    )
    result = project.policy("diff", "HEAD", "HEAD~1")
    assert result.returncode == 0, result.stderr
    head = project.git("rev-parse", "HEAD~1").strip()[:12]
    assert f"`HEAD~1 ({head})` is already part of `HEAD (" in result.stdout
    assert "merging it changes nothing" in result.stdout
    assert "| `" not in result.stdout


def test_diff_of_a_clause_renamed_and_moved_says_it_moved(make_project):
    """The build's redline says "section changed and moved": so does the review, for a clause
    whose id changed too."""
    project = make_project()
    project.commit(
        "Renamed and moved first",
        {
            "policies/clauses/data.md": DATA_MD.replace(
                "id: data-we-collect", "id: what-we-collect"
            )
            .replace("order: 20", "order: 5")
            .replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-01-02"),
        },
    )
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert (
        "| `eu/en` European Union | new version | 1 renamed, moved and changed |" in result.stdout
    )
    assert "#### Renamed from `data-we-collect`, moved and changed: " in result.stdout


def test_diff_of_a_translation_complete_for_the_first_time_shows_a_new_document(make_project):
    """German was added incomplete (not published), then completed: its first version is a new
    document, not a translation "complete again"."""
    project = make_project()
    project.commit(
        "German, incomplete",
        {
            "policies/jurisdictions.yml": WITH_GERMAN,
            DE_PO: po({k: v for k, v in GERMAN.items() if k[1] != "your name;"}),
        },
    )
    project.commit("German complete", {DE_PO: po(GERMAN)})
    result = project.policy("diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "| `eu/de` European Union | new document | 2 added |" in result.stdout
    assert "complete again" not in result.stdout


def test_diff_with_an_unreadable_base_names_the_documents_the_head_retires(make_project):
    """The base's policy cannot be read, so its documents are unknown; the history says which
    the head drops: the EU's, which it retires as a readable base would show."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit("Broken", {"policies/jurisdictions.yml": "global: {name: x\n"})
    project.commit("Fixed, without the EU", {"policies/jurisdictions.yml": WITHOUT_EU})
    rows = [
        line
        for line in project.policy("diff", "HEAD~1", "HEAD").stdout.splitlines()
        if line.startswith("| `")
    ]
    assert rows == [
        "| `eu/de` European Union | retired: its pages stay, marked as no longer maintained | – |",
        "| `eu/en` European Union | retired: its pages stay, marked as no longer maintained | – |",
    ]


def test_diff_with_an_unreadable_base_names_retirements_by_the_base_s_history(make_project):
    """What the base published, its own history says: a region retired in an earlier commit of
    the change is listed, one retired before the base is not, and the working tree as the head
    finds them too."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit("No German in the EU", {"policies/jurisdictions.yml": EU_WITHOUT_GERMAN})
    project.commit("Broken", {"policies/jurisdictions.yml": "global: {name: x\n"})
    project.commit("Without the EU", {"policies/jurisdictions.yml": WITHOUT_EU})
    project.commit(
        "Reworded",
        {
            "policies/clauses/who.md": WHO_MD.replace("runs this shop", "runs the shop"),
            "policies/change.yml": change_yml("Wording.", "2026-01-06"),
        },
    )
    for args in (("HEAD~2", "HEAD"), ("HEAD~2",)):
        rows = [
            line
            for line in project.policy("diff", *args).stdout.splitlines()
            if line.startswith("| `eu/")
        ]
        assert rows == [
            "| `eu/en` European Union | retired: its pages stay, marked as no longer maintained "
            "| – |"
        ], args
