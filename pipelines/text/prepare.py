"""Prepare texts for models and for display: normalised, language detected, personal data out."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.text.language import LanguageDetector
from pipelines.text.normalise import normalise
from pipelines.text.redact import redact, redact_names

PREP_VERSION = "prep.v2"  # bump when normalise/redact/language detection change what models see
# prep.v2: languages outside the configured ones are "other" (not scored) instead of the nearest configured one


@dataclass(frozen=True)
class PreparedText:
    text: str  # normalised and redacted: what models read and people are shown
    language: str


def prepare(texts: list[str], detector: LanguageDetector, *, names: bool = True) -> list[PreparedText]:
    """Normalise, detect the language on the normalised text, then redact (names via spaCy
    for English and French when `names` and the models are installed)."""
    normalised = [normalise(t) for t in texts]
    languages = detector.detect(normalised)
    cleaned = [redact(t) for t in normalised]
    if names:
        cleaned = redact_names(cleaned, languages)
    return [PreparedText(t, lang) for t, lang in zip(cleaned, languages)]
