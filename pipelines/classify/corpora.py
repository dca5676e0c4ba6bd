"""Real feedback corpora (third-party, read at run time from a folder such as ../shared/data).

The one place that knows where each corpus lives and how to read it. Every item is named
`<corpus>:<id>`, the name labels are stored under (no text in the repository): training and
evaluation join the text back from here. Reserved corpora stand for a company the model has
never met: they are only ever read for evaluation, never for training (see `training_guard`).
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

csv.field_size_limit(1 << 30)


class CorpusMissing(FileNotFoundError):
    """A corpus file is not where the shared-data folder should hold it."""


@dataclass(frozen=True)
class RealItem:
    source: str              # "<corpus>:<id>"
    text: str
    lang: str                # as the corpus declares it ("" when it does not)
    stars: int | None = None  # 1-5 rating given by the customer, where the corpus has one
    gold_sentiment: str | None = None  # the corpus's own sentiment label, where it has one


@dataclass(frozen=True)
class Corpus:
    name: str
    path: str                # relative to the shared-data folder
    reader: Callable[[Path, str], Iterator[RealItem]]
    description: str
    channel: str
    reserved: bool = False


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _joined(*parts: str) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _stars(value: str) -> int | None:
    try:
        stars = int(float(value))
    except (TypeError, ValueError):
        return None
    return stars if 1 <= stars <= 5 else None


def _twcs(path: Path, name: str) -> Iterator[RealItem]:
    for row in _csv_rows(path):
        if row["inbound"] == "True" and row["text"].strip():
            yield RealItem(f"{name}:{row['tweet_id']}", row["text"], "")


_ASAPP_MARKS = re.compile(r"<cust__|__cust>|__company__")


def _asapp(path: Path, name: str) -> Iterator[RealItem]:
    seen: set[str] = set()
    for row in _csv_rows(path):
        tweet = row["first_tweet_id"].removesuffix(".0")
        text = " ".join(_ASAPP_MARKS.sub(" ", row["first_utterance"]).split())
        if tweet in seen or not text:
            continue
        seen.add(tweet)
        yield RealItem(f"{name}:{tweet}", text, "en")


def _cfpb(path: Path, name: str) -> Iterator[RealItem]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("text", "").strip():
                yield RealItem(f"{name}:{row['id']}", row["text"], "en")


def _cfpb_4k(path: Path, name: str) -> Iterator[RealItem]:
    for number, row in enumerate(_csv_rows(path), start=1):
        if row["narrative"].strip():
            yield RealItem(f"{name}:r{number}", row["narrative"], "en")


def _rings(path: Path, name: str) -> Iterator[RealItem]:
    for number, row in enumerate(_csv_rows(path), start=1):
        text = _joined(row["Title"], row["Content"])
        if text:
            yield RealItem(f"{name}:r{number}", text, "en", _stars(row["Rating"]))


def _keytrade(path: Path, name: str) -> Iterator[RealItem]:
    for row in _csv_rows(path):
        text = _joined(row["title"], row["text"])
        if text:
            yield RealItem(f"{name}:{row['id']}", text, row["language"], _stars(row["rating"]))


def _circular(path: Path, name: str) -> Iterator[RealItem]:
    for number, row in enumerate(_csv_rows(path), start=1):
        if row["Texte"].strip():
            yield RealItem(f"{name}:r{number}", row["Texte"], "fr", _stars(row["Note"]))


def _west_africa(path: Path, name: str) -> Iterator[RealItem]:
    for row in _csv_rows(path):
        if row["Reviewer_Text"].strip():
            yield RealItem(f"{name}:{row['id']}", row["Reviewer_Text"], "fr", _stars(row["Reviewer_Star"]))


def _morocco(path: Path, name: str) -> Iterator[RealItem]:
    for row in json.loads(path.read_text("utf-8")):
        if row["text"].strip():
            yield RealItem(f"{name}:{row['id']}", row["text"], "fr", _stars(row["rating"]))


_RU = {"-1": "negative", "0": "neutral", "1": "positive"}


def _sentirueval(path: Path, name: str) -> Iterator[RealItem]:
    for row in _csv_rows(path):
        if row["text"].strip():
            yield RealItem(f"{name}:{row['id']}", row["text"], "ru", gold_sentiment=_RU.get(row["overall_label"]))


def _gazprombank(path: Path, name: str) -> Iterator[RealItem]:
    for row in _csv_rows(path):
        text = _joined(row["title"], row["text"])
        if text:  # the third party's model output column is not a label and is not read
            yield RealItem(f"{name}:{row['id']}", text, "ru", _stars(row["rating"]))


_HE = {"0": "positive", "1": "negative", "2": "neutral"}


def _hebrew(path: Path, name: str) -> Iterator[RealItem]:
    with open(path, encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)):
            if number == 0 or len(row) < 2 or row[-1] not in _HE or not row[0].strip():
                continue
            yield RealItem(f"{name}:{number}", row[0], "he", gold_sentiment=_HE[row[-1]])


def _airline(path: Path, name: str) -> Iterator[RealItem]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            yield RealItem(f"{name}:{row['tweet_id']}", row["text"], "en", gold_sentiment=row["airline_sentiment"])


_CORPORA = [
    Corpus("twcs", "twcs_support_tweets/twcs_first5000_all_companies.csv", _twcs,
           "Customer tweets to support accounts (Kaggle Customer Support on Twitter, 2017; CC BY-NC-SA 4.0)", "social"),
    Corpus("asapp_airlines", "twcs_support_tweets/asapp_airlines_raw_43k_conversations.csv", _asapp,
           "First customer tweet of airline support exchanges (ASAPP research on TWCS, 2017; CC BY-NC-SA 4.0)", "social"),
    Corpus("cfpb", "cfpb_complaints/cfpb_raw_narratives.jsonl", _cfpb,
           "US CFPB consumer-finance complaint narratives (public domain)", "complaint_book"),
    Corpus("cfpb_4k", "cfpb_complaints/cfpb_narratives_4k.csv", _cfpb_4k,
           "More US CFPB complaint narratives (public domain)", "complaint_book"),
    Corpus("trustpilot_rings", "trustpilot_reviews/trustpilot_rings_en.csv", _rings,
           "Trustpilot reviews of a smart-ring maker, 1-5 stars (English)", "survey"),
    Corpus("keytrade", "trustpilot_reviews/keytrade_reviews.csv", _keytrade,
           "Trustpilot reviews of an online bank, 1-5 stars (French, Dutch, English)", "survey"),
    Corpus("circular", "trustpilot_reviews/trustpilot_circular_fr.csv", _circular,
           "Trustpilot reviews of a smart-ring maker, 1-5 stars (French)", "survey"),
    Corpus("west_africa_banks", "bank_reviews_fr/west_africa_bank_reviews.csv", _west_africa,
           "Google-Maps reviews of bank branches in Morocco, Benin, Senegal, Ghana (French; Ghana machine-translated)",
           "complaint_book"),
    Corpus("sentirueval_banks", "russian_feedback/banks_test_etalon.csv", _sentirueval,
           "SentiRuEval-2016 tweets about Russian banks, gold sentiment", "social"),
    Corpus("sentirueval_telecom", "russian_feedback/telecom_test_etalon.csv", _sentirueval,
           "SentiRuEval-2016 tweets about Russian telecom operators, gold sentiment", "social"),
    Corpus("hebrew_train", "hebrew_sentiment/train.tsv", _hebrew,
           "Hebrew Facebook comments (Amram et al. 2018), train file: political, not feedback", "social"),
    Corpus("hebrew_dev", "hebrew_sentiment/dev.tsv", _hebrew,
           "Hebrew Facebook comments (Amram et al. 2018), dev file: political, not feedback", "social"),
    # Reserved: evaluation only.
    Corpus("airline_tweets", "airline_tweets/tweets.jsonl", _airline,
           "US airline tweets, February 2015 (Figure Eight; CC BY-NC-SA 4.0)", "social", reserved=True),
    Corpus("morocco_banks", "bank_reviews_fr/morocco_bank_reviews.json", _morocco,
           "Google-Maps reviews of Moroccan bank branches (French, some Darija)", "complaint_book", reserved=True),
    Corpus("gazprombank", "russian_feedback/gazprombank_sravni_reviews_2024.csv", _gazprombank,
           "Gazprombank reviews on sravni.ru, 2024-2025, 1-5 stars (Russian)", "survey", reserved=True),
    Corpus("hebrew_test", "hebrew_sentiment/test_gold.tsv", _hebrew,
           "Hebrew Facebook comments (Amram et al. 2018), test_gold file", "social", reserved=True),
]
CORPORA: dict[str, Corpus] = {c.name: c for c in _CORPORA}
RESERVED = frozenset(c.name for c in _CORPORA if c.reserved)


def star_sentiment(stars: int | None) -> str | None:
    """1-2 stars negative, 3 neutral, 4-5 positive: a customer's own rating, a noisy label
    (a 4-star review can be a complaint with a polite ending)."""
    if stars is None:
        return None
    return "negative" if stars <= 2 else "neutral" if stars == 3 else "positive"


def corpus_of(source: str) -> str:
    """`"airline_tweets:5703..."` -> `"airline_tweets"`."""
    return source.split(":", 1)[0]


def read_corpus(root: Path, name: str) -> dict[str, RealItem]:
    """Every item of one corpus by its source name, in file order."""
    if name not in CORPORA:
        raise KeyError(f"unknown corpus {name!r}; known: {', '.join(CORPORA)}")
    return dict(_read_cached(str(Path(root).resolve()), name))


@lru_cache(maxsize=32)
def _read_cached(root: str, name: str) -> tuple[tuple[str, RealItem], ...]:
    corpus = CORPORA[name]
    path = Path(root) / corpus.path
    if not path.is_file():
        raise CorpusMissing(f"{path} not found: corpus {name!r} needs the shared data folder "
                            f"(../shared/data beside the project, or set VOC_SHARED_DATA)")
    return tuple((item.source, item) for item in corpus.reader(path, name))


def fingerprint(text: str) -> str:
    """Letters and digits of the first 60 characters, case-folded: the same review copied into
    another file (with a cut ending "…", other spacing or case) has the same fingerprint."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())[:60]


