"""Labels and annotators of a merge: matched by name, added when unknown, clashes resolved.

- Names are compared in `labelrules.normal_name` form (NFC, trimmed). A name that is new here
  must pass the same rules as a local one, and may not look like an existing different name
  (`ACTОR` with a Cyrillic О beside `ACTOR`): the merge is refused with the reason.
- A label matches by name; a name that differs only in case is taken as this project's label
  (reported). A new label keeps its colour unless a label here has it (it then gets the next
  free palette colour) and its hotkey unless a label here has it or it is not a valid hotkey (it
  then gets none); its description unless it breaks the description rules (it then gets none);
  all are reported. A label whose kind differs is reported; this project's label is kept.
- An annotator matches by name. A merge never changes who is gold here: a new annotator that
  is gold in the source becomes gold only when nobody is gold here, else it is added as an
  ordinary annotator (reported); an existing annotator whose gold flag differs is reported.
"""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from annotator.core import labelrules
from annotator.core.errors import InputError
from annotator.core.lookalike import LookalikeIndex
from annotator.core.merge_records import MergeReport
from annotator.core.model import LabelKind
from annotator.core.schema import LabelSpec
from annotator.core.storage.orm import AnnotatorRow, LabelRow


class MergeNames:
    """Ids of this project's labels and annotators by name, adding what a source brings."""

    def __init__(self, s: Session, report: MergeReport) -> None:
        self._s = s
        self._report = report
        rows = s.execute(
            select(LabelRow.name, LabelRow.id, LabelRow.color, LabelRow.hotkey, LabelRow.kind)
        )
        self._labels: dict[str, int] = {}
        self._kinds: dict[str, str] = {}
        self._colors: dict[str, str] = {}
        self._hotkeys: dict[str, str] = {}
        for name, label_id, color, hotkey, kind in rows:
            self._labels[name], self._kinds[name] = label_id, kind
            self._colors.setdefault(color.upper(), name)
            if hotkey:
                self._hotkeys[hotkey] = name
        self._folded = {name.casefold(): name for name in self._labels}
        self._label_lookalikes = LookalikeIndex(self._labels)
        self._position = s.scalar(select(func.max(LabelRow.position))) or 0
        self._annotators = {
            name: (annotator_id, gold)
            for name, annotator_id, gold in s.execute(
                select(AnnotatorRow.name, AnnotatorRow.id, AnnotatorRow.is_gold)
            )
        }
        self._annotator_lookalikes = LookalikeIndex(self._annotators)
        self._gold = next((n for n, (_, gold) in self._annotators.items() if gold), None)
        self._seen: set[tuple[str, str, str]] = set()

    def declare(self, source: str, labels: list[LabelSpec], annotators: dict[str, bool]) -> None:
        """Match (or add) every label and annotator a source defines."""
        for spec in labels:
            self.label_id(source, spec.name, None, spec)
        for name, gold in annotators.items():
            self.annotator_id(source, name, None, gold=gold)

    def label_id(
        self, source: str, name: str, line: int | None, spec: LabelSpec | None = None
    ) -> int:
        """This project's id for the label `source` calls `name` (added when unknown)."""
        name = labelrules.normal_name(name)
        first = self._first(source, "labels", name)
        if name not in self._labels and name.casefold() in self._folded:
            ours = self._folded[name.casefold()]
            if first:
                self._report.counts["labels"].present += 1
                self._report.conflict("labels", source, f"label {name!r} taken as {ours!r}")
            return self._labels[ours]
        if name in self._labels:
            if first:
                self._report.counts["labels"].present += 1
                if spec is not None and LabelKind(spec.kind).value != self._kinds[name]:
                    message = f"label {name!r} marks {spec.kind} there, {self._kinds[name]} here"
                    self._report.conflict("labels", source, f"{message}; kept {self._kinds[name]}")
            return self._labels[name]
        problem = labelrules.name_problem(name) or labelrules.lookalike_problem(
            "label", name, self._label_lookalikes
        )
        if problem is not None:
            raise InputError(source, line, problem)
        return self._add_label(source, name, spec)

    def our_label(self, name: str) -> str:
        """How this project spells the label a source calls `name` (a case variant of one of
        ours is ours), without adding it."""
        return name if name in self._labels else self._folded.get(name.casefold(), name)

    def _add_label(self, source: str, name: str, spec: LabelSpec | None) -> int:
        color, hotkey, description = settle_style(
            self._report,
            "labels",
            source,
            "label",
            name,
            (spec.color, spec.hotkey, spec.description) if spec is not None else None,
            self._colors,
            self._hotkeys,
        )
        self._position += 1
        kind = LabelKind(spec.kind if spec is not None else LabelKind.SPAN).value
        row = {
            "name": name,
            "color": color,
            "hotkey": hotkey,
            "description": description,
            "kind": kind,
            "position": self._position,
        }
        label_id = self._s.execute(insert(LabelRow).returning(LabelRow.id), [row]).scalar_one()
        self._labels[name], self._kinds[name] = label_id, kind
        self._folded[name.casefold()] = name
        self._label_lookalikes.add(name)
        self._colors.setdefault(color, name)
        if hotkey is not None:
            self._hotkeys[hotkey] = name
        self._report.counts["labels"].added += 1
        self._report.labels_added.append(name)
        return label_id

    def annotator_id(
        self, source: str, name: str, line: int | None, *, gold: bool | None = None
    ) -> int:
        """This project's id for the annotator `name` (added when unknown); `gold` is the
        source's flag, None when the source does not say."""
        name = labelrules.normal_name(name)
        first = self._first(source, "annotators", name)
        if name in self._annotators:
            annotator_id, ours = self._annotators[name]
            if first:
                self._report.counts["annotators"].present += 1
                if gold is not None and gold != ours:
                    here, there = ("gold", "not gold") if ours else ("not gold", "gold")
                    self._report.conflict(
                        "annotators",
                        source,
                        f"annotator {name!r} is {there} there, {here} here; kept {here}",
                    )
            return annotator_id
        problem = labelrules.annotator_problem(name) or labelrules.lookalike_problem(
            "annotator", name, self._annotator_lookalikes
        )
        if problem is not None:
            raise InputError(source, line, problem)
        make_gold = bool(gold) and self._gold is None
        if gold and not make_gold:
            self._report.conflict(
                "annotators",
                source,
                f"annotator {name!r} is gold there but {self._gold!r} is gold here; "
                f"{name!r} was added as an ordinary annotator",
            )
        row = {"name": name, "is_gold": make_gold}
        annotator_id = self._s.execute(
            insert(AnnotatorRow).returning(AnnotatorRow.id), [row]
        ).scalar_one()
        self._annotators[name] = (annotator_id, make_gold)
        self._annotator_lookalikes.add(name)
        if make_gold:
            self._gold = name
        self._report.counts["annotators"].added += 1
        return annotator_id

    def _first(self, source: str, kind: str, name: str) -> bool:
        """True the first time a source names this label or annotator (each is counted once)."""
        key = (source, kind, name)
        if key in self._seen:
            return False
        self._seen.add(key)
        return True


