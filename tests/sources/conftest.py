"""Source tests share one HTTP layer whose waits are recorded instead of slept."""

import pytest

from agent.sources.http import Http


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def http(waits) -> Http:
    return Http(sleep=waits.append)
