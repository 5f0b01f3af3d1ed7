"""The simulated annotator of `bench annotation_effort` through the CLI (issue 22 items 4, 5):
a script can import, suggest, list, accept, reject, mark by hand and mark done, and the
lexicon's suggestions cut the actions per gold span below annotating by hand (2)."""

from __future__ import annotations

import json

from bench.effort import CliDesk, per_window, simulate
from bench.effort_data import articles


def test_a_script_annotates_a_corpus_through_the_cli_with_fewer_actions(tmp_path):
    records = articles(2, seed=7)
    desk = CliDesk(tmp_path / "p.db")
    efforts = simulate(desk, records)

    assert efforts[0].actions == 2 * efforts[0].gold  # nothing learned yet: all by hand
    assert all(e.accepted + e.by_hand == e.gold for e in efforts)
    assert all(e.accepted > 0 and e.actions < 2 * e.gold for e in efforts[1:])
    assert per_window(efforts, 1) == [e.actions / e.gold for e in efforts]
    assert efforts[1].shown["lexicon"] == efforts[1].accepted + efforts[1].rejected

    out = tmp_path / "sim.jsonl"
    desk.run("export", "--format", "jsonl", "--out", out, "--layer", "sim", "--doc", 2, 1)
    exported = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["document_id"] for r in exported] == [1, 2]
    for record, gold in zip(exported, records, strict=True):
        assert record["status"] == "done"
        marked = sorted((s["start"], s["end"], s["label"]) for s in record["spans"])
        assert marked == sorted((s["start"], s["end"], s["label"]) for s in gold["spans"])
