"""Sub-causes below a pain point: groups of similar items found in the month's own words.

Per cause and language (customers describe the same problem differently in each language,
and no local embedding model covers Hebrew and Russian at report speed), the sentences
that carry the cause are turned into word and word-pair TF-IDF vectors and grouped with
k-means. A group is named by its most distinctive phrases and keeps a stable id from month
to month: this month's groups are matched to last month's by the cosine similarity of
their term profiles; a group with no match gets a new id, and last month's groups with no
match are reported as gone.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer

_PLACEHOLDERS = {"url", "user", "email", "phone", "card", "iban", "id", "name", "ssn"}
_TOKEN = r"(?u)\b\w\w+\b"


@dataclass(frozen=True)
class SubCauseOptions:
    min_items: int = 8          # fewer items in a cause and language: one group, no clustering
    max_groups: int = 6         # per cause and language
    min_group_share: float = 0.03  # smaller groups join the "various" group
    fit_sample: int = 2000      # items used to find the groups (all items are assigned)
    match_similarity: float = 0.3  # cosine of term profiles to call two months' groups the same
    verbatims: int = 3


@dataclass
class Group:
    cause: str
    language: str
    key: str                          # position within this month's run, before matching
    label: str
    terms: dict[str, float]
    item_ids: list[str]
    verbatim_ids: list[str]
    various: bool = False
    subcause_id: str = ""
    new: bool = True
    previous_items: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def items(self) -> int:
        return len(self.item_ids)


@lru_cache(maxsize=None)
def stop_words(language: str) -> frozenset[str]:
    """spaCy's stop-word list for the language, read from its file: importing spaCy's
    language package would compile its tokenizer rules (seconds) for a word list."""
    words: set[str] = set()
    spec = importlib.util.find_spec("spacy")
    if spec is not None and spec.origin and re.fullmatch(r"[a-z]{2,3}", language):
        path = Path(spec.origin).parent / "lang" / language / "stop_words.py"
        if path.is_file():
            namespace: dict = {}
            exec(compile(path.read_text("utf-8"), str(path), "exec"), namespace)  # a literal set, nothing else
            words = set(namespace.get("STOP_WORDS", ()))
    tokens = {t for w in words for t in re.findall(r"\w+", w.lower())}
    return frozenset(words | tokens | _PLACEHOLDERS)


def _stable_order(ids: list[str]) -> np.ndarray:
    return np.argsort([hashlib.blake2b(i.encode(), digest_size=8).hexdigest() for i in ids], kind="stable")


def _top_terms(vector: np.ndarray, vocabulary: np.ndarray, n: int) -> dict[str, float]:
    order = np.argsort(-vector)[:n]
    return {str(vocabulary[j]): round(float(vector[j]), 4) for j in order if vector[j] > 0}


def _label(distinct: np.ndarray, vocabulary: np.ndarray) -> str:
    """Up to three distinctive phrases, word pairs first, no word repeated."""
    chosen: list[str] = []
    used: set[str] = set()
    order = np.argsort(-distinct)
    for prefer_pairs in (True, False):
        for j in order[:40]:
            term = str(vocabulary[j])
            if distinct[j] <= 0 or (" " in term) != prefer_pairs or term in chosen:
                continue
            words = set(term.split())
            if words & used:
                continue
            chosen.append(term)
            used |= words
            if len(chosen) == (2 if prefer_pairs else 3):
                break
        if len(chosen) >= 3:
            break
    return " · ".join(chosen[:3]) if chosen else "various"


def cluster(cause: str, language: str, ids: list[str], texts: list[str],
            options: SubCauseOptions = SubCauseOptions()) -> list[Group]:
    """Group one cause's items in one language; the last group may be the "various" rest."""
    n = len(ids)
    if n == 0:
        return []
    order = _stable_order(ids)
    try:
        vectorizer = TfidfVectorizer(token_pattern=_TOKEN, ngram_range=(1, 2), sublinear_tf=True,
                                     min_df=2 if n < 300 else 3, max_df=0.7 if n >= 20 else 1.0,
                                     stop_words=list(stop_words(language)), dtype=np.float32)
        everything = vectorizer.fit_transform(texts)  # each text is read once
    except ValueError:  # no term occurs often enough: one group
        return [_one_group(cause, language, ids, texts, options)]
    vocabulary = vectorizer.get_feature_names_out()
    if n < options.min_items or everything.shape[1] < 4:
        mean = np.asarray(everything.mean(axis=0)).ravel()
        group = _one_group(cause, language, ids, texts, options)
        group.terms = _top_terms(mean, vocabulary, 25)
        group.label = _label(mean, vocabulary)
        return [group]
    sample = everything[np.sort(order[: options.fit_sample])]
    k = int(min(options.max_groups, max(2, round(math.sqrt(n / 10)))))
    k = min(k, sample.shape[0] - 1)
    model = KMeans(n_clusters=k, n_init=1, random_state=0).fit(sample)
    centroids = model.cluster_centers_.astype(np.float32)
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    unit = centroids / np.where(norms == 0, 1, norms)
    similarity = np.asarray(everything @ unit.T)
    assigned = similarity.argmax(axis=1)
    empty = np.asarray(everything.sum(axis=1)).ravel() == 0
    assigned[empty] = -1  # nothing in common with any group
    overall = centroids.mean(axis=0)
    groups: list[Group] = []
    rest: list[int] = list(np.flatnonzero(empty))
    for c in range(k):
        members = np.flatnonzero(assigned == c)
        if len(members) < max(3, options.min_group_share * n):
            rest += list(members)
            continue
        best = members[np.argsort(-similarity[members, c], kind="stable")]
        groups.append(Group(cause, language, f"{c}", _label(centroids[c] - overall, vocabulary),
                            _top_terms(centroids[c], vocabulary, 25), [ids[i] for i in members],
                            _verbatims(best, ids, texts, options.verbatims)))
    groups.sort(key=lambda g: -g.items)
    if rest:
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        rest_sorted = sorted(rest, key=lambda i: rank[i])
        various = Group(cause, language, "various", "various", {}, [ids[i] for i in rest_sorted],
                        _verbatims(np.asarray(rest_sorted), ids, texts, options.verbatims), various=True)
        groups.append(various)
    return groups


