"""The local test server with OpenAI's Files and Batches endpoints. A TEST DOUBLE, not OpenAI.

On top of `OpenAITestServer` (chat completions, models) it serves, in OpenAI's wire format:
  POST /v1/files                 multipart upload (file, purpose) -> File object
  GET  /v1/files/{id}            File object
  GET  /v1/files/{id}/content    the file's bytes
  POST /v1/batches               {input_file_id, endpoint, completion_window, metadata} -> Batch object
  GET  /v1/batches/{id}          Batch object; each read moves it one step: validating -> in_progress ->
                                 completed (or `expired`, see `expire_after`)
When a batch completes, every request line of its input file is answered by the server's chat behaviours
(`script`, then `default`, exactly as a live request): 200 answers go to the output file, the others to
the error file, each line as {"id", "custom_id", "response": {"status_code", "request_id", "body"},
"error"}. With `expire_after = n`, only the first n lines are answered and the rest go to the error file
with the error code "batch_expired", as when the 24 h window runs out.

    with OpenAIBatchServer(api_key="sk-test") as server: ...   # server.base_url
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from dataclasses import dataclass, field
from typing import Any

from tests.openai_server import CREATED, OpenAITestServer, RecordedRequest, Reply, _Handler, status

_FILE = re.compile(r"^/v1/files/([\w-]+)(/content)?$")
_BATCH = re.compile(r"^/v1/batches/([\w-]+)$")
STEPS = ("validating", "in_progress", "completed")


@dataclass
class StoredFile:
    id: str
    filename: str
    purpose: str
    data: bytes

    def wire(self) -> dict[str, Any]:
        return {"id": self.id, "object": "file", "bytes": len(self.data), "created_at": CREATED,
                "filename": self.filename, "purpose": self.purpose, "status": "processed",
                "expires_at": None, "status_details": None}


@dataclass
class StoredBatch:
    id: str
    input_file_id: str
    endpoint: str
    completion_window: str
    metadata: dict[str, str] | None
    authorization: str  # the creator's header, so the lines are answered as the creator's requests
    status: str = "validating"
    output_file_id: str | None = None
    error_file_id: str | None = None
    counts: dict[str, int] = field(default_factory=lambda: {"total": 0, "completed": 0, "failed": 0})

    def wire(self) -> dict[str, Any]:
        done = self.status in ("completed", "expired")
        return {
            "id": self.id, "object": "batch", "endpoint": self.endpoint, "errors": None,
            "input_file_id": self.input_file_id, "completion_window": self.completion_window,
            "status": self.status, "output_file_id": self.output_file_id, "error_file_id": self.error_file_id,
            "created_at": CREATED, "in_progress_at": CREATED + 1 if self.status != "validating" else None,
            "expires_at": CREATED + 86400, "finalizing_at": CREATED + 2 if done else None,
            "completed_at": CREATED + 3 if self.status == "completed" else None, "failed_at": None,
            "expired_at": CREATED + 86400 if self.status == "expired" else None, "cancelling_at": None,
            "cancelled_at": None, "request_counts": dict(self.counts), "metadata": self.metadata,
        }


class _BatchHandler(_Handler):
    server: Any

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if not (_FILE.match(path) or _BATCH.match(path)):
            return super().do_GET()
        self._record(None)
        owner: OpenAIBatchServer = self.server.owner
        if (denied := owner.check_auth(self.headers.get("authorization", ""))) is not None:
            return self._send(denied)
        if m := _BATCH.match(path):
            return self._send(owner.read_batch(m.group(1)))
        m = _FILE.match(path)
        stored = owner.files.get(m.group(1))
        if stored is None:
            return self._send(status(404, f"No such File object: {m.group(1)}"))
        if m.group(2):
            return self._send(Reply(body=stored.data))
        return self._send(Reply(body=stored.wire()))

    def do_POST(self) -> None:
        path = self.path.split("?")[0]
        if path not in ("/v1/files", "/v1/batches"):
            return super().do_POST()
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        owner: OpenAIBatchServer = self.server.owner
        if path == "/v1/files":
            self._record({"multipart": len(raw)})
            reply = owner.check_auth(self.headers.get("authorization", "")) or owner.upload(
                self.headers.get("content-type", ""), raw)
        else:
            try:
                body = json.loads(raw or b"null")
            except ValueError:
                body = None
            self._record(body)
            auth = self.headers.get("authorization", "")
            reply = owner.check_auth(auth) or owner.create_batch(body, auth)
        self._send(reply)


class OpenAIBatchServer(OpenAITestServer):
    handler_class = _BatchHandler

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.files: dict[str, StoredFile] = {}
        self.batches: dict[str, StoredBatch] = {}
        self.batch_requests: list[RecordedRequest] = []  # the request lines answered inside batches
        self.expire_after: int | None = None

    # -- endpoints -----------------------------------------------------------------------------------

    def check_auth(self, authorization: str) -> Reply | None:
        if self.api_key is not None and authorization != f"Bearer {self.api_key}":
            return status(401, "Incorrect API key provided.", error_code="invalid_api_key")
        return None

    def upload(self, content_type: str, raw: bytes) -> Reply:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"content-type: {content_type}\r\n\r\n".encode() + raw)
        if not message.is_multipart():
            return status(400, "expected multipart/form-data")
        fields: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            fields[name] = (part.get_filename(), part.get_payload(decode=True))
        if "file" not in fields or "purpose" not in fields:
            return status(400, "file and purpose are required")
        filename, data = fields["file"]
        stored = self._add_file(filename or "upload.jsonl", fields["purpose"][1].decode(), data)
        return Reply(body=stored.wire())

    def create_batch(self, body: Any, authorization: str) -> Reply:
        if not isinstance(body, dict):
            return status(400, "expected a JSON body")
        if body.get("input_file_id") not in self.files:
            return status(400, f"No such File object: {body.get('input_file_id')}")
        if body.get("endpoint") != "/v1/chat/completions" or body.get("completion_window") != "24h":
            return status(400, "endpoint must be /v1/chat/completions and completion_window 24h (test double)")
        batch = StoredBatch(id=f"batch_test{self._next_id():06d}", input_file_id=body["input_file_id"],
                            endpoint=body["endpoint"], completion_window=body["completion_window"],
                            metadata=body.get("metadata"), authorization=authorization)
        batch.counts["total"] = len(self._lines(batch))
        with self._lock:
            self.batches[batch.id] = batch
        return Reply(body=batch.wire())

    def read_batch(self, batch_id: str) -> Reply:
        batch = self.batches.get(batch_id)
        if batch is None:
            return status(404, f"No batch found with id '{batch_id}'.")
        if batch.status in STEPS[:-1]:
            following = STEPS[STEPS.index(batch.status) + 1]
            if following == "completed":
                self.run_batch(batch)
            else:
                batch.status = following
        return Reply(body=batch.wire())

    # -- running a batch -----------------------------------------------------------------------------

    def run_batch(self, batch: StoredBatch) -> None:
        output, errors = [], []
        for number, line in enumerate(self._lines(batch)):
            if self.expire_after is not None and number >= self.expire_after:
                errors.append(self._line(line["custom_id"], None, {"code": "batch_expired",
                              "message": "This request could not be executed before the completion window expired."}))
                continue
            request = RecordedRequest("POST", line["url"], {"authorization": batch.authorization}, line["body"])
            self.batch_requests.append(request)
            reply = self._reply(request)
            response = {"status_code": reply.status, "request_id": f"req_test{self._next_id():06d}", "body": reply.body}
            (output if reply.status == 200 else errors).append(self._line(line["custom_id"], response, None))
        batch.counts.update(completed=len(output), failed=len(errors))
        if output:
            batch.output_file_id = self._add_file("batch_output.jsonl", "batch_output", _jsonl(output)).id
        if errors:
            batch.error_file_id = self._add_file("batch_errors.jsonl", "batch_output", _jsonl(errors)).id
        batch.status = "expired" if self.expire_after is not None and errors else "completed"

    def _lines(self, batch: StoredBatch) -> list[dict[str, Any]]:
        data = self.files[batch.input_file_id].data.decode("utf-8")
        return [json.loads(line) for line in data.splitlines() if line.strip()]

    def _line(self, custom_id: str, response: dict[str, Any] | None, error: dict[str, Any] | None) -> dict[str, Any]:
        return {"id": f"batch_req_test{self._next_id():06d}", "custom_id": custom_id, "response": response,
                "error": error}

    def _add_file(self, filename: str, purpose: str, data: bytes) -> StoredFile:
        stored = StoredFile(id=f"file-test{self._next_id():06d}", filename=filename, purpose=purpose, data=data)
        with self._lock:
            self.files[stored.id] = stored
        return stored


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in rows).encode("utf-8")
