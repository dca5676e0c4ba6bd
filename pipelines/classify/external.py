"""Real labelled corpora (third-party, read at run time from a folder such as ../shared/data):
sentiment on words our models were never trained on. Texts stay in memory, never in the repo."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Callable

from pipelines.classify.labels import LabelledItem

_RU = {"-1": "negative", "0": "neutral", "1": "positive"}
_HE = {"0": "positive", "1": "negative", "2": "neutral"}


def _airline(root: Path) -> list[LabelledItem]:
    items = []
    with open(root / "airline_tweets" / "tweets.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            items.append(LabelledItem(f"airline_tweets:{row['tweet_id']}", row["text"], "en",
                                      row["airline_sentiment"], None, "airline_tweets"))
    return items


def _hebrew(root: Path) -> list[LabelledItem]:
    items = []
    with open(root / "hebrew_sentiment" / "test_gold.tsv", encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)):
            if number == 0 or len(row) < 2 or row[-1] not in _HE:
                continue
            items.append(LabelledItem(f"hebrew_sentiment:test:{number}", row[0], "he", _HE[row[-1]], None,
                                      "hebrew_sentiment"))
    return items


def _russian(root: Path) -> list[LabelledItem]:
    items = []
    for name in ("banks_test_etalon.csv", "telecom_test_etalon.csv"):
        with open(root / "russian_feedback" / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row.get("overall_label") in _RU:
                    items.append(LabelledItem(f"{name}:{row['id']}", row["text"], "ru", _RU[row["overall_label"]],
                                              None, "russian_feedback"))
    return items


CORPORA: dict[str, tuple[Callable[[Path], list[LabelledItem]], str]] = {
    "airline_tweets": (_airline, "14,640 US airline tweets, crowd-labelled sentiment (English)"),
    "russian_feedback": (_russian, "SentiRuEval-2016 bank and telecom tweets, gold sentiment (Russian)"),
    "hebrew_sentiment": (_hebrew, "Amram et al. Facebook comments, test split (Hebrew; political, not feedback)"),
}


def load_external(root: Path) -> dict[str, tuple[list[LabelledItem], str]]:
    """Every corpus found under `root`: name -> (items, description). Missing ones are skipped."""
    found = {}
    for name, (reader, description) in CORPORA.items():
        try:
            found[name] = (reader(root), description)
        except FileNotFoundError:
            continue
    return found
