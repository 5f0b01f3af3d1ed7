"""The error tree: every failure a user can cause is an AnnotatorError with a clear message."""

from __future__ import annotations


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


class Cancelled(AnnotatorError):
    """The user cancelled a long task; nothing was stored."""
