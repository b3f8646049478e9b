"""Search tokens for messages: jieba segments Chinese so that words (not characters) match."""

from __future__ import annotations

import re
import threading

import jieba

_ready = threading.Lock()
_initialised = False
_WORD = re.compile(r"\w+", re.UNICODE)


def _init() -> None:
    global _initialised
    with _ready:
        if not _initialised:
            jieba.setLogLevel(60)
            jieba.initialize()
            _initialised = True


def search_tokens(text: str) -> list[str]:
    """Lower-cased word tokens of ``text``: jieba's search-mode cut, keeping only word characters."""
    if not _initialised:
        _init()
    tokens = []
    for token in jieba.cut_for_search(text.lower()):
        tokens.extend(_WORD.findall(token))
    return list(dict.fromkeys(tokens))
