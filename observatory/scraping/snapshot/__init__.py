"""The bundled offline snapshot and its loopback server: one HTTP server per portal site on 127.0.0.1.

``with serve_snapshot() as snap: snap.base_url("co-computrabajo")`` gives a site that answers like the
portal does (robots.txt, listings with pagination, detail pages, redirects for unknown offers, Bumeran's
JSON API with its ``x-site-id`` check and cookies). ``faults`` injects 429/500/timeouts for tests.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from observatory.scraping.snapshot.layout import SITES, SNAPSHOT_SOURCES, url_to_file

__all__ = ["SNAPSHOT_SOURCES", "SnapshotServer", "serve_snapshot"]
from observatory.sources import SOURCES

Fault = int | str  # an HTTP status to answer instead, "timeout" (sleep), or "empty" (200 with no body)


@dataclass
class SiteState:
    """What one site's handler needs and what it recorded."""

    source_key: str
    root: Path
    real_host: str
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    robots: str | None = None
    timeout_s: float = 5.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    base: str = ""
    proxied: int = 0  # requests received as a proxy (absolute URI)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_fault(self, path_qs: str, path: str) -> Fault | None:
        with self.lock:
            for key in (path_qs, path):
                queue = self.faults.get(key)
                if queue:
                    return queue.pop(0)
        return None


def _handler(state: SiteState) -> type[BaseHTTPRequestHandler]:
    portal = SOURCES[state.source_key].portal
    site_id = SOURCES[state.source_key].site_id

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read state.requests
            return

        def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _record(self, body: bytes = b"") -> None:
            with state.lock:
                state.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "user_agent": self.headers.get("User-Agent"),
                        "site_id": self.headers.get("x-site-id"),
                        "cookie": self.headers.get("Cookie"),
                        "body": body.decode("utf-8", "replace"),
                        "at": time.monotonic(),
                    }
                )

        def _fault(self) -> bool:
            fault = state.next_fault(self.path, urlsplit(self.path).path)
            if fault is None:
                return False
            if fault == "timeout":
                time.sleep(state.timeout_s)
                self._send(200, b"", "text/html")
            elif fault == "empty":
                self._send(200, b"", "text/html; charset=utf-8")
            else:
                status = int(fault)
                headers = {"Retry-After": "1"} if status in (429, 503) else {}
                self._send(status, f"<html><body>error {status}</body></html>".encode(), "text/html", headers)
            return True

        def _file(self, name: str) -> bytes | None:
            path = (state.root / name).resolve()
            if not path.is_file() or state.root.resolve() not in path.parents:
                return None
            # A mirror answers with its own address where the site printed its own (as a proxy: the address asked).
            base = getattr(self, "proxied_base", None) or state.base
            return path.read_bytes().replace(state.real_host.encode(), base.encode())

        def _html(self, name: str) -> None:
            data = self._file(name)
            if data is None:
                self._not_found()
                return
            declared_1252 = b"charset=windows-1252" in data[:600]
            self._send(200, data, "text/html" if declared_1252 else "text/html; charset=utf-8")

        def _not_found(self) -> None:
            path = urlsplit(self.path).path
            if portal == "computrabajo" and path.startswith("/ofertas-de-trabajo/oferta-de-trabajo-de-"):
                # Computrabajo does not answer 404 for a withdrawn offer: it redirects to a listing.
                self._send(302, b"", "text/html", {"Location": f"{state.base}/ofertas-de-trabajo/"})
                return
            if portal == "computrabajo" and path.startswith("/trabajo-de-"):
                empty = b"<!DOCTYPE html><html><body><h1>No encontramos ofertas</h1></body></html>"
                self._send(200, empty, "text/html; charset=utf-8")
                return
            self._send(404, b"<html><body>404</body></html>", "text/html")

        def _as_proxy(self) -> None:
            """Requests sent through this site as an HTTP proxy carry an absolute URI: serve them as local."""
            if self.path.startswith(("http://", "https://")):
                split = urlsplit(self.path)
                with state.lock:
                    state.proxied += 1
                self.proxied_base = f"{split.scheme}://{split.netloc}"
                self.path = split.path + (f"?{split.query}" if split.query else "")

        def do_GET(self) -> None:
            self._as_proxy()
            self._record()
            if self._fault():
                return
            split = urlsplit(self.path)
            if split.path == "/robots.txt":
                robots = state.robots if state.robots is not None else (self._file("robots.txt") or b"").decode()
                self._send(200, robots.encode(), "text/plain; charset=utf-8")
                return
            if portal == "bumeran":
                self._bumeran_get(split.path)
                return
            self._html(url_to_file(self.path))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            self._as_proxy()
            self._record(body)
            if self._fault():
                return
            split = urlsplit(self.path)
            if portal == "bumeran" and split.path == "/api/avisos/searchV2":
                self._bumeran_search(parse_qs(split.query), body)
                return
            self._send(405, b"", "text/plain")

        # -- Bumeran's API ---------------------------------------------------------------------------

        def _records(self) -> list[dict[str, Any]]:
            data = self._file("api/avisos.json")
            return json.loads(data) if data else []

        def _json(self, status: int, payload: Any) -> None:
            self._send(status, json.dumps(payload, ensure_ascii=False).encode(), "application/json;charset=UTF-8")

        def _bumeran_get(self, path: str) -> None:
            if path == "/empleos.html":
                data = self._file("empleos.html") or b""
                cookie = "ABSESSION=snapshot-session; Path=/; HttpOnly"
                self._send(200, data, "text/html; charset=utf-8", {"Set-Cookie": cookie})
                return
            prefix = "/api/candidates/fichaAvisoNormalizada/"
            if path.startswith(prefix):
                wanted = path[len(prefix) :]
                for record in self._records():
                    if str(record["id"]) == wanted:
                        self._json(200, {"aviso": record})
                        return
                self._json(404, {"error": "aviso no encontrado"})
                return
            self._send(404, b"<html><body>404</body></html>", "text/html")

        def _bumeran_search(self, params: dict[str, list[str]], body: bytes) -> None:
            if self.headers.get("x-site-id") != site_id:
                self._json(403, {"error": "x-site-id missing or wrong"})
                return
            try:
                filters = json.loads(body or b"{}")
                page = int(params.get("page", ["0"])[0])
                size = int(params.get("pageSize", ["20"])[0])
            except ValueError:
                self._json(400, {"error": "bad request"})
                return
            records = self._records()
            query = (filters.get("query") or "").strip().lower()
            if query:
                records = [r for r in records if query in (r["titulo"] + " " + r["detalle"]).lower()]
            content = records[page * size : (page + 1) * size]
            self._json(200, {"content": content, "total": len(records), "number": page, "size": size})

    return Handler


