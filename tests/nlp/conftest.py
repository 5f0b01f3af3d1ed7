"""Fixtures for the nlp tests: a tiny project model trained once per session, on synthetic text."""

from __future__ import annotations

import pytest
from nlp_synthetic import corpus, fill_project

TRAIN_DOCS = 40
TRAIN_STEPS = 30


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """(project location, TrainReport): a gold layer of 40 synthetic articles, 30 steps."""
    from annotator.core.project import Project
    from annotator.nlp.train_options import TrainOptions
    from annotator.nlp.training import train_project_model

    folder = tmp_path_factory.mktemp("trained")
    project = Project.create(folder / "train.db")
    try:
        fill_project(project, corpus(TRAIN_DOCS, seed=1))
        project.set_gold("alice")
        options = TrainOptions(layer="gold", max_steps=TRAIN_STEPS, seed=0)
        report = train_project_model(project, options, out_dir=folder / "model-out")
    finally:
        project.close()
    return folder / "train.db", report
