"""The safety lexicon: reviewed terms by category and severity, compiled into one Aho-Corasick automaton.

Why one automaton: a message is scanned once, whatever the number of terms (harmful terms, benign
phrases and term exceptions all live in the same automaton; ahocorasick-rs scans 200 characters in
about a microsecond). Everything that needs context happens afterwards, on the few hits only:

- **Word boundaries.** A term whose first (last) character is a Latin letter or digit must start
  (end) at a word boundary in the normalised text, so ``kill`` is not found in ``skill`` and ``ass``
  not in ``class``. A ``*`` at either end of a term in the data files opens that side. Chinese has no
  word boundaries: Chinese terms match anywhere.
- **Benign phrases** (``剪刀``, ``杀人鲸``, ``killer whale``, ``use a knife``) cancel a hit whose span
  they fully cover — but only a LOW or MEDIUM hit. A benign phrase **never** cancels a HIGH or
  CRITICAL hit: ``学习怎么自杀`` escalates however much ``学习`` it contains.
- **Term exceptions** are the narrow tool for idioms where a critical-looking term is certainly not
  meant (``想死你了`` = "I missed you so much", ``跳楼价`` = a bargain, ``suicide squad`` = a film).
  They are written next to the term in the data file, contain the term, cancel only that term and
  only where they cover it. They are reviewed like the terms; keep them few.
- **Repeated letters.** ``normalize`` collapses runs of three or more (``kiiiill`` → ``kill``). For
  stretched doubles (``killllll`` → ``kil``) every term with a doubled character is also indexed with
  its doubles collapsed, unless that collapsed form is an ordinary word (``ass`` → ``as``, ``weed`` →
  ``wed``: see ``COLLAPSE_COLLISIONS``). When the text itself has a doubled Latin letter (``kiill``),
  the scan also reads a copy with Latin doubles collapsed, in the same automaton pass.

``Lexicon`` is immutable and picklable (it pickles as its entries and rebuilds, a few ms), so the
compiled lexicon can be cached per process or shared through the cache backend.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import ahocorasick_rs

from .normalize import normalize
from .types import Category, Match, Severity

__all__ = [
    "COLLAPSE_COLLISIONS",
    "DATA_DIR",
    "Lexicon",
    "LexiconEntry",
    "bundled_benign",
    "bundled_entries",
    "default_lexicon",
    "term_problem",
]

logger = logging.getLogger("conversations.safety")

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("zh", "en")

_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_LATIN_DOUBLES = tuple((c + c, c) for c in "abcdefghijklmnopqrstuvwxyz")
_LATIN_DOUBLE_RE = re.compile(r"([a-z])\1")
_SEPARATOR = "\n"  # between the two halves of the haystack; never in a normalised text

# Collapsed forms (doubles -> singles) that are ordinary words or phrases, so they are never indexed:
# otherwise "ass" would match every "as" and "off myself" every "proud of myself". Found by listing
# every collapsed variant of the bundled lexicon and reading it; the tests pin the important ones.
COLLAPSE_COLLISIONS = frozenset(
    {
        "as",  # ass
        "wed",  # weed
        "nose",  # noose
        "bobs",  # boobs ("Bob's")
        "niger",  # (slur) - the country
        "of myself",  # off myself
        "ofmyself",
        "met in person",  # meet in person
        "shot him",  # shoot him: "shot" is also a photo, a vaccine, a basket
        "shot her",
        "shot you",
        "shot them",
        "shot people",
        "血淋",  # 血淋淋 - 鲜血淋漓
    }
)


@dataclass(frozen=True)
class LexiconEntry:
    """One reviewed term. ``exceptions`` are longer phrases containing the term that cancel it."""

    term: str
    category: Category
    severity: Severity
    language: str  # "zh" or "en" (the file it came from; staff entries choose)
    exceptions: tuple[str, ...] = ()


def term_problem(term: str) -> str | None:
    """Why a term cannot be indexed (for the admin form), or None when it can."""
    core = term.strip().strip("*")
    if not core:
        return "empty"
    norm = normalize(core)
    if not norm:
        return "nothing left after normalisation"
    if len(norm) < 2:
        return "too short after normalisation (it would match almost everything)"
    return None


@dataclass(frozen=True)
class _Harm:
    match: Match
    left: bool  # needs a word boundary before
    right: bool  # needs a word boundary after
    key: int  # entry id, for its exceptions


@dataclass(frozen=True)
class _Cover:
    left: bool
    right: bool
    key: int  # -1 for a benign phrase, else the entry id whose hits it cancels


def _sides(raw: str) -> tuple[str, bool, bool]:
    """Strip the ``*`` markers; a side needs a boundary when it is a Latin letter/digit and not opened."""
    open_left = raw.startswith("*")
    open_right = raw.endswith("*")
    return raw.strip().strip("*"), not open_left, not open_right


def _variants(norm: str, *, harmful: bool = True) -> list[str]:
    """The spellings a normalised term is indexed under (see the module docstring).

    Benign phrases skip the collision check: a collapsed benign phrase can only cancel more low hits.
    """
    out = [norm]
    if " " in norm and norm[0] in _ALNUM:
        out.append(norm.replace(" ", ""))
    for v in list(out):
        # Only Latin doubles, like the text side (``scan``): a collapsed Chinese phrase would be a
        # different word (妈妈的 -> 妈的), and an exception indexed that way cancels its own term.
        collapsed = _LATIN_DOUBLE_RE.sub(r"\1", v)
        if collapsed != v and len(collapsed) >= 2 and not (harmful and collapsed in COLLAPSE_COLLISIONS):
            out.append(collapsed)
    return list(dict.fromkeys(out))


class Lexicon:
    """A compiled lexicon. Build it with :meth:`build`; scan normalised text with :meth:`scan`."""

    __slots__ = ("_ac", "_benign", "_covers", "_entries", "_harms", "_patterns")

    def __init__(self) -> None:  # use Lexicon.build
        self._entries: tuple[LexiconEntry, ...] = ()
        self._benign: tuple[str, ...] = ()
        self._patterns: list[str] = []
        self._harms: list[tuple[_Harm, ...]] = []
        self._covers: list[tuple[_Cover, ...]] = []
        self._ac: ahocorasick_rs.AhoCorasick | None = None

    @classmethod
    def build(
        cls, entries: Iterable[LexiconEntry], benign: Iterable[str] | None = None, *, strict: bool = False
    ) -> Lexicon:
        """Compile entries and benign phrases into one automaton.

        ``benign=None`` means the bundled benign phrases (they can only cancel low and medium hits, so
        this is the safe default for a caller that adds staff terms); pass ``()`` for none. A term that
        cannot be indexed (``term_problem``) raises ValueError with ``strict``, otherwise it is skipped
        with a warning: one bad staff entry must not stop every message from being checked.
        """
        self = cls()
        usable = []
        for entry in entries:
            problem = term_problem(entry.term)
            if problem:
                if strict:
                    raise ValueError(f"lexicon term {entry.term!r}: {problem}")
                logger.warning("lexicon term skipped (%s): %r", problem, entry.term)
                continue
            usable.append(entry)
        self._entries = tuple(usable)
        self._benign = tuple(bundled_benign() if benign is None else benign)
        index: dict[str, int] = {}
        harms: list[list[_Harm]] = []
        covers: list[list[_Cover]] = []

        def slot(pattern: str) -> int:
            i = index.get(pattern)
            if i is None:
                i = index[pattern] = len(harms)
                harms.append([])
                covers.append([])
            return i

        for key, entry in enumerate(self._entries):
            core, left, right = _sides(entry.term)
            norm = normalize(core)
            match = Match(term=norm, category=Category(entry.category), severity=Severity(entry.severity))
            for v in _variants(norm):
                harms[slot(v)].append(_Harm(match, left and v[0] in _ALNUM, right and v[-1] in _ALNUM, key))
            for phrase in entry.exceptions:
                self._add_cover(phrase, key, slot, covers)
        for phrase in self._benign:
            self._add_cover(phrase, -1, slot, covers)

        self._patterns = list(index)
        self._harms = [tuple(h) for h in harms]
        self._covers = [tuple(c) for c in covers]
        if self._patterns:
            self._ac = ahocorasick_rs.AhoCorasick(self._patterns, matchkind=ahocorasick_rs.MATCHKIND_STANDARD)
        return self

    @staticmethod
    def _add_cover(phrase: str, key: int, slot: Callable[[str], int], covers: list[list[_Cover]]) -> None:
        core, left, right = _sides(phrase)
        norm = normalize(core)
        if not norm:
            return
        for v in _variants(norm, harmful=False):
            covers[slot(v)].append(_Cover(left and v[0] in _ALNUM, right and v[-1] in _ALNUM, key))

    # -- scanning --------------------------------------------------------------------------------

    def scan(self, normalized: str) -> list[Match]:
        """The hits in an already normalised text, most severe first; benign context applied."""
        if self._ac is None or not normalized:
            return []
        hay = normalized
        collapsed = _collapse_latin_doubles(hay)
        if collapsed is not hay:
            hay = hay + _SEPARATOR + collapsed
        found = self._ac.find_matches_as_indexes(hay, overlapping=True)
        if not found:
            return []
        harms_by_idx = self._harms
        covers_by_idx = self._covers
        end_of_hay = len(hay)
        hits: list[tuple[int, int, _Harm]] = []
        spans: list[tuple[int, int, int]] = []
        for idx, start, end in found:
            left_ok = start == 0 or hay[start - 1] not in _ALNUM
            right_ok = end == end_of_hay or hay[end] not in _ALNUM
            for h in harms_by_idx[idx]:
                if (left_ok or not h.left) and (right_ok or not h.right):
                    hits.append((start, end, h))
            for c in covers_by_idx[idx]:
                if (left_ok or not c.left) and (right_ok or not c.right):
                    spans.append((start, end, c.key))
        if not hits:
            return []
        result: dict[Match, None] = {}
        if not spans:
            for _start, _end, h in hits:
                result[h.match] = None
        else:
            covers = _Covers(spans)
            for start, end, h in hits:
                if h.match in result or covers.cancel(start, end, h):
                    continue
                result[h.match] = None
        return sorted(result, key=lambda m: -m.severity)

    # -- introspection ---------------------------------------------------------------------------

    @property
    def entries(self) -> tuple[LexiconEntry, ...]:
        return self._entries

    @property
    def benign(self) -> tuple[str, ...]:
        return self._benign

    def __len__(self) -> int:
        return len(self._entries)

    def stats(self) -> dict[str, Counter]:
        """Entry counts per language and category (for the admin, the README and the benchmark)."""
        out: dict[str, Counter] = {}
        for e in self._entries:
            out.setdefault(e.language, Counter())[str(e.category)] += 1
        return out

    @property
    def pattern_count(self) -> int:
        return len(self._patterns)

    def __reduce__(self) -> tuple[Callable[..., Lexicon], tuple[Sequence[LexiconEntry], Sequence[str]]]:
        return (_rebuild, (self._entries, self._benign))


def _collapse_latin_doubles(text: str) -> str:
    """Latin letter doubles to singles ("kiill" -> "kil"); the same object back when there are none.

    26 substring tests and a few replaces are several times cheaper than a back-referencing regex.
    """
    if _LATIN_DOUBLE_RE.search(text) is None:  # stops at the first double: cheap on English too
        return text
    out = text
    for double, single in _LATIN_DOUBLES:
        if double in out:
            out = out.replace(double, single)
    return out


def _rebuild(entries: Sequence[LexiconEntry], benign: Sequence[str]) -> Lexicon:
    return Lexicon.build(entries, benign=benign, strict=True)


class _Covers:
    """Benign and exception spans, sorted by start, so each hit only looks at spans that could cover it.

    A span covers a hit when it starts at or before the hit and ends at or after it; spans start at
    most ``longest`` characters before the hit's end. Keeps a long, adversarial message (the same
    benign phrase a thousand times) linear rather than quadratic.
    """

    __slots__ = ("longest", "spans", "starts")

    def __init__(self, spans: list[tuple[int, int, int]]) -> None:
        spans.sort()
        self.spans = spans
        self.starts = [s for s, _e, _k in spans]
        self.longest = max(e - s for s, e, _k in spans)

    def cancel(self, start: int, end: int, h: _Harm) -> bool:
        """A benign phrase covering a LOW/MEDIUM hit, or one of the hit term's own exceptions, cancels it."""
        benign_allowed = h.match.severity < Severity.HIGH
        lo = bisect.bisect_left(self.starts, end - self.longest)
        hi = bisect.bisect_right(self.starts, start)
        for s, e, key in self.spans[lo:hi]:
            if e >= end and s <= start and ((key == -1 and benign_allowed) or key == h.key):
                return True
        return False