def _one_group(cause: str, language: str, ids: list[str], texts: list[str], options: SubCauseOptions) -> Group:
    order = _stable_order(ids)
    return Group(cause, language, "all", "all items", {}, list(ids), _verbatims(order, ids, texts, options.verbatims),
                 various=True)


def _verbatims(candidates: np.ndarray, ids: list[str], texts: list[str], n: int) -> list[str]:
    """The first `n` candidates with distinct texts, preferring ones of readable length."""
    chosen: list[str] = []
    seen: set[str] = set()
    for readable in (True, False):
        for i in candidates[:200]:
            text = texts[i].strip()
            key = re.sub(r"\W+", " ", text.lower())[:120]
            if not text or key in seen or (readable and not 25 <= len(text) <= 600):
                continue
            chosen.append(ids[i])
            seen.add(key)
            if len(chosen) == n:
                return chosen
    return chosen


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return 0.0 if na == 0 or nb == 0 else dot / (na * nb)


def match(groups: list[Group], known: dict[str, dict], previous: dict[str, dict],
          options: SubCauseOptions = SubCauseOptions(), rerun: dict[str, dict] | None = None) -> list[dict]:
    """Give each group a stable id: last month's matching group's id (and label), or a new one.

    `known`: every registered sub-cause {id: {cause, language, label, terms}}; `previous`:
    last month's {id: {items, terms}}; `rerun`: this month's groups from an earlier run of the
    same report, matched like last month's so a re-run keeps its ids. Returns last month's
    groups that found no match."""
    rerun = rerun or {}
    taken: set[str] = set()
    by_slot: dict[tuple[str, str], list[Group]] = {}
    for g in groups:
        by_slot.setdefault((g.cause, g.language), []).append(g)
    for (cause, language), slot in by_slot.items():
        prefix = f"{cause}.{language}."
        candidates = {sid: p for sid, p in {**rerun, **previous}.items()
                      if sid.startswith(prefix) and not sid.endswith(".various")}
        pairs = sorted(((_cosine(g.terms, p["terms"]), gi, sid) for gi, g in enumerate(slot) if not g.various
                        for sid, p in candidates.items()), reverse=True)
        for score, gi, sid in pairs:
            g = slot[gi]
            if score < options.match_similarity or g.subcause_id or sid in taken:
                continue
            g.subcause_id, g.new, g.label = sid, sid not in previous, known.get(sid, {}).get("label", g.label)
            g.previous_items = previous.get(sid, {}).get("items")
            taken.add(sid)
        numbers = [int(s.rsplit(".", 1)[1]) for s in known if s.startswith(prefix) and s.rsplit(".", 1)[1].isdigit()]
        next_number = max(numbers, default=0) + 1
        for g in slot:
            if g.various:
                g.subcause_id = f"{prefix}various"
                g.new = g.subcause_id not in previous
                g.previous_items = previous.get(g.subcause_id, {}).get("items")
                taken.add(g.subcause_id)
            elif not g.subcause_id:
                g.subcause_id = f"{prefix}{next_number}"
                next_number += 1
    gone = [{"subcause_id": sid, "label": known.get(sid, {}).get("label", sid), "previous_items": p["items"]}
            for sid, p in previous.items() if sid not in taken]
    return gone


def cause_texts(frame, cause: str) -> tuple[list[str], list[str], list[str]]:
    """(ids, languages, texts) of the items carrying `cause`: the sentences that carry it where
    the model recorded them, else the whole text."""
    ids, languages, texts = [], [], []
    for item_id, language, text, spans in zip(frame["id"], frame["language"], frame["text_clean"], frame["spans"]):
        text = text if isinstance(text, str) else ""
        pieces = []
        if isinstance(spans, str) and spans != "[]":
            pieces = [text[s["start"]:s["end"]] for s in json.loads(spans) if s["pain_point"] == cause]
        ids.append(item_id)
        languages.append(language)
        texts.append(" ".join(pieces) if pieces else text)
    return ids, languages, texts
