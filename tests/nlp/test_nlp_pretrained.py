"""Pretrained pipelines by name or path, mapped onto the project's labels by a label map."""

from __future__ import annotations

import pytest

from annotator.core.errors import ConflictError
from annotator.nlp.pretrained import (
    DEFAULT_LABEL_MAP,
    PipelineSuggester,
    label_map_for,
    save_label_map,
)

TEXT = "🚀 Turkish officials in Ankara said Baykar\r\nwill sell TB2 drones; 中国 Leonardo too."


@pytest.fixture(scope="module")
def pipeline_dir(tmp_path_factory):
    """A pipeline on disk: blank English plus an entity ruler emitting GPE, ORG, NORP, etc."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "GPE", "pattern": "Ankara"},
            {"label": "NORP", "pattern": "Turkish"},
            {"label": "ORG", "pattern": "Baykar"},
            {"label": "ORG", "pattern": "Leonardo"},
            {"label": "PRODUCT", "pattern": [{"LOWER": "tb2"}, {"LOWER": "drones"}]},
            {"label": "DATE", "pattern": "today"},
        ]
    )
    path = tmp_path_factory.mktemp("pipes") / "pipe"
    nlp.to_disk(path)
    return path


def test_pipeline_by_path_maps_labels_and_keeps_code_point_offsets(pipeline_dir):
    suggester = PipelineSuggester(str(pipeline_dir), {"ORG": "ACTOR", "PRODUCT": "PLATFORM"})
    assert suggester.available() and suggester.unavailable_reason() == ""
    assert suggester.name == f"pipeline:{pipeline_dir}"
    (items,) = suggester.suggest([TEXT])
    assert [(s.label, TEXT[s.start : s.end], s.score) for s in items] == [
        ("ACTOR", "Baykar", 0.5),
        ("PLATFORM", "TB2 drones", 0.5),
        ("ACTOR", "Leonardo", 0.5),
    ]


def test_default_map_sends_gpe_norp_org_to_actor_and_product_to_platform(pipeline_dir):
    suggester = PipelineSuggester(str(pipeline_dir))
    texts = [TEXT, "", "nothing here today"]
    results = suggester.suggest(texts)
    assert [(s.label, TEXT[s.start : s.end]) for s in results[0]] == [
        ("ACTOR", "Turkish"),
        ("ACTOR", "Ankara"),
        ("ACTOR", "Baykar"),
        ("PLATFORM", "TB2 drones"),
        ("ACTOR", "Leonardo"),
    ]
    assert results[1:] == [[], []]  # DATE is not mapped: dropped


def test_missing_package_is_unavailable_with_an_install_hint():
    suggester = PipelineSuggester("en_core_web_zz_missing")
    assert not suggester.available()
    assert suggester.unavailable_reason() == (
        "spaCy pipeline 'en_core_web_zz_missing' is not installed; install it with "
        "`pip install en_core_web_zz_missing` (or a wheel file) and choose it again"
    )


def test_missing_folder_is_unavailable_with_a_hint(tmp_path):
    suggester = PipelineSuggester(str(tmp_path / "nowhere"))
    assert not suggester.available()
    assert "no spaCy pipeline at" in suggester.unavailable_reason()
    assert "config.cfg" in suggester.unavailable_reason()


def test_empty_label_map_is_unavailable(pipeline_dir):
    suggester = PipelineSuggester(str(pipeline_dir), {})
    assert not suggester.available()
    assert "label map is empty" in suggester.unavailable_reason()


def test_label_map_defaults_to_the_project_labels(project):
    assert label_map_for(project) == DEFAULT_LABEL_MAP
    project.remove_label("PLATFORM")
    assert "PRODUCT" not in label_map_for(project)


def test_label_map_is_saved_validated_and_reset(project):
    saved = save_label_map(project, {" ORG ": "ACTOR", "FAC": "PLATFORM"})
    assert saved == {"ORG": "ACTOR", "FAC": "PLATFORM"}
    assert label_map_for(project) == saved
    assert PipelineSuggester.from_project(project).label_map == saved

    with pytest.raises(ConflictError, match=r"label map: GPE -> COUNTRY: the project has no span"):
        save_label_map(project, {"ORG": "ACTOR", "GPE": "COUNTRY"})
    with pytest.raises(ConflictError, match="not a pipeline label"):
        save_label_map(project, {"NOT A LABEL": "ACTOR"})
    assert label_map_for(project) == saved  # nothing changed

    save_label_map(project, None)
    assert label_map_for(project) == DEFAULT_LABEL_MAP


def test_project_pipeline_setting_chooses_the_pipeline(project, pipeline_dir):
    assert PipelineSuggester.from_project(project).name == "pipeline:en_core_web_sm"
    project.set_setting("pipeline", str(pipeline_dir))
    suggester = PipelineSuggester.from_project(project)
    assert suggester.available()
    (items,) = suggester.suggest(["Baykar"])
    assert [(s.label, s.start, s.end) for s in items] == [("ACTOR", 0, 6)]