@lru_cache(maxsize=4)
def reserved_fingerprints(root: Path) -> frozenset[str]:
    """Fingerprints of every text in every reserved corpus found under `root`. Short texts count
    too: "Mauvais service" in the West-African file is the same text as in the Moroccan one."""
    found = set()
    for name in RESERVED:
        try:
            items = read_corpus(root, name)
        except CorpusMissing:
            continue
        found.update(fp for fp in (fingerprint(i.text) for i in items.values()) if fp)
    return frozenset(found)


class ReservedForEvaluation(ValueError):
    """A reserved corpus (or one of its texts copied elsewhere) was about to be trained on."""


def training_guard(root: Path, sources: list[str], texts: list[str]) -> list[bool]:
    """True for each item that may be trained on; raises if an item names a reserved corpus.

    Items whose text is a reserved text copied into another corpus (Moroccan reviews inside the
    West-African file) are not errors, they are dropped: the caller keeps only the True ones.
    """
    named = sorted({s for s in sources if corpus_of(s) in RESERVED})
    if named:
        raise ReservedForEvaluation(
            f"{len(named)} item(s) from reserved corpora ({', '.join(sorted({corpus_of(s) for s in named}))}), "
            f"e.g. {named[0]}: reserved corpora are for evaluation only; move their labels to data/labels/reserved/")
    reserved = reserved_fingerprints(Path(root))
    return [fingerprint(t) not in reserved for t in texts]


