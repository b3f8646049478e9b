"""Safety checking for Happy Partner: pure Python, no ORM (see checker.py for the decision table).

The pipeline calls ``check_text_safe`` on the child's message and on each sentence of the reply, and
``safety_reply`` for what the child sees when safety steps in. The compiled bundled lexicon is
``default_lexicon()``; with staff entries, ``Lexicon.build([*bundled_entries(), *staff])`` (the bundled
benign phrases are included by default).
"""

from .checker import check_text, check_text_safe, fail_closed_verdict, split_complete, split_sentences
from .lexicon import Lexicon, LexiconEntry, bundled_benign, bundled_entries, default_lexicon, term_problem
from .normalize import normalize
from .pii import find_pii, mask_pii
from .replies import fallback_reply, safety_reply
from .types import Action, Category, Match, PiiHit, Severity, Verdict

__all__ = [
    "Action",
    "Category",
    "Lexicon",
    "LexiconEntry",
    "Match",
    "PiiHit",
    "Severity",
    "Verdict",
    "bundled_benign",
    "bundled_entries",
    "check_text",
    "check_text_safe",
    "default_lexicon",
    "fail_closed_verdict",
    "fallback_reply",
    "find_pii",
    "mask_pii",
    "normalize",
    "safety_reply",
    "split_complete",
    "split_sentences",
    "term_problem",
]
