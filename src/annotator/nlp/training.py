"""Train the project's suggestion model (spaCy spancat, optionally NER) on a layer, in process."""

from __future__ import annotations

import io
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.nlp.evaluation import ALL_LABELS, LabelScore, score_spans
from annotator.nlp.modelfiles import (
    models_dir,
    new_model_folder,
    project_key,
    strip_training_hooks,
    write_metrics,
)
from annotator.nlp.projectmodel import DEFAULT_THRESHOLD, MODEL_DIR, record_model
from annotator.nlp.train_options import DEFAULTS, TrainOptions
from annotator.nlp.trainconfig import (
    DEFAULT_EVAL_FREQUENCY,
    batch_words,
    progress_hook,
    training_config,
)
from annotator.nlp.trainingdata import (
    DocStats,
    LayerDocument,
    collect_layer,
    paragraph_pieces,
    split_documents,
    to_spacy_docs,
)

__all__ = ["TrainReport", "evaluate_model", "models_dir", "project_key", "train_project_model"]


@dataclass(frozen=True, slots=True)
class TrainSettings:
    """The knobs of one training run (recorded in metrics.json): the options and the loop's."""

    layer: str
    holdout: float
    seed: int
    max_steps: int
    eval_frequency: int
    patience: int | None
    ner: bool


@dataclass(frozen=True, slots=True)
class TrainReport:
    """What a training run produced: where the model is, how good it is, on what data."""

    path: Path
    date: str
    layer: str
    train_documents: int
    dev_documents: int
    steps: int
    seconds: float
    scores: dict[str, LabelScore]
    stats: DocStats
    metrics: dict[str, Any]

    @property
    def overall(self) -> LabelScore:
        """Micro-averaged precision, recall and F1 over all labels."""
        return self.scores[ALL_LABELS]


def train_project_model(
    project: Any,
    options: TrainOptions = DEFAULTS,
    *,
    out_dir: str | Path | None = None,
    eval_frequency: int = DEFAULT_EVAL_FREQUENCY,
    patience: int | None = None,
    progress: Progress | None = None,
) -> TrainReport:
    """Train on `options.layer` (None: the default layer, core.layers.default_layer), hold out
    documents, score them, save and record the model.

    Progress: 1 after data preparation, 1 + step during training, total when saved. Cancel is
    honoured between phases and before every training step; a cancelled run saves nothing.
    """
    from annotator.core.layers import layer_or_default

    layer = layer_or_default(project, options.layer, "train")
    chosen = asdict(options) | {"layer": layer}
    settings = TrainSettings(**chosen, eval_frequency=eval_frequency, patience=patience)
    ner, max_steps = options.ner, options.max_steps
    progress = progress or NullProgress()
    total = max_steps + 2
    began = time.perf_counter()
    check_cancelled(progress)
    documents = collect_layer(project, layer)
    if len(documents) < 2:
        raise AnnotatorError(
            f"layer {layer!r} has {len(documents)} document(s) with spans or marked done; "
            "training needs at least 2 (one is held out for scoring)"
        )
    train_docs, dev_docs = split_documents(documents, options.holdout, options.seed)

    from annotator.nlp.loading import blank

    nlp = blank("en")
    train, train_stats = to_spacy_docs(nlp, train_docs, ner=ner)
    dev, dev_stats = to_spacy_docs(nlp, dev_docs, ner=ner)
    _check_trainable(layer, train_stats, ner)
    words = batch_words(max(train_stats.longest_tokens, dev_stats.longest_tokens))
    if any(len(doc) > words for doc in [*train, *dev]):  # long documents: train on pieces
        train, train_stats = to_spacy_docs(nlp, _pieces(train_docs, words), ner=ner)
        dev, dev_stats = to_spacy_docs(nlp, _pieces(dev_docs, words), ner=ner)
    stats = train_stats.add(dev_stats)
    check_cancelled(progress)
    progress.report(1, total)

    date = datetime.now(UTC).replace(microsecond=0)
    target = Path(out_dir) if out_dir is not None else new_model_folder(project, date)
    if (target / MODEL_DIR).exists():
        raise AnnotatorError(f"{target} already holds a model; choose an empty folder")
    steps = _train_into(target / MODEL_DIR, train, dev, stats, settings, progress, total)

    scores = evaluate_model(target / MODEL_DIR, dev_docs)
    seconds = time.perf_counter() - began
    metrics = _metrics(date, settings, train_docs, dev_docs, steps, seconds, scores, stats)
    write_metrics(target, metrics)
    record_model(project, target / MODEL_DIR, metrics["date"], metrics)
    progress.report(total, total)
    return TrainReport(
        target / MODEL_DIR,
        metrics["date"],
        layer,
        len(train_docs),
        len(dev_docs),
        steps,
        seconds,
        scores,
        stats,
        metrics,
    )


