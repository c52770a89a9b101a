"""The test double's own contract, which the benchmarks rely on: a set latency is the time to answer."""

from __future__ import annotations

import json
import time
import urllib.request

from tests.openai_server import OpenAITestServer, status


def _post(url: str) -> int:
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": "<abstract>It is 2x faster.</abstract>"}]})
    req = urllib.request.Request(url + "/chat/completions", data=body.encode(), headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status
    except urllib.error.HTTPError as err:
        return err.code


def test_every_answer_is_timed_from_the_request_arrival_and_never_early():
    with OpenAITestServer(latency=0.05) as server:
        server.push(status(500, "boom"))
        codes = [_post(server.base_url) for _ in range(3)]
        seconds = server.answer_seconds

    assert codes == [500, 200, 200]
    assert len(seconds) == 3  # error answers are answers too
    assert all(s >= 0.05 for s in seconds), seconds


def test_the_request_counts_and_answer_times_are_served_to_another_process():
    with OpenAITestServer(latency=0.02) as server:
        _post(server.base_url)
        with urllib.request.urlopen(server.base_url.removesuffix("/v1") + "/_test/requests") as r:
            counts = json.load(r)

    assert counts["chat_requests"] == 1
    assert len(counts["answer_seconds"]) == 1 and counts["answer_seconds"][0] >= 0.02


def test_the_servers_own_work_is_inside_the_latency_not_on_top_of_it():
    def slow_to_build(request, server):  # an answer that takes the server 0.15 s to build
        time.sleep(0.15)
        return status(500, "built slowly")

    with OpenAITestServer(latency=0.2) as server:
        server.push(slow_to_build)
        _post(server.base_url)
        (seconds,) = server.answer_seconds

    assert 0.2 <= seconds < 0.34  # 0.35 and more if the latency were added after the work
