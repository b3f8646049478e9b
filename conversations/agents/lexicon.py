"""Keyword lexicons matched in one pass with Aho-Corasick.

Why: the router, the emotion detector and the subject detector each look for hundreds of Chinese and
English terms in every message. A leftmost-longest automaton (ahocorasick-rs) does that in microseconds
and gives "不开心" precedence over "开心" for free. English terms must sit on word boundaries ("mad" must
not fire inside "made"), except a term ending in ``*``, a prefix: ``worr*`` matches worried and worry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, NamedTuple, TypeVar

import ahocorasick_rs

from .textutil import normalise

P = TypeVar("P")


class Hit(NamedTuple, Generic[P]):
    payload: P
    start: int
    end: int
    term: str


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


class TermIndex(Generic[P]):
    """Terms → payloads; ``find`` returns non-overlapping hits, longest first at each position."""

    def __init__(self, entries: Iterable[tuple[str, P]]) -> None:
        terms: list[str] = []
        self._payloads: list[P] = []
        self._prefix: list[bool] = []
        seen: set[str] = set()
        for raw, payload in entries:
            prefix = raw.endswith("*")
            term = normalise(raw.rstrip("*"))
            if not term or term in seen:
                continue  # first definition wins; data tables may repeat a shared word
            seen.add(term)
            terms.append(term)
            self._payloads.append(payload)
            self._prefix.append(prefix)
        self._terms = terms
        self._automaton = ahocorasick_rs.AhoCorasick(terms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def find(self, norm: str) -> list[Hit[P]]:
        """Hits in ``norm`` (already normalised with :func:`textutil.normalise`)."""
        hits: list[Hit[P]] = []
        for index, start, end in self._automaton.find_matches_as_indexes(norm, overlapping=False):
            term = self._terms[index]
            if _is_word_char(term[0]) and start > 0 and _is_word_char(norm[start - 1]):
                continue
            if not self._prefix[index] and _is_word_char(term[-1]) and end < len(norm) and _is_word_char(norm[end]):
                continue
            hits.append(Hit(self._payloads[index], start, end, term))
        return hits

    def payloads(self, norm: str) -> list[P]:
        return [hit.payload for hit in self.find(norm)]

    def __len__(self) -> int:
        return len(self._terms)