def evaluate_model(model_path: Path, documents: list[LayerDocument]) -> dict[str, LabelScore]:
    """Exact-match scores per label of a saved model's spancat on documents with gold spans."""
    from annotator.nlp.projectmodel import ProjectModelSuggester

    model = ProjectModelSuggester(model_path, threshold=DEFAULT_THRESHOLD)
    predicted = [
        [(s.label, s.start, s.end) for s in items]
        for items in model.suggest([d.text for d in documents])
    ]
    return score_spans([d.spans for d in documents], predicted)


def _pieces(documents: list[LayerDocument], words: int) -> list[LayerDocument]:
    """Every document cut into pieces of about `words` words at blank lines."""
    return [piece for document in documents for piece in paragraph_pieces(document, words)]


def _check_trainable(layer: str, stats: DocStats, ner: bool) -> None:
    """Refuse data nothing can be learnt from, with the reason."""
    if sum(stats.spans_per_label.values()) == 0:
        raise AnnotatorError(
            f"layer {layer!r} has no spans in the training documents to learn from; "
            "annotate some documents (or choose another --layer) first"
        )
    if ner and stats.ner_entities == 0:
        raise AnnotatorError(
            f"cannot train an NER on layer {layer!r}: all {stats.ner_dropped} spans overlap "
            "other spans, and NER cannot represent overlaps; train without NER (the span "
            "categorizer handles overlapping spans)"
        )


def _train_into(
    model: Path,
    train: list,
    dev: list,
    stats: DocStats,
    settings: TrainSettings,
    progress: Progress,
    total: int,
) -> int:
    """Run spaCy's training loop in a scratch folder and move the best model to `model`;
    returns the steps run. Nothing is left behind when it fails or is cancelled."""
    from spacy.tokens import DocBin
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop

    folder = model.parent
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".training-", dir=folder))
    try:
        DocBin(docs=train, store_user_data=False).to_disk(work / "train.spacy")
        DocBin(docs=dev, store_user_data=False).to_disk(work / "dev.spacy")
        (work / "output").mkdir()
        counter = _StepCounter(progress)
        with progress_hook(counter, 1, total) as hook:
            config = training_config(
                work / "train.spacy",
                work / "dev.spacy",
                max_span_tokens=stats.longest_tokens,
                ner=settings.ner,
                max_steps=settings.max_steps,
                eval_frequency=settings.eval_frequency,
                patience=settings.patience,
                seed=settings.seed,
                hook=hook,
            )
            nlp = init_nlp(config, use_gpu=-1)
            check_cancelled(progress)
            sink = io.StringIO()
            train_loop(nlp, work / "output", use_gpu=-1, stdout=sink, stderr=sink)
        check_cancelled(progress)
        best = work / "output" / "model-best"
        strip_training_hooks(best)
        shutil.move(str(best), model)
        return counter.steps
    except BaseException:
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


class _StepCounter:
    """Passes reports through and counts the training steps seen."""

    def __init__(self, outer: Progress) -> None:
        self.outer, self.steps = outer, 0

    def report(self, done: int, total: int) -> None:
        self.steps += 1
        self.outer.report(done, total)

    def cancelled(self) -> bool:
        return self.outer.cancelled()


def _metrics(
    date: datetime,
    settings: TrainSettings,
    train_docs: list[LayerDocument],
    dev_docs: list[LayerDocument],
    steps: int,
    seconds: float,
    scores: dict[str, LabelScore],
    stats: DocStats,
) -> dict[str, Any]:
    """What metrics.json and the project record hold."""
    ner = {"entities": stats.ner_entities, "dropped_overlapping": stats.ner_dropped}
    return {
        "date": date.isoformat().replace("+00:00", "Z"),
        "layer": settings.layer,
        "documents": {"train": len(train_docs), "dev": len(dev_docs)},
        "dev_document_ids": sorted(d.id for d in dev_docs),
        "steps": steps,
        "seconds": round(seconds, 2),
        "labels": {k: v.to_dict() for k, v in scores.items() if k != ALL_LABELS},
        "overall": scores[ALL_LABELS].to_dict(),
        "spans": dict(stats.spans_per_label),
        "alignment": dict(stats.alignment),
        "longest_span_tokens": stats.longest_tokens,
        "ner": ner if settings.ner else None,
        "settings": {**asdict(settings), "suggester_max_size": max(1, stats.longest_tokens)},
    }
