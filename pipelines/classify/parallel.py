"""Run preparation and classification on several cores: one model copy per process.

With N workers, this process is one of them and N-1 helper processes are the others: a
helper costs ~450 MB (libraries, model, language models), and this process only writes
results between batches, so it has the time to classify too. Helpers load the model from its
folder once (nothing large crosses process boundaries but texts and results); with one
worker everything runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Iterable, Iterator

from pipelines.classify.bundle import Classifier, prediction_columns
from pipelines.lifetime import die_with_parent
from pipelines.text.language import LanguageDetector
from pipelines.text.prepare import PreparedText, prepare

_worker: dict[str, object] = {}


def _load(model_folder: str, languages: tuple[str, ...], names: bool, parent_pid: int | None = None) -> None:
    die_with_parent(parent_pid)
    _worker["model"] = Classifier.load(Path(model_folder))
    _worker["detector"] = LanguageDetector(languages=languages)
    _worker["names"] = names


def _run(job: tuple[list[str], list[str] | None]) -> tuple[list[PreparedText] | None, dict[str, list]]:
    """Raw texts (languages None) are prepared first; prepared ones come with their languages.
    Returns the prepared texts (or None) and the predictions as warehouse columns."""
    texts, languages = job
    model: Classifier = _worker["model"]  # type: ignore[assignment]
    if languages is not None:
        return None, prediction_columns(model.predict(texts, languages))
    prepared = prepare(texts, _worker["detector"], names=_worker["names"])
    return prepared, prediction_columns(model.predict([p.text for p in prepared], [p.language for p in prepared]))


def predict_texts(model_folder: str, texts: list[str], languages: tuple[str, ...],
                  names: bool) -> tuple[list[PreparedText], dict[str, list]]:
    """Prepare and classify one batch in whatever process runs it (a Dask worker, say);
    the model and detector are loaded once per process."""
    if _worker.get("folder") != model_folder:
        _load(model_folder, languages, names)
        _worker["folder"] = model_folder
    return _run((texts, None))  # type: ignore[return-value]


class Workers:
    """`map(batches)` yields (prepared or None, prediction columns) per batch, in order."""

    def __init__(self, model: Classifier, *, languages: tuple[str, ...], names: bool, workers: int = 1) -> None:
        self.model, self.languages, self.names, self.workers = model, languages, names, workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "Workers":
        if self.workers > 1 and self.model.path is not None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers - 1, mp_context=multiprocessing.get_context("spawn"),
                initializer=_load, initargs=(str(self.model.path), self.languages, self.names, os.getpid()))
        _worker.update(model=self.model, detector=LanguageDetector(languages=self.languages), names=self.names)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        _worker.clear()

    def map(self, batches: Iterable[list[str] | tuple[list[str], list[str]]], *,
            raw: bool) -> Iterator[tuple[list[PreparedText] | None, dict[str, list]]]:
        """Raw batches are lists of texts; prepared ones are (texts, languages) pairs."""
        jobs = ((batch, None) if raw else batch for batch in batches)
        if self._pool is None:
            yield from map(_run, jobs)
            return
        helpers = self.workers - 1
        # Each helper has up to two batches queued; while they are busy this process runs the
        # next batch itself. At most `limit` results wait to be handed over, so memory stays flat.
        pending: deque[Future] = deque()
        limit = 2 * helpers + 2
        for job in jobs:
            busy = sum(1 for f in pending if not f.done())
            if busy < 2 * helpers:
                pending.append(self._pool.submit(_run, job))
            else:
                here: Future = Future()
                here.set_result(_run(job))
                pending.append(here)
            while pending and (pending[0].done() or len(pending) >= limit):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
