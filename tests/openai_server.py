"""A local OpenAI-compatible HTTP server for tests and benchmarks. A TEST DOUBLE, not a model.

It serves `POST /v1/chat/completions` and `GET /v1/models` on 127.0.0.1 in OpenAI's wire format
(non-streaming): function-tool answers as `tool_calls` with JSON-string arguments when the request has
`tools`, else the JSON in `message.content` (in a ```json fence when no `response_format` was asked
for, as instructor's MD_JSON expects); ids, `created`, `model`, `finish_reason`, `usage`.

What it answers:
- `server.script` is a queue of behaviours; each chat request takes the next one. When the queue is
  empty, `server.default` answers (by default `abstract_model`, a deterministic stand-in that copies
  sentences and numbers out of the request's <abstract> so its claims are grounded).
- A behaviour is a `Reply` or a function `(RecordedRequest, server) -> Reply`; see the factories below:
  `answer`, `raw_arguments`, `edit_answer`, `cut_off`, `status` (429 with/without Retry-After, 500, 401, 404...),
  `hang` (answer nothing until the client gives up), `reset` (TCP RST).
- `latency` (+ uniform `jitter`) delays every chat answer; `api_key` makes a wrong Authorization a 401;
  `models` makes an unknown model a 404, as OpenAI does.
- Every request is recorded in `server.requests` (method, path, headers, parsed body) for assertions.

Every response carries `x-test-double: ...` so cassettes recorded against it say so.
It uses only the standard library (no pytest), so benchmarks can import it:

    with OpenAITestServer(latency=0.2) as server:
        ... point OPENAI_BASE_URL at server.base_url ...
"""

from __future__ import annotations

import json
import math
import random
import re
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TEST_DOUBLE_HEADER = ("x-test-double", "summarize local OpenAI-compatible test server, not OpenAI")
CREATED = 1767225600  # fixed, so recorded answers are stable


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: Any  # parsed JSON, or None
    at: float = field(default_factory=time.monotonic)
    reply_usage: tuple[int, int] | None = None  # (prompt, completion) tokens the server answered with

    @property
    def messages(self) -> list[dict[str, Any]]:
        return (self.body or {}).get("messages", [])

    def first(self, role: str) -> str:
        for m in self.messages:
            if m.get("role") == role and isinstance(m.get("content"), str):
                return m["content"]
        return ""


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict -> JSON; bytes/str as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering, on top of the server's latency
    action: str | None = None  # "hang" | "reset"


Behaviour = Reply | Callable[[RecordedRequest, "OpenAITestServer"], Reply]


# -- the default "model" ----------------------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_RESULT = re.compile(r"(up to |over |nearly |about |~)?(?<![\d,.])(\d+(?:\.\d+)?)\s?(x|\u00d7|%)", re.I)
_BASELINE = re.compile(r"\b(?:over|than|compared (?:to|with)|versus|vs\.?)\s+((?:the )?\w[\w.\-]*\w)")
_METRIC = re.compile(r"\b(throughput|latency|memory|accuracy|speedup|cost|energy|perplexity)\b", re.I)
_HARDWARE = re.compile(r"\b(A100|H100|H200|H800|V100|L40S?|TPU ?v?\d*|Ascend ?\w+|CPUs?|GPUs?)\b")
_SCALE = re.compile(r"\b\d+(?:\.\d+)?[BM]\b")


def _between(text: str, tag: str) -> str | None:
    m = re.search(rf"<{tag}>\s*(.*?)\s*</{tag}>", text, re.S)
    return m.group(1) if m else None


def abstract_model(request: RecordedRequest, server: "OpenAITestServer") -> dict[str, Any]:
    """A deterministic answer built from the request's <abstract>: grounded claims, valid structure."""
    user = request.first("user")
    abstract = _between(user, "abstract") or user
    title = _between(user, "title") or "The paper"
    sentences = [s.strip() for s in _SENTENCE.split(abstract) if s.strip()]
    claims = []
    for sentence in sentences:
        m = _RESULT.search(sentence)
        if not m:
            continue
        baseline = _BASELINE.search(sentence[m.end():])
        metric = _METRIC.search(sentence)
        claims.append(
            {
                "text": sentence,
                "number": float(m.group(2)),
                "low": None,
                "unit": "%" if m.group(3) == "%" else "x",
                "qualifier": (m.group(1) or "").strip() or None,
                "metric": metric.group(1).lower() if metric else None,
                "baseline": baseline.group(1) if baseline else None,
            }
        )
    method = next((s for s in sentences if re.search(r"\b(we (propose|present|introduce)|this paper)\b", s, re.I)), "")
    name = title.split(":")[0].strip()
    headline = claims[0]["text"] if claims else (sentences[0] if sentences else title)
    words = f"{name}: {headline}".split()
    lowered = abstract.lower()
    return {
        "problem": sentences[0] if sentences else title,
        "method": method or (sentences[1] if len(sentences) > 1 else title),
        "hardware": sorted(set(_HARDWARE.findall(abstract))),
        "model_scale": sorted(set(_SCALE.findall(abstract))),
        "claims": claims,
        "tags": [t for t in server.tags if t.replace("-", " ") in lowered or t in lowered],
        "tldr": " ".join(words[:30]),
    }


