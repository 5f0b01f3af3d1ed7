"""The suggestion commands: suggest (resumable, --doc, --model, --status, Ctrl+C), labelmap,
terms, train, and suggestions in export and stats."""

from __future__ import annotations

import json
import random
import signal
from pathlib import Path

import pytest
from cli_run import run

from annotator.core.model import Status
from annotator.core.project import Project
from annotator.nlp.pretrained import PIPELINE_SETTING

TEXTS = [
    "Baykar sold drones to Poland.",
    "Officials said BAYKAR would deliver the Bayraktar TB2 soon.",
    "Nothing to see here.",
    "Saab and baykar\nboth bid; Poland declined.",
]


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """Four documents; alice (who runs the commands) marked "Baykar" (ACTOR) once, in the
    first."""
    monkeypatch.setenv("ANNOTATOR_USER", "alice")
    path = tmp_path / "p.db"
    with Project.create(path) as project:
        for text in TEXTS:
            project.add_document(text, verbatim=True)
        project.add_span(1, "alice", "ACTOR", 0, 6)
    return path


def suggested(db: Path) -> dict[int, list[tuple[str, str, str]]]:
    """Pending suggestions per document: (label, text, model)."""
    with Project(db) as project:
        return {
            doc: [
                (s.label, project.document(doc).text[s.start : s.end], s.model)
                for s in project.suggestions(doc)
            ]
            for doc in range(1, len(TEXTS) + 1)
        }


def suggestion_ids(db: Path) -> set[int]:
    with Project(db) as project:
        return {s.id for doc in range(1, len(TEXTS) + 1) for s in project.suggestions(doc)}


# -- suggest ----------------------------------------------------------------------------------


def test_suggest_all_spreads_a_marked_span_to_other_documents(db, capsys):
    assert run("suggest", "--db", db, "--all") == 0
    out, err = capsys.readouterr()
    assert suggested(db) == {
        1: [],  # alice marked it there already
        2: [("ACTOR", "BAYKAR", "lexicon:alice")],
        3: [],
        4: [("ACTOR", "baykar", "lexicon:alice")],
    }
    assert "went through 4 of 4 document(s)" in out
    assert out.splitlines()[-1].split() == ["lexicon:alice", "2", "0"]
    assert "not used: project-model: no project model yet" in err
    assert "pipeline" not in err  # the default pretrained pipeline was never asked for


def test_a_chosen_pretrained_pipeline_that_is_missing_is_named(db, capsys):
    with Project(db) as project:
        project.set_setting(PIPELINE_SETTING, "xx_no_such_pipeline")
    assert run("suggest", "--db", db) == 0
    err = capsys.readouterr().err
    assert "not used: pipeline:xx_no_such_pipeline" in err and "not installed" in err


def test_suggest_again_skips_documents_already_suggested_unless_redo(db, capsys):
    assert run("suggest", "--db", db) == 0  # --all is the default
    first = suggestion_ids(db)
    capsys.readouterr()
    assert run("suggest", "--db", db) == 0
    assert capsys.readouterr().out.splitlines()[-1].split() == [
        "lexicon:alice",
        "0",
        "4",
    ]  # every document was run over
    assert suggestion_ids(db) == first
    assert run("suggest", "--db", db, "--redo") == 0
    assert capsys.readouterr().out.splitlines()[-1].split() == ["lexicon:alice", "2", "0"]
    assert len(suggestion_ids(db)) == 2  # replaced, not added twice


def test_a_changed_lexicon_reaches_documents_already_suggested_keeping_decisions(
    db, tmp_path, capsys
):
    assert run("suggest", "--db", db) == 0
    with Project(db) as project:
        (rejected,) = project.suggestions(2)
        project.reject_suggestion(rejected.id, "alice")
    capsys.readouterr()
    assert run("suggest", "--db", db) == 0  # the same lexicon: nothing to redo
    out = capsys.readouterr().out
    assert out.splitlines()[-1].split() == ["lexicon:alice", "0", "4"] and "again" not in out
    terms = tmp_path / "platforms.txt"
    terms.write_text("drones\n", encoding="utf-8")
    assert run("terms", "--db", db, "load", "PLATFORM", terms) == 0
    capsys.readouterr()
    assert run("suggest", "--db", db) == 0  # no --redo: the lexicon changed
    out = capsys.readouterr().out
    assert "lexicon:alice: suggested 4 document(s) again: its phrases changed" in out
    found = suggested(db)
    assert ("PLATFORM", "drones", "lexicon:alice") in found[1]
    assert found[2] == [], "the rejected BAYKAR stays rejected"
    assert found[4] == [("ACTOR", "baykar", "lexicon:alice")]
    with Project(db) as project:
        assert project.suggestion(rejected.id, "alice").status.value == "rejected"
    assert run("suggest", "--db", db) == 0
    assert capsys.readouterr().out.splitlines()[-1].split() == ["lexicon:alice", "0", "4"]


