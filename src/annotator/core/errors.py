"""The error tree: every failure a user can cause is an AnnotatorError with a clear message."""

from __future__ import annotations

from dataclasses import dataclass


class AnnotatorError(Exception):
    """Base of every expected, user-facing failure."""


class ProjectError(AnnotatorError):
    """The project file cannot be opened, created or upgraded."""


class NotFoundError(AnnotatorError):
    """A label, document, span or annotator that was asked for does not exist."""


class ConflictError(AnnotatorError):
    """A change would break a rule (duplicate name, label in use, bad offsets)."""


class InputError(AnnotatorError):
    """Bad input at a precise place: rendered as `path:line: reason`."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


class ImportFailed(AnnotatorError):
    """An import found bad input; nothing was stored. Carries every InputError found."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        lines = [str(e) for e in errors[:50]]
        if len(errors) > 50:
            lines.append(f"... and {len(errors) - 50} more errors")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class UnknownLabel:
    """A label imported spans carry that the project does not have: how many spans carry it,
    and where the first one is (the file, and its line when the reader knows it)."""

    name: str
    spans: int
    path: str
    line: int | None
    noun: str = "span"
    """What `spans` counts: spans, or relations for an unknown relation type."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        spans = f"1 {self.noun}" if self.spans == 1 else f"{self.spans} {self.noun}s"
        return f"{self.name!r} ({spans}, first at {where})"


class UnknownLabels(AnnotatorError):
    """Imported spans carry labels the project does not have (and adding them was not asked
    for); nothing was stored. The labels come sorted by name."""

    def __init__(self, labels: list[UnknownLabel]) -> None:
        self.labels = sorted(labels, key=lambda label: label.name)
        super().__init__("labels this project does not have: " + ", ".join(map(str, self.labels)))

    @property
    def names(self) -> list[str]:
        """The unknown labels' names, sorted."""
        return [label.name for label in self.labels]


class UnknownRelationTypes(UnknownLabels):
    """Imported relations carry types the project does not have (and adding them was not
    asked for); nothing was stored. Handled as unknown labels are: adding labels adds them."""

    def __init__(self, kinds: list[UnknownLabel]) -> None:
        self.labels = sorted(kinds, key=lambda kind: kind.name)
        AnnotatorError.__init__(
            self, "relation types this project does not have: " + ", ".join(map(str, self.labels))
        )


class Cancelled(AnnotatorError):
    """The user cancelled a long task; nothing was stored."""