# -- the bundled data ------------------------------------------------------------------------------


def _read_rows(path: Path) -> list[list[str]]:
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if not cols[0].strip():
            raise ValueError(f"{path.name}:{lineno}: empty term")
        rows.append([c.strip() for c in cols] + [str(lineno)])
    return rows


def load_entries(path: Path, language: str) -> list[LexiconEntry]:
    """Entries from one lexicon TSV (term, category, severity[, exceptions])."""
    entries = []
    for row in _read_rows(path):
        *cols, lineno = row
        if len(cols) not in (3, 4):
            raise ValueError(f"{path.name}:{lineno}: expected 3 or 4 tab-separated columns")
        term, category, severity = cols[:3]
        try:
            cat = Category(category)
            sev = Severity.from_label(severity)
        except (ValueError, KeyError) as exc:
            raise ValueError(f"{path.name}:{lineno}: unknown category or severity") from exc
        if sev == Severity.NONE:
            raise ValueError(f"{path.name}:{lineno}: a lexicon term needs a severity above none")
        exceptions = tuple(p.strip() for p in cols[3].split("|") if p.strip()) if len(cols) == 4 else ()
        entries.append(LexiconEntry(term, cat, sev, language, exceptions))
    return entries


@functools.cache
def bundled_entries() -> tuple[LexiconEntry, ...]:
    """The reviewed lexicon shipped with the product, every language."""
    out: list[LexiconEntry] = []
    for lang in LANGUAGES:
        out.extend(load_entries(DATA_DIR / f"lexicon_{lang}.tsv", lang))
    return tuple(out)


@functools.cache
def bundled_benign() -> tuple[str, ...]:
    """The reviewed benign phrases shipped with the product, every language."""
    out: list[str] = []
    for lang in LANGUAGES:
        out.extend(row[0] for row in _read_rows(DATA_DIR / f"benign_{lang}.tsv"))
    return tuple(out)


@functools.cache
def default_lexicon() -> Lexicon:
    """The bundled lexicon, compiled once per process (staff entries: build your own with Lexicon.build)."""
    return Lexicon.build(bundled_entries(), benign=bundled_benign(), strict=True)