def test_a_span_marked_since_makes_the_lexicon_out_of_date(db, capsys):
    assert run("suggest", "--db", db) == 0
    with Project(db) as project:
        project.add_span(3, "alice", "PLATFORM", 0, 7)  # "Nothing" as a new phrase
    capsys.readouterr()
    assert run("suggest", "--db", db, "--doc", 2) == 0  # only what the run goes through
    assert "suggested 1 document(s) again" in capsys.readouterr().out
    assert run("suggest", "--db", db) == 0
    assert "suggested 3 document(s) again" in capsys.readouterr().out


def test_suggest_only_the_given_documents(db, capsys):
    assert run("suggest", "--db", db, "--doc", 2, 3) == 0
    assert "went through 2 of 2 document(s)" in capsys.readouterr().out
    found = suggested(db)
    assert found[2] == [("ACTOR", "BAYKAR", "lexicon:alice")] and found[4] == []


def test_suggest_unknown_document_is_a_data_error(db, capsys):
    assert run("suggest", "--db", db, "--doc", 2, 999) == 1
    assert "no document with id 999" in capsys.readouterr().err
    assert suggestion_ids(db) == set()


def pending_for(db: Path, annotator: str, doc: int) -> list[str]:
    with Project(db) as project:
        text = project.document(doc).text
        return [text[s.start : s.end] for s in project.suggestions(doc, annotator=annotator)]


def test_suggest_learns_from_the_annotator_and_leaves_their_done_documents_alone(db, capsys):
    with Project(db) as project:
        project.add_span(1, "bob", "ACTOR", 22, 28)  # Bob marked "Poland"
        project.set_status(2, "alice", Status.DONE)
    assert run("suggest", "--db", db) == 0  # as alice, the default annotator here
    assert "left alone 1 document(s) marked done" in capsys.readouterr().out
    assert pending_for(db, "alice", 2) == [] and pending_for(db, "alice", 4) == ["baykar"]
    assert run("suggest", "--db", db, "--annotator", "bob") == 0
    assert pending_for(db, "bob", 4) == ["Poland"]  # not Alice's "Baykar"
    assert pending_for(db, "alice", 4) == ["baykar"]  # Bob's work is not suggested to Alice
    assert run("suggest", "--db", db, "--include-done") == 0
    assert pending_for(db, "alice", 2) == ["BAYKAR"]


