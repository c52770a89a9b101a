"""The Batch API calls: upload a request file, create a batch, read its state, download its results.

Everything goes through the openai SDK's Files and Batches resources against `settings.base_url`, with the
key from the engine's settings (OPENAI_API_KEY). Errors become one-line SummarizeErrors that name the
variable and never contain the key.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import openai
from openai.types import Batch

from agent.batch.requests import ENDPOINT
from agent.engines.llm_config import LLMSettings
from agent.errors import EndpointError, SourceError
from agent.redaction import redact

COMPLETION_WINDOW: Final = "24h"


def make_client(settings: LLMSettings) -> openai.OpenAI:
    return openai.OpenAI(
        api_key=settings.require_key(),
        base_url=settings.base_url,
        timeout=settings.timeout,
        max_retries=settings.transport_attempts - 1,
    )


class BatchAPI:
    def __init__(self, settings: LLMSettings, client: openai.OpenAI | None = None):
        self.settings = settings
        self.client = client or make_client(settings)

    def submit(self, path: Path, metadata: dict[str, str] | None = None) -> Batch:
        """Upload `path` with purpose "batch" and start a batch on it."""
        with self._errors(f"uploading {path.name}"), path.open("rb") as fh:
            uploaded = self.client.files.create(file=(path.name, fh), purpose="batch")
        with self._errors(f"creating the batch for {path.name}"):
            return self.client.batches.create(
                input_file_id=uploaded.id, endpoint=ENDPOINT, completion_window=COMPLETION_WINDOW, metadata=metadata
            )

    def retrieve(self, batch_id: str) -> Batch:
        with self._errors(f"reading batch {batch_id}"):
            return self.client.batches.retrieve(batch_id)

    def lines(self, file_id: str) -> list[str]:
        """The lines of a result file (output or errors)."""
        with self._errors(f"downloading file {file_id}"):
            return self.client.files.content(file_id).text.splitlines()

    def close(self) -> None:
        self.client.close()

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        host = self.settings.host
        try:
            yield
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            raise EndpointError(
                f"{doing}: the endpoint rejected the API key (OPENAI_API_KEY) at {host} (HTTP {exc.status_code})"
            ) from None
        except openai.APIStatusError as exc:
            error = EndpointError if exc.status_code < 500 else SourceError
            raise error(f"{doing}: {host} answered HTTP {exc.status_code}: {self._short(exc)}") from None
        except openai.APIConnectionError as exc:
            raise SourceError(f"{doing}: could not connect to {host} ({self._short(exc.__cause__ or exc)})") from None

    def _short(self, err: BaseException) -> str:
        return redact(" ".join(str(err).split()))[:300]
