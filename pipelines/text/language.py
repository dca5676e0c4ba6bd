"""Offline language identification, restricted to the configured languages.

Scripts decide at once where they can (Hebrew letters are Hebrew here); lingua decides the
rest among the configured Latin/Cyrillic languages. Anything else, or too little text, is
"other" rather than a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache

OTHER = "other"
_LETTER = re.compile(r"[^\W\d_]")
_HEBREW_LETTER = re.compile(r"(?=[\u0590-\u05ff])[^\W\d_]")
_CYRILLIC_LETTER = re.compile(r"(?=[\u0400-\u04ff])[^\W\d_]")
_PLACEHOLDER = re.compile(r"\[[A-Z]+\]")

_LINGUA_NAMES = {
    "en": "ENGLISH", "fr": "FRENCH", "he": "HEBREW", "ru": "RUSSIAN", "de": "GERMAN",
    "es": "SPANISH", "it": "ITALIAN", "nl": "DUTCH", "pt": "PORTUGUESE", "ar": "ARABIC",
    "uk": "UKRAINIAN",
}


@lru_cache(maxsize=4)
def _detector(languages: tuple[str, ...]):
    from lingua import Language, LanguageDetectorBuilder

    known = [getattr(Language, _LINGUA_NAMES[code]) for code in languages if code in _LINGUA_NAMES]
    return LanguageDetectorBuilder.from_languages(*known).with_preloaded_language_models().build()


class LanguageDetector:
    """Detect the language of texts among `languages` (ISO 639-1 codes)."""

    def __init__(self, *, languages: tuple[str, ...] = ("en", "fr", "he", "ru"),
                 min_letters: int = 3, min_confidence: float = 0.5) -> None:
        unknown = [code for code in languages if code not in _LINGUA_NAMES]
        if unknown:
            raise ValueError(f"unsupported language codes {unknown}; supported: {sorted(_LINGUA_NAMES)}")
        self.languages = tuple(languages)
        self.min_letters = min_letters
        self.min_confidence = min_confidence
        self._codes = {v: k for k, v in _LINGUA_NAMES.items()}

    def _by_script(self, text: str) -> str | None:
        text = _PLACEHOLDER.sub(" ", text) if "[" in text else text
        letters = len(_LETTER.findall(text))
        if letters < self.min_letters:
            return OTHER
        if "he" in self.languages and len(_HEBREW_LETTER.findall(text)) >= 0.3 * letters:
            return "he"
        if len(_CYRILLIC_LETTER.findall(text)) >= 0.5 * letters and self.languages.count("ru") and "uk" not in self.languages:
            return "ru"
        return None

    def detect(self, texts: list[str]) -> list[str]:
        """One code per text: a configured language or "other"."""
        results: list[str | None] = [self._by_script(t) for t in texts]
        pending = [i for i, r in enumerate(results) if r is None]
        if pending:
            detector = _detector(self.languages)
            stripped = [_PLACEHOLDER.sub(" ", texts[i]) for i in pending]
            values = detector.compute_language_confidence_values_in_parallel(stripped)
            for i, confidences in zip(pending, values):
                best = confidences[0] if confidences else None
                ok = best is not None and best.value >= self.min_confidence
                results[i] = self._codes[best.language.name] if ok else OTHER
        return [r or OTHER for r in results]