def test_suggest_all_and_doc_together_is_a_usage_error(db, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run("suggest", "--db", db, "--all", "--doc", 1)
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_suggest_with_nothing_to_suggest_yet_says_why_and_exits_0(tmp_path, capsys):
    path = tmp_path / "empty.db"
    with Project.create(path) as project:
        project.add_document("Baykar sold drones.")
    assert run("suggest", "--db", path) == 0  # nothing learned yet is no error
    out, err = capsys.readouterr()
    assert out.startswith("nothing to suggest yet")
    assert "the lexicon is empty" in err and "pipeline" not in err


def test_suggest_model_not_installed_gives_the_hint(db, tmp_path, capsys):
    assert run("suggest", "--db", db, "--model", "xx_no_such_pipeline") == 1
    err = capsys.readouterr().err
    assert "--model xx_no_such_pipeline" in err
    assert "not installed" in err and "pip install xx_no_such_pipeline" in err
    assert run("suggest", "--db", db, "--model", tmp_path / "nowhere") == 1
    assert "no spaCy pipeline at" in capsys.readouterr().err
    assert suggestion_ids(db) == set()


@pytest.fixture
def pipeline_dir(tmp_path) -> Path:
    """A pipeline on disk: blank English with an entity ruler for GPE, ORG and PRODUCT."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "GPE", "pattern": "Poland"},
            {"label": "ORG", "pattern": "Saab"},
            {"label": "PRODUCT", "pattern": "Bayraktar TB2"},
        ]
    )
    nlp.to_disk(tmp_path / "pipe")
    return tmp_path / "pipe"


def test_suggest_with_a_pipeline_folder_uses_the_label_map(db, pipeline_dir, capsys):
    assert run("labelmap", "--db", db, "remove", "GPE") == 0  # Poland is not suggested
    assert run("suggest", "--db", db, "--model", pipeline_dir) == 0
    name = f"pipeline:{pipeline_dir}"
    assert capsys.readouterr().out.splitlines()[-1].split() == [name, "2", "0"]
    found = suggested(db)
    assert found[2] == [("PLATFORM", "Bayraktar TB2", name)]
    assert found[4] == [("ACTOR", "Saab", name)]
    assert found[1] == found[3] == []


def test_suggest_status_lists_every_suggester(db, pipeline_dir, capsys):
    assert run("suggest", "--db", db, "--status") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [
        "lexicon:alice",
        "project-model",
        "pipeline:en_core_web_sm",
    ]
    assert "available (1 phrase(s))" in lines[0]
    assert "unavailable: no project model yet" in lines[1]
    assert "unavailable: spaCy pipeline 'en_core_web_sm' is not installed" in lines[2]
    assert run("suggest", "--db", db, "--status", "--model", pipeline_dir) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith(f"pipeline:{pipeline_dir}") and "available (label map:" in last
    assert suggestion_ids(db) == set()


@pytest.fixture
def terminal_sigint():
    """Ctrl+C as in a terminal: a pytest started in the background inherits SIGINT ignored."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def test_ctrl_c_stops_after_the_batch_keeps_what_was_stored_and_resumes(
    db, monkeypatch, capsys, terminal_sigint
):
    from annotator.nlp.lexicon import LexiconSuggester

    real = LexiconSuggester.suggest
    calls = []

    def interrupted_once(self, texts, progress=None):
        calls.append(len(texts))
        found = real(self, texts, progress)
        if len(calls) == 2:
            signal.raise_signal(signal.SIGINT)  # as if the user pressed Ctrl+C here
        return found

    monkeypatch.setattr(LexiconSuggester, "suggest", interrupted_once)
    assert run("suggest", "--db", db, "--batch-size", 1) == 1
    out, err = capsys.readouterr()
    assert "stopping after the current batch" in err
    assert "stored so far stay" in err and f"annotator suggest --db {db}" in err
    assert "went through 2 of 4 document(s)" in out
    assert [doc for doc, items in suggested(db).items() if items] == [2]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert run("suggest", "--db", db, "--batch-size", 1) == 0
    assert capsys.readouterr().out.splitlines()[-1].split() == [
        "lexicon:alice",
        "1",
        "2",
    ]  # the 2 reached before Ctrl+C are skipped
    assert [doc for doc, items in suggested(db).items() if items] == [2, 4]


# -- labelmap and terms -----------------------------------------------------------------------


def label_map(db: Path) -> dict[str, str]:
    from annotator.nlp.labelmap import label_map_for

    with Project(db) as project:
        return label_map_for(project)


def test_labelmap_list_set_remove_reset(db, capsys):
    assert run("labelmap", "--db", db) == 0
    out = capsys.readouterr().out
    assert "ORG             ACTOR" in out and "(the default map)" in out
    assert run("labelmap", "--db", db, "set", "FAC", "PLATFORM") == 0
    assert run("labelmap", "--db", db, "set", "PRODUCT", "MOTIVATION") == 0
    assert run("labelmap", "--db", db, "remove", "PERSON") == 0
    assert label_map(db) == {
        "GPE": "ACTOR",
        "NORP": "ACTOR",
        "ORG": "ACTOR",
        "FAC": "PLATFORM",
        "PRODUCT": "MOTIVATION",
    }
    assert "(the default map)" not in capsys.readouterr().out
    assert run("labelmap", "--db", db, "list") == 0
    assert "FAC             PLATFORM" in capsys.readouterr().out
    assert run("labelmap", "--db", db, "reset") == 0
    assert label_map(db)["PRODUCT"] == "PLATFORM" and "FAC" not in label_map(db)


def test_labelmap_refuses_bad_entries_and_changes_nothing(db, capsys):
    before = label_map(db)
    assert run("labelmap", "--db", db, "set", "LOC", "PLACE") == 1
    assert "no span label 'PLACE'" in capsys.readouterr().err
    assert run("labelmap", "--db", db, "remove", "LOC") == 1
    assert "the label map has no 'LOC'" in capsys.readouterr().err
    assert label_map(db) == before


def test_empty_label_map_says_pipeline_suggestions_are_off(db, pipeline_dir, capsys):
    for source in ["GPE", "NORP", "ORG", "PERSON", "PRODUCT"]:
        assert run("labelmap", "--db", db, "remove", source) == 0
    assert "the label map is empty" in capsys.readouterr().out
    assert run("suggest", "--db", db, "--model", pipeline_dir) == 1
    assert "the label map is empty" in capsys.readouterr().err


