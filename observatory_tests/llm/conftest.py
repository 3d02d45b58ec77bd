"""A loopback server speaking the chat-completions protocol, answering through a function of the request."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

Reply = tuple[int, dict[str, str], str]


def chat_reply(content: str, prompt_tokens: int | None = 100, completion_tokens: int = 20) -> Reply:
    body: dict[str, Any] = {"choices": [{"message": {"role": "assistant", "content": content}}]}
    if prompt_tokens is not None:
        body["usage"] = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens}
    return 200, {"Content-Type": "application/json"}, json.dumps(body)


class ChatServer:
    """``responder(request_json, attempt)`` gives each reply; every raw request body is kept (redaction checks)."""

    def __init__(self) -> None:
        self.responder: Callable[[dict[str, Any], int], Reply] = lambda body, n: chat_reply("{}")
        self.bodies: list[str] = []
        self.times: list[float] = []
        self.delay = 0.0
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"])).decode()
                with outer._lock:
                    outer.bodies.append(raw)
                    outer.times.append(time.monotonic())
                    attempt = len(outer.bodies)
                if outer.delay:
                    time.sleep(outer.delay)
                status, headers, text = outer.responder(json.loads(raw), attempt)
                payload = text.encode()
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture()
def chat_server() -> Iterator[ChatServer]:
    server = ChatServer()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
