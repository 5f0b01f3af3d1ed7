"""An annotation project: `Project` (the facade callers use) and `DocumentFilter`.

The package holds the store (core.project.store: engines, sessions, transactions) and one
part per concern, which Project composes (core.project.facade).
"""

from annotator.core.project.documents import DocumentFilter
from annotator.core.project.facade import Project

__all__ = ["DocumentFilter", "Project"]
