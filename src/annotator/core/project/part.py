"""The base of the project's parts: one concern (labels, spans, ...) over the shared Store."""

from __future__ import annotations

from annotator.core.project.store import Store


class Part:
    """One concern of a project; reads and writes through the store it is given."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._read = store.read
        self._write = store.write
        self.transaction = store.transaction
