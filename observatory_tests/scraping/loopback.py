"""A scriptable HTTP site on a loopback address for crawl-safety tests: routes, recorded requests, raw answers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# An answer: (status, headers, body) or a callable writing the answer itself on the handler.
Answer = tuple[int, dict[str, str], bytes] | Callable[[BaseHTTPRequestHandler], None]


@dataclass
class LoopbackSite:
    """Routes by path (with query), the requests received, and the site's ``base`` URL."""

    routes: dict[str, Answer | list[Answer]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    base: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str) -> Answer:
        with self.lock:
            route = self.routes.get(path)
            if route is None:
                route = self.routes.get(path.split("?", 1)[0])
            if isinstance(route, list):
                # A queue: each request takes the next answer; the last one stays.
                return route.pop(0) if len(route) > 1 else route[0]
        if route is None:
            return 404, {"Content-Type": "text/html"}, b"<html><body>not here</body></html>"
        return route

    def paths(self) -> list[str]:
        return [r["path"] for r in self.requests]


def html(body: str, status: int = 200, **headers: str) -> Answer:
    return status, {"Content-Type": "text/html; charset=utf-8", **headers}, body.encode()


def _handler(site: LoopbackSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _serve(self) -> None:
            with site.lock:
                site.requests.append({"method": self.command, "path": self.path, "at": time.monotonic()})
            answer = site.answer(self.path)
            if callable(answer):
                answer(self)
                return
            status, headers, body = answer
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        do_GET = _serve
        do_POST = _serve

    return Handler


@contextmanager
def serve(routes: dict[str, Answer | list[Answer]] | None = None, host: str = "127.0.0.1") -> Iterator[LoopbackSite]:
    """Serve ``routes`` on ``host`` (any 127.x address) on a free port for the duration of the block."""
    site = LoopbackSite(routes=dict(routes or {}))
    server = ThreadingHTTPServer((host, 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


ROBOTS_ALLOW = html("User-agent: *\nAllow: /\n")


def computrabajo_listing(cards: list[tuple[str, str, str]]) -> str:
    """A Computrabajo listing page with ``(offer id, title, href)`` cards, marked up like the real one."""
    articles = "\n".join(
        f'<article class="box_offer" data-id="{oid}"><h2><a class="js-o-link" href="{href}">{title}</a></h2>'
        f'<p class="fs16 dFlex"><a href="/empresa">Acme S.A.S.</a></p>'
        f'<p class="fs16"><span class="mr10">Bogotá, D.C.</span></p><p class="fc_aux">Hace 2 horas</p></article>'
        for oid, title, href in cards
    )
    return f"<!DOCTYPE html><html><body>{articles}</body></html>"


def computrabajo_detail(title: str, description: str = "Buscamos analista con SQL, Python y Excel avanzado.") -> str:
    """A Computrabajo detail page with its JSON-LD ``JobPosting`` and HTML body."""
    return (
        '<!DOCTYPE html><html><head><script type="application/ld+json">'
        f'{{"@type": "JobPosting", "title": "{title}", "datePosted": "2026-11-28",'
        f' "description": "{description}", "hiringOrganization": {{"name": "Acme S.A.S."}},'
        ' "jobLocation": {"address": {"addressLocality": "Bogotá"}}}'
        f'</script></head><body><h1>{title}</h1><div div-link="oferta"><p class="mbB">{description}</p>'
        "</div></body></html>"
    )


def offer_id(n: int) -> str:
    """A 32-hex Computrabajo offer id."""
    return f"{n:032X}"