def test_terms_load_list_and_the_lexicon_uses_them(db, tmp_path, capsys):
    terms = tmp_path / "platforms.txt"
    terms.write_text("\ufeffBayraktar TB2\n# a comment\n\ndrones\ndrones\n", encoding="utf-8")
    assert run("terms", "--db", db, "load", "PLATFORM", terms) == 0
    assert f"PLATFORM: 2 new term(s) from {terms}, 2 in the list" in capsys.readouterr().out
    assert run("terms", "--db", db) == 0
    assert "PLATFORM        2  Bayraktar TB2, drones" in capsys.readouterr().out
    assert run("terms", "--db", db, "list", "PLATFORM") == 0
    assert capsys.readouterr().out.splitlines() == ["Bayraktar TB2", "drones"]
    assert run("suggest", "--db", db) == 0
    found = suggested(db)
    assert ("PLATFORM", "drones", "lexicon:alice") in found[1]
    assert ("PLATFORM", "Bayraktar TB2", "lexicon:alice") in found[2]
    assert run("terms", "--db", db, "clear", "PLATFORM") == 0
    assert run("terms", "--db", db, "list", "PLATFORM") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "PLATFORM: the term list is empty"


def test_terms_load_bad_file_names_path_and_line_and_changes_nothing(db, tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("Saab\n", encoding="utf-8")
    assert run("terms", "--db", db, "load", "ACTOR", good) == 0
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Rheinmetall\nKAI \xff\n")
    assert run("terms", "--db", db, "load", "ACTOR", bad, "--replace") == 1
    assert f"{bad}:2: not UTF-8" in capsys.readouterr().err
    control = tmp_path / "control.txt"
    control.write_text("ok\nfine\nbell\x07\n", encoding="utf-8")
    assert run("terms", "--db", db, "load", "ACTOR", control) == 1
    assert f"{control}:3: control character U+0007" in capsys.readouterr().err
    assert run("terms", "--db", db, "load", "WEAPON", good) == 1
    assert "no label named 'WEAPON'" in capsys.readouterr().err
    assert run("terms", "--db", db, "load", "ACTOR", tmp_path / "missing.txt") == 1
    assert "cannot read the term list" in capsys.readouterr().err
    assert run("terms", "--db", db, "list", "ACTOR") == 0
    assert capsys.readouterr().out.splitlines() == ["Saab"]


# -- export and stats -------------------------------------------------------------------------


def test_export_suggestions_layer_after_suggest(db, tmp_path, capsys):
    assert run("suggest", "--db", db) == 0
    out = tmp_path / "suggestions.jsonl"
    assert (
        run("export", "--db", db, "--format", "jsonl", "--layer", "suggestions", "--out", out) == 0
    )
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    spans = {
        r["text"][s["start"] : s["end"]]: (s["label"], s["annotator"])
        for r in records
        for s in r["spans"]
    }
    assert spans == {"BAYKAR": ("ACTOR", "lexicon:alice"), "baykar": ("ACTOR", "lexicon:alice")}


def test_stats_report_suggestion_quality(db, capsys):
    assert run("suggest", "--db", db) == 0
    with Project(db) as project:
        project.set_gold("alice")
        accepted, rejected = project.suggestions(2)[0], project.suggestions(4)[0]
        project.accept_suggestion(accepted.id, "alice")
        project.reject_suggestion(rejected.id, "alice")
    capsys.readouterr()
    assert run("stats", "--db", db, "--format", "json") == 0
    (quality,) = json.loads(capsys.readouterr().out)["suggesters"]
    assert quality == {
        "model": "lexicon:alice",
        "pending": 0,
        "accepted": 1,
        "rejected": 1,
        "gold_spans": 2,
        "gold_found": 1,
        "precision": 0.5,
        "recall": 0.5,
    }
    assert run("stats", "--db", db) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2].split() == [
        "suggester",
        "pending",
        "accepted",
        "rejected",
        "precision",
        "recall",
        "(gold)",
    ]
    assert lines[-1].split() == ["lexicon:alice", "0", "1", "1", "0.500", "0.500"]


