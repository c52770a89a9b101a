"""Three days of summarised papers, saved the way a run saves them (Store.save_result).

Speedups (grounded claims in "x"): A has 3x and 12x, B 1.5x, D 2.5x; C has none and no URL. A hostile title
(a <script>) and a formula-looking title make escaping visible in every format.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from agent.models import Claim, Paper, Provenance, Record, Summary, paper_id_for
from agent.store import Store

HOSTILE_TITLE = 'FlashServe <script>alert("x")</script>: Serving & Batching'
FORMULA_TITLE = "=HYPERLINK(\"http://evil\",\"click\") Training at Scale"
UNTITLED_ID = paper_id_for("Quiet Paper Without Links")
SPEEDUP_POINTS = 4  # grounded "x" claims across the sample


def _save(store: Store, paper: Paper, summary: Summary, created: datetime) -> Record:
    provenance = Provenance(engine="llm", model="test-model", prompt_version="extract.v1", created_at=created)
    return store.save_result(paper, summary, provenance, cache_key=f"key-{paper.id}")


def fill(store: Store) -> list[Record]:
    """Save the four sample papers; returns their Records, oldest first."""
    a = Paper(
        id="2503.00001", title=HOSTILE_TITLE, source="hf-page", published=date(2025, 3, 1),
        url="https://arxiv.org/abs/2503.00001", authors=["Ada Lovelace", "Alan Turing"],
        abstract='FlashServe is up to 12x faster than vLLM and 3x faster than TGI, with 40% less memory. <script>alert("x")</script>',
        source_extras={"ai_summary": "The source's own one-liner.", "upvotes": 42},
    )
    a_sum = Summary(
        problem="Serving is slow.", method="Batch smarter.", hardware=["NVIDIA A100"], model_scale=["70B"],
        tags=["inference", "kernels"], tldr="FlashServe batches requests <b>smartly</b> & serves them faster.",
        claims=[
            Claim(text="up to 12x faster than vLLM", number=12, unit="x", qualifier="up to", baseline="vLLM"),
            Claim(text="3x faster than TGI", number=3, unit="x", baseline="TGI"),
            Claim(text="40% less memory", number=40, unit="%", metric="memory"),
            Claim(text="99x cheaper", number=99, unit="x", grounded=False),
        ],
    )
    b = Paper(
        id="2503.00002", title=FORMULA_TITLE, source="arxiv", published=date(2025, 3, 2),
        url="https://arxiv.org/abs/2503.00002", authors=["Grace Hopper"],
        abstract="Training is 1.5x faster than Megatron.",
    )
    b_sum = Summary(tags=["training"], tldr="Trains faster.",
                    claims=[Claim(text="1.5x faster than Megatron", number=1.5, unit="x", baseline="@Megatron")])
    c = Paper(id=UNTITLED_ID, title="Quiet Paper Without Links", source="file", published=date(2025, 3, 3),
              abstract="Accuracy improves by 20%.")
    c_sum = Summary(tldr="A quiet result.", claims=[Claim(text="improves by 20%", number=20, unit="%")])
    d = Paper(id="2503.00004", title="KV Cache Compression", source="arxiv", published=date(2025, 3, 3),
              url="https://arxiv.org/abs/2503.00004", abstract="Decoding is 2.5x faster.")
    d_sum = Summary(tags=["inference"], tldr="Compresses the KV cache.",
                    claims=[Claim(text="2.5x faster", number=2.5, unit="x")])
    created = [datetime(2025, 3, n, 12, tzinfo=timezone.utc) for n in (1, 2, 3, 3)]
    return [_save(store, p, s, t) for p, s, t in zip((a, b, c, d), (a_sum, b_sum, c_sum, d_sum), created)]


def make_db(path: Path) -> Path:
    with Store(path) as store:
        fill(store)
    return path
