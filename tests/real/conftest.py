"""The real-model tier (`make test-real`): a real OpenAI-compatible server on 127.0.0.1, never in `make test`.

`make test-real` starts the server of scripts/local-llm.sh and sets SUMMARIZE_REAL_BASE_URL and
SUMMARIZE_REAL_MODEL; without them every test here is skipped, so the default suite never needs a model.
"""

from __future__ import annotations

import os

import pytest

BASE_URL = os.environ.get("SUMMARIZE_REAL_BASE_URL")
MODEL = os.environ.get("SUMMARIZE_REAL_MODEL")


def pytest_collection_modifyitems(config, items):
    if BASE_URL and MODEL:
        return
    skip = pytest.mark.skip(reason="no real model server: run `make test-real`")
    for item in items:
        if "tests/real/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(skip)
