"""Problems found in the policy sources, and the one exception that carries them to the user.

Every problem has one shape, `path:line: what is wrong. How to fix it. [code]`, so that editors can
jump to it and CI can count it. Stages collect problems instead of stopping at the first one; the CLI
prints them all and exits non-zero.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import click


class Severity(enum.Enum):
    """How bad a problem is."""

    ERROR = "error"
    """The policy cannot be published until it is fixed."""
    WARNING = "warning"
    """Worth fixing; fails only `policy check --strict`."""


@dataclass(frozen=True, kw_only=True, order=True)
class Problem:
    """One thing wrong with the sources, located in a file."""

    path: str
    """Path relative to the project root, with forward slashes."""
    line: int | None
    """1-based line, or None when the problem is about the file as a whole."""
    code: str
    """Stable identifier such as `clause.unknown-key`, for grepping and counting."""
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        """`path:line: message [code]`, on one line whatever a file name or a quoted value
        holds: a newline in either would make a second line that reads as another problem."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        said = (
            f"{where}: {self.message} [{self.code}]" if where else f"{self.message} [{self.code}]"
        )
        return _CONTROL.sub(_escaped, said)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match) -> str:
    """A control character as Python writes it in a string (`\\n`, `\\x00`)."""
    char = match.group()
    return _ESCAPES.get(char, f"\\x{ord(char):02x}")


class Problems:
    """A collector of problems, so one run reports every problem rather than the first."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(
        self,
        path: str,
        line: int | None,
        code: str,
        message: str,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Record a problem."""
        self._items.append(
            Problem(path=path, line=line, code=code, message=message, severity=severity)
        )

    def warn(self, path: str, line: int | None, code: str, message: str) -> None:
        """Record a warning."""
        self.add(path, line, code, message, Severity.WARNING)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record problems found elsewhere."""
        self._items.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(set(self._items), key=_sort_key))

    def __len__(self) -> int:
        return len(set(self._items))

    @property
    def errors(self) -> list[Problem]:
        """The problems that block publication."""
        return [p for p in self if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that do not block publication."""
        return [p for p in self if p.severity is Severity.WARNING]

    def raise_if_errors(self) -> None:
        """Stop with every error found so far."""
        if self.errors:
            raise PolicyError(self.errors)


def _sort_key(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.path, problem.line or 0, problem.code, problem.message)


class PolicyError(click.ClickException):
    """The sources cannot be published; carries every problem found."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(path="", line=None, code="build", message=problems)]
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    def format_message(self) -> str:
        """One problem per line, with no `Error:` prefix so each line stays `path:line: ...`."""
        return self.message

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        """Print the problems to stderr, as click does for its own errors."""
        click.echo(self.format_message(), file=file, err=True)


def counted(count: int, noun: str) -> str:
    """`1 error`, `2 errors`: a count and its noun, for messages in English."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def fail(path: str, line: int | None, code: str, message: str) -> PolicyError:
    """An error for one problem, to raise where collecting more makes no sense."""
    return PolicyError([Problem(path=path, line=line, code=code, message=message)])
