"""Offline language identification, restricted to the configured languages.

Scripts decide at once where they can (Hebrew letters are Hebrew here); lingua decides the
rest among the configured languages and a set of common others (Dutch, German, Spanish...),
so that a Dutch review is recognised as not ours instead of being forced into English or
French. Anything not configured, or too little text, is "other" rather than a guess.
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
# Languages lingua also weighs so that text in them comes out "other" rather than as the
# nearest configured language (a Dutch review is not English).
# Few, because every language lingua weighs costs time on every text; Arabic script is told
# apart by script below.
_SENTINELS = ("DUTCH", "GERMAN", "ITALIAN", "PORTUGUESE", "SPANISH")
_ARABIC_LETTER = re.compile(r"(?=[\u0600-\u06ff\u0750-\u077f])[^\W\d_]")


@lru_cache(maxsize=4)
def _detector(languages: tuple[str, ...]):
    from lingua import Language, LanguageDetectorBuilder

    names = {_LINGUA_NAMES[code] for code in languages if code in _LINGUA_NAMES} | set(_SENTINELS)
    known = [getattr(Language, name) for name in sorted(names)]
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
        if "ar" not in self.languages and len(_ARABIC_LETTER.findall(text)) >= 0.5 * letters:
            return OTHER
        return None

    def _decide(self, confidences: list) -> str:
        """A configured language when lingua is sure enough of it among the configured ones, and
        no other language (Dutch, German...) is the clear favourite; otherwise "other"."""
        if not confidences:
            return OTHER
        best = confidences[0]
        ours = [c for c in confidences if self._codes.get(c.language.name) in self.languages]
        runner_up = ours[0].value if ours else 0.0
        if best not in ours and best.value >= self.min_confidence and best.value >= 2 * runner_up:
            return OTHER
        mass = sum(c.value for c in ours)
        if not ours or mass <= 0 or ours[0].value / mass < self.min_confidence:
            return OTHER
        return self._codes[ours[0].language.name]

    def detect(self, texts: list[str]) -> list[str]:
        """One code per text: a configured language or "other"."""
        results: list[str | None] = [self._by_script(t) for t in texts]
        pending = [i for i, r in enumerate(results) if r is None]
        if pending:
            detector = _detector(self.languages)
            stripped = [_PLACEHOLDER.sub(" ", texts[i]) for i in pending]
            values = detector.compute_language_confidence_values_in_parallel(stripped)
            for i, confidences in zip(pending, values):
                results[i] = self._decide(confidences)
        return [r or OTHER for r in results]
