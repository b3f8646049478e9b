from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conversations.fake_openai import FakeOpenAI


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A local OpenAI-compatible server on 127.0.0.1 (see fake_openai.py); stopped after the test."""
    with FakeOpenAI() as fake:
        yield fake
