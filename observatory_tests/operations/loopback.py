"""A webhook receiver on 127.0.0.1 that records the JSON bodies posted to it (a stand-in for Slack)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Webhook:
    url: str
    posts: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200


@contextmanager
def webhook_server() -> Iterator[Webhook]:
    hook = Webhook(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            assert self.headers.get("Content-Type", "").startswith("application/json")
            hook.posts.append(json.loads(body))
            self.send_response(hook.status)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/services/T000/B000/secret-token"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    """A minimal SMTP server on 127.0.0.1 (EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) keeping what it receives."""
    import base64
    import socketserver

    box = Mailbox(host="127.0.0.1", port=0)

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self) -> None:
            message: dict[str, Any] = {"rcpt": []}
            self.reply("220 loopback ESMTP")
            while raw := self.rfile.readline():
                line = raw.decode().rstrip("\r\n")
                verb = line.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    self.reply("250-loopback")
                    self.reply("250 AUTH PLAIN")
                elif verb == "AUTH":
                    _, user, password = base64.b64decode(line.split()[-1]).split(b"\0")
                    message["auth"] = (user.decode(), password.decode())
                    self.reply("235 ok")
                elif verb == "MAIL":
                    message["from"] = line.split(":", 1)[1]
                    self.reply("250 ok")
                elif verb == "RCPT":
                    message["rcpt"].append(line.split(":", 1)[1])
                    self.reply("250 ok")
                elif verb == "DATA":
                    self.reply("354 end with .")
                    body = []
                    while (data := self.rfile.readline().decode()) not in (".\r\n", ""):
                        body.append(data)
                    message["data"] = "".join(body)
                    box.messages.append(message)
                    message = {"rcpt": []}
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 ok")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    box.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()
