"""The spaCy training config for a project model, and the per-step progress hook."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.progress import Progress, check_cancelled

if TYPE_CHECKING:
    from thinc.api import Config

CALLBACK = "annotator.training_progress.v1"
DEFAULT_MAX_STEPS = 600
MIN_STEPS = 2
"""Fewer cannot be asked of spaCy's loop (its last step number would be 0, which means none)."""
DEFAULT_EVAL_FREQUENCY = 100
# spancat's mean-max reducer copies every token vector into every candidate span holding it:
# K(K+1)/2 copies per token for sizes 1..K, 4-byte floats of the tok2vec width. Batches are
# sized so those copies stay near this budget (long motivations otherwise need gigabytes).
SPAN_FEATURE_BUDGET = 64 * 1024 * 1024
TOK2VEC_WIDTH = 96
MAX_BATCH_WORDS = 1000
MIN_BATCH_WORDS = 50
TYPICAL_TEXT_WORDS = 250


def batch_words(max_span_tokens: int, width: int = TOK2VEC_WIDTH) -> int:
    """Words per training batch for suggester sizes 1..max_span_tokens (memory-bounded)."""
    k = max(1, max_span_tokens)
    per_word = k * (k + 1) // 2 * width * 4
    return max(MIN_BATCH_WORDS, min(MAX_BATCH_WORDS, SPAN_FEATURE_BUDGET // per_word))


def batch_texts(max_span_tokens: int, limit: int = 64) -> int:
    """Texts per nlp.pipe batch for a spancat with sizes 1..max_span_tokens (same budget)."""
    return max(1, min(limit, batch_words(max_span_tokens) // TYPICAL_TEXT_WORDS))


_hooks: dict[str, tuple[Progress, int, int]] = {}
_lock = threading.Lock()
_registered = False


def training_config(
    train_path: Path,
    dev_path: Path,
    *,
    max_span_tokens: int,
    ner: bool,
    max_steps: int,
    seed: int,
    eval_frequency: int = DEFAULT_EVAL_FREQUENCY,
    patience: int | None = None,
    hook: str | None = None,
) -> Config:
    """init_config's CPU-efficiency spancat (+ NER) config, suggester sizes 1..max_span_tokens;
    `max_steps` (at least MIN_STEPS: the updates run, unless patience stops them sooner) and
    `seed` come from TrainOptions (nlp.train_options), which defines them."""
    from spacy.cli.init_config import init_config

    pipeline = ["spancat", "ner"] if ner else ["spancat"]
    config = init_config(lang="en", pipeline=pipeline, optimize="efficiency")
    config["paths"]["train"] = str(train_path)
    config["paths"]["dev"] = str(dev_path)
    config["system"]["seed"] = seed
    config["components"]["spancat"]["suggester"] = {
        "@misc": "spacy.ngram_range_suggester.v1",
        "min_size": 1,
        "max_size": max(1, max_span_tokens),
    }
    if max_steps < MIN_STEPS:
        raise ValueError(f"training takes at least {MIN_STEPS} steps, not {max_steps}")
    training = config["training"]
    # spaCy numbers steps from 0 and stops after step `max_steps` (0: never), so it runs
    # max_steps + 1 updates: its last step number is ours minus one.
    last = max_steps - 1
    training["max_steps"] = last
    training["eval_frequency"] = _evaluation_spacing(last, eval_frequency)
    training["patience"] = patience if patience is not None else max(3 * eval_frequency, 300)
    words = batch_words(max_span_tokens)
    training["batcher"]["size"] = {
        "@schedules": "compounding.v1",
        "start": min(100, words),
        "stop": words,
        "compound": 1.001,
        "t": 0.0,
    }
    config["nlp"]["batch_size"] = batch_texts(max_span_tokens)  # evaluation during training
    training["score_weights"] = {"spans_sc_f": 1.0, "spans_sc_p": 0.0, "spans_sc_r": 0.0}
    if ner:
        training["score_weights"].update({"spans_sc_f": 0.5, "ents_f": 0.5})
    if hook is not None:
        training["before_update"] = {"@callbacks": CALLBACK, "hook": hook}
    return config


def _evaluation_spacing(last_step: int, wanted: int) -> int:
    """About `wanted` steps between evaluations (spaCy's evaluate at multiples of it), spaced
    so the last one falls on `last_step` or a few steps before: the model kept (the best one
    evaluated) has seen nearly all the training."""
    return max(1, last_step // max(1, round(last_step / wanted)))


@contextmanager
def progress_hook(progress: Progress, base: int, total: int) -> Iterator[str]:
    """A hook id for the config: each training step reports base+step+1 and checks cancel."""
    _register()
    hook = uuid.uuid4().hex
    with _lock:
        _hooks[hook] = (progress, base, total)
    try:
        yield hook
    finally:
        with _lock:
            _hooks.pop(hook, None)


def _register() -> None:
    """Register the before_update callback factory with spaCy's registry (once)."""
    global _registered
    with _lock:
        if _registered:
            return
        from spacy.util import registry

        registry.callbacks.register(CALLBACK, func=_make_callback)
        _registered = True


def _make_callback(hook: str):
    """The before_update callback for one training run (looked up by hook id)."""

    def before_update(nlp, info: dict) -> None:
        entry = _hooks.get(hook)
        if entry is None:
            return
        progress, base, total = entry
        check_cancelled(progress)
        progress.report(min(base + info["step"] + 1, total), total)

    return before_update
