"""Fast n-gram counts, identical to scikit-learn's `char_wb` and `word` analyzers.

scikit-learn builds every n-gram as a Python string and looks it up in a dict: about 4,000
texts/s, most of the nightly run. Here a batch is one array of code points; each character
is replaced by its rank in the vocabulary's alphabet (0 when no vocabulary entry holds it), so
an n-gram of up to five characters is one exact 64-bit integer, and the vocabulary is a
hash index of those integers (pandas'). The counts are the same as `CountVectorizer(analyzer=
"char_wb", lowercase=True, vocabulary=...)`, n-gram for n-gram (tests/test_ngrams.py
checks it on every language and the ugly cases).

Why the same: `char_wb` lower-cases, splits on white space and pads each word with one space.
Joining the words with single spaces (and texts with a separator that matches nothing) yields
every padded word's n-grams once; the extra ones cross a word or text boundary, hold an inner
space or the separator, and no vocabulary entry does.
"""

from __future__ import annotations

import re
from array import array

import numpy as np
import pandas as pd
from scipy import sparse

_CHUNK_CHARS = 1_000_000  # characters per pass: the work arrays stay under ~50 MB


def _count_matrix(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """One (text, n-gram) pair per occurrence, summed into counts."""
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=shape)
    matrix.sum_duplicates()
    return matrix


class CharNgramCounter:
    """`counts(texts)`: (texts, vocabulary) CSR matrix of char_wb n-gram counts."""

    def __init__(self, vocabulary: dict[str, int], ngram_range: tuple[int, int]) -> None:
        self.low, self.high = ngram_range
        if self.low not in (2, 3):
            # char_wb pads words with spaces, and emits a padded word shorter than n whole:
            # exact here only when every padded word (3+ characters) reaches the smallest n
            raise ValueError("CharNgramCounter reproduces char_wb for smallest n of 2 or 3 only")
        self.size = len(vocabulary)
        alphabet = sorted({c for gram in vocabulary for c in gram})
        self.bits = max(1, int(len(alphabet)).bit_length())
        if self.bits * self.high > 63:
            raise ValueError(f"alphabet of {len(alphabet)} characters is too large for {self.high}-grams in 64 bits")
        self.rank = np.zeros(max(map(ord, alphabet), default=0) + 1, dtype=np.uint64)
        self.rank[[ord(c) for c in alphabet]] = np.arange(1, len(alphabet) + 1, dtype=np.uint64)
        keys = np.fromiter((self._key(g) for g in vocabulary), dtype=np.uint64, count=len(vocabulary))
        self.index = pd.Index(keys)
        if not self.index.is_unique:
            raise ValueError("two vocabulary entries share a key")  # cannot happen: keys are exact
        self.columns = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))

    def _key(self, gram: str) -> int:
        key = 0
        for c in gram:
            key = (key << self.bits) | int(self.rank[ord(c)])
        return key

    def counts(self, texts: list[str]) -> sparse.csr_matrix:
        rows, cols = [], []
        chunk: list[str] = []
        first = size = 0
        for i, text in enumerate(texts):
            padded = " " + " ".join(text.lower().split()) + " "
            chunk.append(padded)
            size += len(padded) + 1
            if size >= _CHUNK_CHARS:
                self._count(chunk, first, rows, cols)
                chunk, first, size = [], i + 1, 0
        if chunk:
            self._count(chunk, first, rows, cols)
        r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        return _count_matrix(r, c, (len(texts), self.size))

    def _count(self, padded: list[str], first: int, rows: list, cols: list) -> None:
        joined = "\x00".join(padded)
        points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        known = points < len(self.rank)
        ranks = np.zeros(len(points), dtype=np.uint64)
        ranks[known] = self.rank[points[known]]
        lengths = np.fromiter((len(p) + 1 for p in padded), dtype=np.int64, count=len(padded))
        ranks[np.cumsum(lengths)[:-1] - 1] = 0  # the separators, even where a text holds a NUL of its own
        text_of = np.repeat(np.arange(first, first + len(padded), dtype=np.int64), lengths)
        key = ranks.copy()
        valid = ranks > 0
        bits = np.uint64(self.bits)
        for n in range(2, self.high + 1):
            # key[i] holds the n-gram that starts at i; it loses the last position each step
            key = (key[:-1] << bits) | ranks[n - 1:]
            valid = valid[:-1] & (ranks[n - 1:] > 0)
            if n < self.low:
                continue
            starts = np.flatnonzero(valid)
            where = self.index.get_indexer(key[starts])
            hit = where >= 0
            rows.append(text_of[starts[hit]])
            cols.append(self.columns[where[hit]])


class WordNgramCounter:
    """`counts(texts)`: word n-gram counts as scikit-learn's `word` analyzer makes them
    (lower-cased, tokens by `token_pattern`, n-grams joined by one space), with the n-grams
    built and looked up by C loops (map, zip, str.join) instead of one Python step each."""

    def __init__(self, vocabulary: dict[str, int], ngram_range: tuple[int, int], token_pattern: str) -> None:
        self.vocabulary = vocabulary
        self.low, self.high = ngram_range
        self.tokens = re.compile(token_pattern)

    def counts(self, texts: list[str]) -> sparse.csr_matrix:
        get, findall = self.vocabulary.get, self.tokens.findall
        rows, cols = array("q"), array("q")
        for i, text in enumerate(texts):
            tokens = findall(text.lower())
            found: list[int | None] = []
            for n in range(self.low, self.high + 1):
                if n == 1:
                    found += map(get, tokens)
                elif len(tokens) >= n:
                    found += map(get, map(" ".join, zip(*(tokens[k:] for k in range(n)))))
            hits = [c for c in found if c is not None]
            cols.extend(hits)
            rows.extend([i] * len(hits))
        r, c = np.frombuffer(rows, dtype=np.int64), np.frombuffer(cols, dtype=np.int64)
        return _count_matrix(r, c, (len(texts), len(self.vocabulary)))