@dataclass
class SnapshotServer:
    """Running loopback sites, one per source of the snapshot."""

    sites: dict[str, SiteState]
    servers: list[ThreadingHTTPServer]

    def base_url(self, source_key: str) -> str:
        """``http://127.0.0.1:<port>`` of a source's site (raises for a source without a snapshot)."""
        try:
            return self.sites[source_key].base
        except KeyError:
            raise KeyError(f"no snapshot for {source_key!r}; snapshot sources: {sorted(self.sites)}") from None

    def base_urls(self) -> dict[str, str]:
        return {key: site.base for key, site in self.sites.items()}

    def requests(self, source_key: str) -> list[dict[str, Any]]:
        """Requests a site received (method, path, user agent, x-site-id, cookie, body, time)."""
        return list(self.sites[source_key].requests)


@contextmanager
def serve_snapshot(
    sources: tuple[str, ...] = SNAPSHOT_SOURCES,
    *,
    faults: dict[str, dict[str, list[Fault]]] | None = None,
    robots: dict[str, str] | None = None,
    timeout_s: float = 5.0,
    root: Path = SITES,
) -> Iterator[SnapshotServer]:
    """Serve the bundled pages of ``sources`` on 127.0.0.1 (random free ports) for the duration of the block.

    ``faults[source][path]`` is a queue of answers that replace the normal one (``429``, ``500``,
    ``"timeout"``, ``"empty"``); ``robots[source]`` replaces a site's robots.txt.
    """
    sites: dict[str, SiteState] = {}
    servers: list[ThreadingHTTPServer] = []
    try:
        for key in sources:
            state = SiteState(
                source_key=key,
                root=root / key,
                real_host=SOURCES[key].base_url,
                faults={k: list(v) for k, v in ((faults or {}).get(key) or {}).items()},
                robots=(robots or {}).get(key),
                timeout_s=timeout_s,
            )
            server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
            server.daemon_threads = True
            state.base = f"http://127.0.0.1:{server.server_address[1]}"
            threading.Thread(target=server.serve_forever, name=f"snapshot-{key}", daemon=True).start()
            sites[key] = state
            servers.append(server)
        yield SnapshotServer(sites, servers)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