def test_stats_json_without_suggestions_has_an_empty_list(db, capsys):
    assert run("stats", "--db", db, "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["suggesters"] == []


# -- train ------------------------------------------------------------------------------------

ACTORS = ["Baykar", "Saab", "Rheinmetall", "Embraer", "the Greek government", "KAI"]
PLATFORMS = ["TB2 drones", "K2 tanks", "Gripen jets", "C-390 transports"]


def synthetic(n: int, seed: int = 0) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """n short articles with ACTOR and PLATFORM spans."""
    rng = random.Random(seed)
    articles = []
    for i in range(n):
        text, spans = f"Report {i}. ", []
        for _ in range(3):
            actor, platform = rng.choice(ACTORS), rng.choice(PLATFORMS)
            spans.append(("ACTOR", len(text), len(text) + len(actor)))
            text += actor + " ordered "
            spans.append(("PLATFORM", len(text), len(text) + len(platform)))
            text += platform + ". Analysts were surprised. "
        articles.append((text.strip(), spans))
    return articles


def fill(path: Path, articles, annotator: str = "alice", gold: bool = True) -> None:
    with Project.create(path) as project:
        for text, spans in articles:
            (doc,) = project.add_document(text).documents
            for label, start, end in spans:
                project.add_span(doc, annotator, label, start, end)
            project.set_status(doc, annotator, Status.DONE)
        if gold:
            project.set_gold(annotator)


def test_train_prints_scores_saves_the_model_and_suggest_uses_it(tmp_path, capsys):
    db = tmp_path / "train.db"
    fill(db, synthetic(12))
    out = tmp_path / "model-out"
    assert run("train", "--db", db, "--out", out, "--max-steps", 6, "--holdout", 0.25) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("trained on 9 document(s) of layer 'gold', scored on 3 held out")
    assert ": 6 steps in " in lines[0]  # as asked (spaCy's loop alone would run 7)
    assert lines[1].split() == ["label", "precision", "recall", "f1", "gold", "predicted"]
    assert [line.split()[0] for line in lines[2:5]] == ["ACTOR", "PLATFORM", "all"]
    assert lines[-1].startswith(f"saved the model to {out / 'model'}")
    assert (out / "model" / "config.cfg").is_file() and (out / "metrics.json").is_file()
    assert run("suggest", "--db", db, "--status") == 0
    status = capsys.readouterr().out.splitlines()
    assert status[1].startswith("project-model:") and f"available ({out / 'model'}" in status[1]


def test_train_without_spans_is_a_data_error(tmp_path, capsys):
    db = tmp_path / "empty.db"
    with Project.create(db) as project:
        for text, _ in synthetic(4):
            project.add_document(text)
    assert run("train", "--db", db, "--layer", "all") == 1
    err = capsys.readouterr().err
    assert "layer 'all' has 0 document(s) with spans" in err and "at least 2" in err
    assert run("train", "--db", db, "--layer", "gold") == 1
    assert "no gold layer yet" in capsys.readouterr().err
    assert run("train", "--db", db) == 1  # nobody annotated: no layer is the default
    err = capsys.readouterr().err
    assert "choose the layer to train with --layer" in err and "no annotator yet" in err


def test_a_solo_annotator_trains_without_layer(tmp_path, capsys):
    db = tmp_path / "solo.db"
    fill(db, synthetic(4), gold=False)
    out = tmp_path / "model-out"
    assert run("train", "--db", db, "--out", out, "--max-steps", 2, "--holdout", 0.25) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("trained on 3 document(s) of layer 'alice', scored on 1 held out")
    assert ": 2 steps in " in first


def test_fewer_than_two_training_steps_are_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        run("train", "--db", tmp_path / "p.db", "--max-steps", 1)
    assert stopped.value.code == 2
    assert "--max-steps: must be at least 2, not 1" in capsys.readouterr().err


def test_train_ner_refused_when_every_span_overlaps(tmp_path, capsys):
    db = tmp_path / "overlap.db"
    articles = [  # an actor, a platform, and a motivation spanning both: all overlap
        (text, [spans[0], spans[1], ("MOTIVATION", spans[0][1], spans[1][2])])
        for text, spans in synthetic(6)
    ]
    fill(db, articles)
    assert run("train", "--db", db, "--ner", "--out", tmp_path / "m") == 1
    err = capsys.readouterr().err
    assert "cannot train an NER" in err and "overlap" in err
    assert not (tmp_path / "m" / "model").exists()


def test_train_refuses_the_suggestions_layer_and_bad_options(db, capsys):
    assert run("train", "--db", db, "--layer", "suggestions") == 1
    assert "not suggestions" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        run("train", "--db", db, "--holdout", 1.5)
    assert exit_info.value.code == 2