# -- behaviours -------------------------------------------------------------------------------------


def completion(request: RecordedRequest, server: "OpenAITestServer", arguments: str, finish_reason: str | None = None) -> Reply:
    """A 200 chat.completion carrying `arguments` the way the request's mode expects them."""
    body = request.body or {}
    n = server._next_id()
    if body.get("tools"):
        tool = body["tools"][0]["function"]["name"]
        message = {
            "role": "assistant",
            "content": None,
            "refusal": None,
            "tool_calls": [
                {"id": f"call_test{n:06d}", "type": "function", "function": {"name": tool, "arguments": arguments}}
            ],
        }
        finish = "tool_calls"
    else:
        content = arguments if body.get("response_format") else f"```json\n{arguments}\n```"
        message = {"role": "assistant", "content": content, "refusal": None}
        finish = "stop"
    prompt_chars = len(json.dumps(body.get("messages", []))) + len(json.dumps(body.get("tools", [])))
    prompt_tokens = math.ceil(prompt_chars / 4)
    completion_tokens = math.ceil(len(arguments) / 4) + 1
    if server.usage is not None:  # fixed token counts, e.g. to benchmark with a realistic bill
        prompt_tokens, completion_tokens = server.usage
    request.reply_usage = (prompt_tokens, completion_tokens)
    return Reply(
        body={
            "id": f"chatcmpl-test{n:06d}",
            "object": "chat.completion",
            "created": CREATED,
            "model": body.get("model", "unknown"),
            "system_fingerprint": "fp_test_double",
            "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason or finish}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    )


def answer(data: dict[str, Any]) -> Behaviour:
    """Answer with exactly this object as the function arguments."""
    return lambda req, srv: completion(req, srv, json.dumps(data))


def raw_arguments(text: str) -> Behaviour:
    """Answer with this string as the arguments, e.g. malformed JSON."""
    return lambda req, srv: completion(req, srv, text)


def edit_answer(edit: Callable[[dict[str, Any]], dict[str, Any]]) -> Behaviour:
    """The default model's answer, changed by `edit` (an ungrounded claim, a long TL;DR, a bad tag)."""
    return lambda req, srv: completion(req, srv, json.dumps(edit(abstract_model(req, srv))))


def cut_off() -> Behaviour:
    """Half an answer with finish_reason "length", as when max_tokens is reached."""
    return lambda req, srv: completion(req, srv, json.dumps(abstract_model(req, srv))[:80], finish_reason="length")


def status(code: int, message: str = "", *, headers: dict[str, str] | None = None, error_code: str | None = None) -> Reply:
    """An OpenAI-style error answer (`{"error": {message, type, param, code}}`)."""
    kinds = {400: "invalid_request_error", 401: "invalid_request_error", 404: "invalid_request_error",
             429: "requests", 500: "server_error", 503: "server_error"}
    body = {"error": {"message": message or f"test double: HTTP {code}", "type": kinds.get(code, "error"),
                      "param": None, "code": error_code}}
    return Reply(status=code, body=body, headers=dict(headers or {}))


def hang(seconds: float = 30.0) -> Reply:
    """Send nothing for `seconds` (or until the server stops), then drop the connection."""
    return Reply(action="hang", delay=seconds)


def reset() -> Reply:
    """Drop the connection with a TCP RST before answering."""
    return Reply(action="reset")


# -- the server -------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # one small answer per request: do not wait 40 ms for an ACK
    server: "_HTTPServer"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def parse_request(self) -> bool:
        self.arrived = time.monotonic()  # the request line is in: this request's latency counts from here
        return super().parse_request()

    def _read_body(self) -> Any:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def _record(self, body: Any) -> RecordedRequest:
        req = RecordedRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        self.server.owner._record(req)
        return req

    def do_GET(self) -> None:
        self._record(None)
        owner = self.server.owner
        if self.path.rstrip("/") == "/_test/requests":  # for a benchmark driving a server in another process
            chats = len(owner.chat_requests)
            self._send(Reply(body={"requests": len(owner.requests), "chat_requests": chats,
                                   "answer_seconds": owner.answer_seconds}))
        elif self.path.rstrip("/").endswith("/models"):
            data = [{"id": m, "object": "model", "created": CREATED, "owned_by": "summarize-test"} for m in owner.models or ()]
            self._send(Reply(body={"object": "list", "data": data}))
        else:
            self._send(status(404, f"no route {self.path}"))

    def do_POST(self) -> None:
        body = self._read_body()
        req = self._record(body)
        owner = self.server.owner
        if not self.path.rstrip("/").endswith("/chat/completions"):
            return self._send(status(404, f"no route {self.path}"))
        reply = owner._reply(req)
        if reply.action == "reset":
            return self._reset()
        if reply.action == "hang":
            owner._stopping.wait(reply.delay)
            return self._reset()
        # The latency is the time to answer from the request's arrival: the server's own parsing and
        # answer-building happen inside it, not on top of it (a real endpoint's latency includes its work).
        pause = self.arrived + owner._pause() + reply.delay - time.monotonic()
        if pause > 0:
            owner._stopping.wait(pause)
        owner._answered(self.arrived, time.monotonic() - self.arrived)  # before sending: a client may look
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        body = reply.body
        if isinstance(body, (dict, list)):
            payload = json.dumps(body).encode()
        else:
            payload = body.encode() if isinstance(body, str) else (body or b"")
        self.send_response(reply.status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.send_header(*TEST_DOUBLE_HEADER)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _reset(self) -> None:
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    owner: "OpenAITestServer"

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # dropped connections are part of the tests


class OpenAITestServer:
    handler_class: type[BaseHTTPRequestHandler] = _Handler  # a subclass may serve more routes

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        jitter: float = 0.0,
        seed: int = 0,
        api_key: str | None = None,
        models: Sequence[str] | None = None,
        tags: Iterable[str] = (),
        default: Behaviour | None = None,
        usage: tuple[int, int] | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.latency, self.jitter = latency, jitter
        self.api_key = api_key
        self.models = list(models) if models is not None else None
        self.tags = list(tags)
        self.usage = usage  # (prompt, completion) tokens every answer reports; None: counted from the text
        self.default: Behaviour = default or (lambda req, srv: completion(req, srv, json.dumps(abstract_model(req, srv))))
        self.script: deque[Behaviour] = deque()
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._ids = 0
        self.answers: list[tuple[float, float]] = []  # per chat answer: (arrival, seconds until it is sent)
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle
    def start(self) -> "OpenAITestServer":
        self._stopping.clear()
        self._httpd = _HTTPServer((self.host, self.port), self.handler_class)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "OpenAITestServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    # scripting
    def push(self, *behaviours: Behaviour) -> None:
        with self._lock:
            self.script.extend(behaviours)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST"]

    # internals
    def _record(self, req: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(req)

    def _answered(self, arrived: float, seconds: float) -> None:
        with self._lock:
            self.answers.append((arrived, seconds))

    @property
    def answer_seconds(self) -> list[float]:
        """Seconds from each chat request's arrival to its answer being sent, in order of arrival."""
        with self._lock:
            return [seconds for _, seconds in sorted(self.answers)]

    def _next_id(self) -> int:
        with self._lock:
            self._ids += 1
            return self._ids

    def _pause(self) -> float:
        if not self.jitter:
            return self.latency
        with self._lock:
            return self.latency + self._random.uniform(0, self.jitter)

    def _reply(self, req: RecordedRequest) -> Reply:
        auth = req.headers.get("authorization", "")
        if self.api_key is not None and auth != f"Bearer {self.api_key}":
            return status(401, "Incorrect API key provided.", error_code="invalid_api_key")
        model = (req.body or {}).get("model")
        if self.models is not None and model not in self.models:
            return status(404, f"The model `{model}` does not exist or you do not have access to it.",
                          error_code="model_not_found")
        with self._lock:
            behaviour = self.script.popleft() if self.script else self.default
        return behaviour if isinstance(behaviour, Reply) else behaviour(req, self)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the server on its own, e.g. for benchmarks in another process:
    python -m tests.openai_server --port 8765 --latency 0.2 --jitter 0.1 --usage 900,350

    GET /_test/requests answers {"requests": n, "chat_requests": n, "answer_seconds": [...]}: the counts
    and each chat answer's time from arrival to sending, in order of arrival, for the other process.
    """
    import argparse

    parser = argparse.ArgumentParser(description="summarize's local OpenAI-compatible test double")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--jitter", type=float, default=0.0)
    parser.add_argument("--tags", default="", help="comma-separated tag names the fake model may choose")
    parser.add_argument("--usage", default="", help="PROMPT,COMPLETION tokens every answer reports, e.g. 900,350")
    parser.add_argument("--seed", type=int, default=0, help="seed of the jitter")
    args = parser.parse_args(argv)
    usage = tuple(int(n) for n in args.usage.split(",")) if args.usage else None
    server = OpenAITestServer(port=args.port, latency=args.latency, jitter=args.jitter, seed=args.seed,
                              tags=[t for t in args.tags.split(",") if t], usage=usage)  # type: ignore[arg-type]
    server.start()
    print(f"serving {server.base_url} (test double, not a model); Ctrl-C to stop", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
