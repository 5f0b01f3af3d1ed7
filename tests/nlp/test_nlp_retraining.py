"""nlp.retraining: when the project model retrains in the background (documents marked done
since the last model, the project's policy) and on which layer."""

from __future__ import annotations

from datetime import timedelta

from annotator.core.model import Status
from annotator.core.storage.orm import utcnow
from annotator.nlp.projectmodel import record_model
from annotator.nlp.retraining import (
    AUTO_TRAIN_AFTER_SETTING,
    DEFAULT_AUTO_TRAIN_AFTER,
    RetrainPolicy,
    background_options,
    done_since_model,
    retrain_policy,
    save_retrain_policy,
    training_due,
)


def documents(project, count: int) -> list[int]:
    return [next(iter(project.add_document(f"article {n}").documents)) for n in range(count)]


def test_done_since_counts_documents_marked_done_after_a_time_once_each(project):
    ids = documents(project, 4)
    project.set_status(ids[0], "alice", Status.DONE)
    project.set_status(ids[0], "bob", Status.DONE)  # one document, however many annotators
    project.set_status(ids[1], "alice", Status.IN_PROGRESS)
    assert project.done_since(None) == 1
    cut = utcnow()
    assert project.done_since(cut) == 0
    project.set_status(ids[2], "alice", Status.DONE)
    project.set_status(ids[3], "alice", Status.DONE)
    project.set_status(ids[3], "alice", Status.IN_PROGRESS)  # undone: no longer counts
    assert project.done_since(cut) == 1
    assert project.done_since(None) == 2


def test_training_is_due_after_n_documents_done_since_the_model(project):
    ids = documents(project, 5)
    save_retrain_policy(project, RetrainPolicy(enabled=True, after=2))
    assert retrain_policy(project) == RetrainPolicy(True, 2)
    project.set_status(ids[0], "alice", Status.DONE)
    assert not training_due(project)
    project.set_status(ids[1], "alice", Status.DONE)
    assert training_due(project)  # no model yet: every document done counts
    record(project, utcnow() - timedelta(hours=1))
    assert done_since_model(project) == 2 and training_due(project)
    failed = utcnow()  # a run that failed: the count starts again from then
    assert done_since_model(project, tried=failed) == 0
    assert not training_due(project, tried=failed)
    project.set_status(ids[2], "alice", Status.DONE)
    project.set_status(ids[3], "alice", Status.DONE)
    assert training_due(project, tried=failed)
    record(project, utcnow() + timedelta(seconds=1))  # a model trained after all of them
    assert done_since_model(project) == 0 and not training_due(project)
    save_retrain_policy(project, RetrainPolicy(enabled=False, after=2))
    assert not retrain_policy(project).enabled


def record(project, when) -> None:
    """Record a project model trained at `when` (naive UTC), as nlp.training does."""
    date = when.replace(microsecond=0).isoformat() + "Z"
    record_model(project, project.location, date, {"date": date, "layer": "alice"})


def test_policy_defaults_and_damaged_settings(project):
    assert retrain_policy(project) == RetrainPolicy(True, DEFAULT_AUTO_TRAIN_AFTER)
    for damaged in ("ten", 0, True, 10**6):
        project.set_setting(AUTO_TRAIN_AFTER_SETTING, damaged)
        assert retrain_policy(project).after == DEFAULT_AUTO_TRAIN_AFTER
    save_retrain_policy(project, RetrainPolicy())
    assert project.get_setting(AUTO_TRAIN_AFTER_SETTING) is None


def test_background_runs_train_on_the_models_layer_else_the_default_else_mine(project):
    project.add_span(documents(project, 1)[0], "alice", "ACTOR", 0, 3)
    assert background_options(project, "carol").layer == "alice"  # the only annotator
    project.add_span(documents(project, 1)[0], "bob", "ACTOR", 0, 3)
    assert background_options(project, "carol").layer == "carol"  # several, no gold: mine
    record_model(project, project.location, "2026-01-01T00:00:00Z", {"layer": "gold"})
    assert background_options(project, "carol").layer == "gold"