@dataclass
class Joined:
    items: list            # the LabelledItems, texts filled in where found
    problems: dict[int, str]  # position -> why its text could not be joined


def join_texts(items: list, shared: Path | None) -> Joined:
    """Fill in the text of items labelled from real corpora (source `<corpus>:<id>`)."""
    from dataclasses import replace

    needed = sorted({item.corpus for item in items if not item.text})
    if shared is None or not Path(shared).is_dir():
        raise CorpusMissing(f"{len(needed)} labelled corpora ({', '.join(needed)}) name items of real corpora "
                            f"whose texts live in the shared data folder, which is not at {shared}: put ../shared/data "
                            "beside the project or set VOC_SHARED_DATA (classification never needs it)")
    corpora = {}
    for name in needed:
        if name in CORPORA:
            corpora[name] = read_corpus(shared, name)
    out, problems = [], {}
    for i, item in enumerate(items):
        if item.text:
            out.append(item)
            continue
        found = corpora.get(item.corpus, {}).get(item.source)
        if item.corpus not in CORPORA:
            problems[i] = f"source {item.source!r} names no known corpus; known: {', '.join(CORPORA)}"
        elif found is None:
            problems[i] = f"source {item.source!r} is not in corpus {item.corpus} ({CORPORA[item.corpus].path})"
        out.append(replace(item, text=found.text) if found else item)
    return Joined(out, problems)