def settle_style(
    report: MergeReport,
    kind: str,
    source: str,
    noun: str,
    name: str,
    given: tuple[str | None, str | None, str] | None,
    colors: dict[str, str],
    hotkeys: dict[str, str],
) -> tuple[str, str | None, str]:
    """The colour, hotkey and description of a new `noun` (label, relation type) from the
    source's (None: it gave none): a colour taken here (`colors`, upper case to name) becomes
    the next free one; a hotkey taken here (`hotkeys`) or invalid, and a description breaking
    the rules, become none; each change is reported under `kind`."""
    what, none = f"new {noun} {name!r}", f"the new {noun} has none"
    color, hotkey, description = given if given is not None else (None, None, "")
    color = labelrules.normalize_color(color) if color is not None else None
    if color is None:
        color = labelrules.next_color(colors)
    elif color in colors:
        free = labelrules.next_color(colors)
        report.conflict(
            kind,
            source,
            f"{what}: colour {color} is used by {noun} {colors[color]!r} here; given {free}",
        )
        color = free
    if problem := labelrules.hotkey_problem(hotkey):
        report.conflict(kind, source, f"{what}: {problem}; {none}")
        hotkey = None
    if problem := labelrules.description_problem(description):
        report.conflict(kind, source, f"{what}: {problem}; {none}")
        description = ""
    if hotkey is not None and hotkey in hotkeys:
        report.conflict(
            kind,
            source,
            f"{what}: hotkey {hotkey!r} is used by {noun} {hotkeys[hotkey]!r} here; {none}",
        )
        hotkey = None
    return color, hotkey, description
