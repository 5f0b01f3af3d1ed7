"""A project of many short documents with scored suggestions, written with raw sqlite3 inserts
(10,000 documents in well under a second), for the document list's "Most uncertain first" order.

Every DONE_EVERY-th document is done for ANNOTATOR, every BARE_EVERY-th has no suggestion, and
every DECIDED_EVERY-th suggestion was rejected by ANNOTATOR (no longer pending for them).
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

ANNOTATOR = "alice"
DONE_EVERY = 5
BARE_EVERY = 7
DECIDED_EVERY = 10
NOW = "2026-01-01 00:00:00.000000"


@dataclass
class SuggestedList:
    """What was written: each document's pending uncertainty for ANNOTATOR (none: absent)."""

    ids: list[int]
    uncertainty: dict[int, float] = field(default_factory=dict)
    done: set[int] = field(default_factory=set)

    def expected_order(self) -> list[int]:
        """The UNCERTAIN order worked out here: not done first, the least sure pending
        suggestions first among them, documents without pending ones after, id breaking ties."""

        def key(doc_id: int) -> tuple[bool, bool, float, int]:
            pending = self.uncertainty.get(doc_id)
            return (doc_id in self.done, pending is None, -(pending or 0.0), doc_id)

        return sorted(self.ids, key=key)


def build(db: Path, documents: int, per_document: int, seed: int) -> SuggestedList:
    """Add `documents` documents with up to `per_document` suggestions each to the project
    file `db` (migrated, with its default labels)."""
    rnd = random.Random(seed)
    conn = sqlite3.connect(db)
    try:
        (label,) = conn.execute("SELECT id FROM label ORDER BY id LIMIT 1").fetchone()
        conn.execute("INSERT OR IGNORE INTO annotator (name, is_gold) VALUES (?, 0)", (ANNOTATOR,))
        (who,) = conn.execute("SELECT id FROM annotator WHERE name = ?", (ANNOTATOR,)).fetchone()
        first = (conn.execute("SELECT max(id) FROM document").fetchone()[0] or 0) + 1
        before = conn.execute("SELECT max(id) FROM suggestion").fetchone()[0] or 0
        ids = list(range(first, first + documents))
        conn.executemany(
            "INSERT INTO document (id, title, source, text, sha256, normalization, meta, "
            "created_at) VALUES (?, ?, '', ?, ?, '', '{}', ?)",
            [(i, f"Document {i}", f"Text of document {i}.", f"{i:064x}", NOW) for i in ids],
        )
        made = SuggestedList(ids, done={i for n, i in enumerate(ids) if n % DONE_EVERY == 0})
        suggestions, decided = [], []
        for n, doc_id in enumerate(ids):
            if n % BARE_EVERY == 3:
                continue
            pending = []
            for k in range(per_document):
                score = rnd.random()
                suggestions.append((doc_id, label, 2 * k, 2 * k + 1, score))
                if len(suggestions) % DECIDED_EVERY == 0:
                    decided.append(before + len(suggestions))  # its row id
                else:
                    pending.append(min(score, 1 - score))
            if pending:
                made.uncertainty[doc_id] = sum(pending) / len(pending)
        conn.executemany(
            'INSERT INTO suggestion (document_id, label_id, start, "end", score, model, status) '
            "VALUES (?, ?, ?, ?, ?, 'bench', 'pending')",
            suggestions,
        )
        conn.executemany(
            "INSERT INTO suggestion_decision (suggestion_id, annotator_id, status, decided_at) "
            "VALUES (?, ?, 'rejected', ?)",
            [(row, who, NOW) for row in decided],
        )
        conn.executemany(
            "INSERT INTO document_state (document_id, annotator_id, status, updated_at) "
            "VALUES (?, ?, 'done', ?)",
            [(doc_id, who, NOW) for doc_id in made.done],
        )
        conn.commit()
    finally:
        conn.close()
    return made
