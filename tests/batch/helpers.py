"""Helpers for the batch tests: papers, the CLI, and builders of result lines as vLLM/OpenAI write them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from agent.cli import app
from agent.resources import load_taxonomy
from tests.openai_batch_server import OpenAIBatchServer
from tests.openai_server import RecordedRequest, abstract_model, completion

runner = CliRunner()

PAPERS = [
    {"id": f"2501.0000{i}", "title": title, "abstract": abstract}
    for i, (title, abstract) in enumerate(
        [
            ("FastServe: Deadline-Aware Batching for LLM Inference",
             "Serving large language models under latency targets wastes GPU time. We present FastServe, an "
             "inference system that batches requests by deadline on A100 GPUs. FastServe improves throughput "
             "by up to 2.3x over vLLM."),
            ("ShardKV: Paged Key-Value Caches Across Nodes",
             "Long contexts exhaust GPU memory. We introduce ShardKV, which pages the key-value cache across "
             "nodes. ShardKV reduces memory use by 45% compared to PagedAttention."),
            ("QuickTrain: Overlapping Communication in Data Parallelism",
             "Data-parallel training stalls on gradient synchronisation. We propose QuickTrain, which overlaps "
             "all-reduce with the backward pass on H100 GPUs. QuickTrain trains 1.8x faster than PyTorch DDP."),
            ("TinySpec: Speculative Decoding for Edge Devices",
             "Edge devices run small models slowly. We present TinySpec, a speculative decoder for phones. "
             "TinySpec lowers latency by 30% over greedy decoding."),
            ("LoRAPool: Serving Thousands of Adapters",
             "Serving many fine-tuned adapters is costly. We present LoRAPool, which batches adapters. "
             "LoRAPool serves 4x more adapters than S-LoRA."),
        ],
        start=1,
    )
]


def cli(*args: str):
    return runner.invoke(app, ["batch", *args])


def request_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def good_answer(line: dict[str, Any]) -> dict[str, Any]:
    """What the test server's stand-in model answers for this request line (grounded, valid)."""
    server = OpenAIBatchServer(tags=load_taxonomy().names)  # not started: only its answer logic is used
    return abstract_model(RecordedRequest("POST", line["url"], {}, line["body"]), server)


def result_line(line: dict[str, Any], content: str | None = None, *, status: int = 200,
                error: dict[str, Any] | None = None, body: Any = None) -> str:
    """One line of a Batch API / vLLM run_batch results file answering the request `line`."""
    if error is not None:
        return json.dumps({"id": "vllm-x", "custom_id": line["custom_id"], "response": None, "error": error})
    if body is None:
        server = OpenAIBatchServer(tags=load_taxonomy().names)
        request = RecordedRequest("POST", line["url"], {}, line["body"])
        body = completion(request, server, content if content is not None else json.dumps(good_answer(line))).body
    response = {"status_code": status, "request_id": f"vllm-batch-{line['custom_id']}", "body": body}
    return json.dumps({"id": f"vllm-{line['custom_id']}", "custom_id": line["custom_id"], "response": response,
                       "error": None})
