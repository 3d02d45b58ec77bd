"""ESCO API client against a real HTTP server on 127.0.0.1 that speaks the ESCO protocol."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from observatory.skills.esco_api import EscoApiClient, EscoApiError, RateLimiter, ResponseCache

SKILL = "http://data.europa.eu/esco/skill/"
# An invented little ESCO: 7 skills whose Spanish label contains "datos".
CATALOGUE = [
    (f"{SKILL}d{i}", label)
    for i, label in enumerate(
        [
            "analizar datos",
            "gestionar bases de datos",
            "minería de datos",
            "visualizar datos",
            "proteger datos personales",
            "limpiar datos",
            "modelar datos",
        ]
    )
]


@dataclass
class EscoServer:
    """What the loopback server saw, and scripted answers per path (consumed in order)."""

    url: str
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    scripts: dict[str, list[Callable[[BaseHTTPRequestHandler], None]]] = field(default_factory=dict)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json;charset=UTF-8")
    handler.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(body)


def reply(
    status: int, payload: object, headers: dict[str, str] | None = None
) -> Callable[[BaseHTTPRequestHandler], None]:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return lambda handler: send(handler, status, body, headers)


@pytest.fixture()
def esco_server() -> Iterator[EscoServer]:
    state = EscoServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            path = parts.path.removeprefix("/esco/api")
            params = {k: v[0] for k, v in parse_qs(parts.query).items()}
            state.requests.append((path, params))
            script = state.scripts.get(path)
            if script:
                script.pop(0)(self)
                return
            if path == "/search":
                self.search(params)
            elif path in ("/resource/skill", "/resource/concept"):
                self.resource(path, params)
            else:
                send(self, 404, json.dumps({"message": f"no such endpoint {path}"}).encode())

        def search(self, params: dict[str, str]) -> None:
            offset, limit = int(params.get("offset", 0)), int(params.get("limit", 20))
            hits = [(u, lb) for u, lb in CATALOGUE if params.get("text", "") in lb]
            page = hits[offset : offset + limit]
            links: dict[str, object] = {"self": {"href": f"{state.url}/search?{urlencode(params)}"}}
            if offset + limit < len(hits):
                nxt = dict(params, offset=str(offset + limit))
                links["next"] = {"href": f"{state.url}/search?{urlencode(nxt)}"}
            body = {
                "total": len(hits),
                "offset": offset,
                "count": len(page),
                "_links": links,
                "_embedded": {
                    "results": [
                        {
                            "className": "Skill",
                            "uri": uri,
                            "title": label,
                            "preferredLabel": {params.get("language", "es"): label},
                        }
                        for uri, label in page
                    ]
                },
            }
            send(self, 200, json.dumps(body).encode())

        def resource(self, path: str, params: dict[str, str]) -> None:
            labels = dict(CATALOGUE)
            uri = params.get("uri", "")
            if uri not in labels:
                send(self, 404, json.dumps({"message": f"resource {uri} not found"}).encode())
                return
            body = {
                "className": "Skill",
                "uri": uri,
                "title": labels[uri],
                "preferredLabel": {params.get("language", "es"): labels[uri]},
                "_links": {"self": {"href": f"{state.url}{path}?uri={uri}"}},
            }
            send(self, 200, json.dumps(body).encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/esco/api"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def client(server: EscoServer, **kwargs: object) -> EscoApiClient:
    options: dict[str, object] = {"backoff": 0.01, "requests_per_second": 200.0, "timeout": 5.0}
    options.update(kwargs)
    return EscoApiClient(server.url, **options)  # type: ignore[arg-type]


def test_search_follows_every_page(esco_server: EscoServer) -> None:
    with client(esco_server) as api:
        results = list(api.search("datos", limit=3))
    assert [r.uri for r in results] == [u for u, _ in CATALOGUE]
    assert results[0].title == "analizar datos" and results[0].preferred_label == {"es": "analizar datos"}
    pages = [params for path, params in esco_server.requests if path == "/search"]
    assert [p["offset"] for p in pages] == ["0", "3", "6"]
    assert all(p["type"] == "skill" and p["language"] == "es" and p["limit"] == "3" for p in pages)


def test_search_from_offset_with_max_results_and_no_hits(esco_server: EscoServer) -> None:
    with client(esco_server) as api:
        assert [r.title for r in api.search("datos", limit=2, offset=2, max_results=3)] == [
            "minería de datos",
            "visualizar datos",
            "proteger datos personales",
        ]
        assert list(api.search("soldadura")) == []
        assert len(list(api.search("datos", limit=3, max_results=3))) == 3
    offsets = [(params["offset"], params["limit"]) for path, params in esco_server.requests if path == "/search"]
    assert offsets == [("2", "2"), ("4", "2"), ("0", "20"), ("0", "3")]  # no page fetched beyond max_results


def test_get_skill_and_concept(esco_server: EscoServer) -> None:
    with client(esco_server) as api:
        skill = api.get_skill(f"{SKILL}d2", language="en")
        assert skill["title"] == "minería de datos" and skill["preferredLabel"] == {"en": "minería de datos"}
        assert api.get_concept(f"{SKILL}d3")["uri"] == f"{SKILL}d3"
    assert esco_server.requests[0] == ("/resource/skill", {"uri": f"{SKILL}d2", "language": "en"})
    assert esco_server.requests[1][0] == "/resource/concept"


def test_429_with_retry_after_is_honoured(esco_server: EscoServer) -> None:
    esco_server.scripts["/resource/skill"] = [reply(429, {"message": "slow down"}, {"Retry-After": "1"})]
    with client(esco_server) as api:
        started = time.monotonic()
        assert api.get_skill(f"{SKILL}d0")["title"] == "analizar datos"
        assert time.monotonic() - started >= 1.0
    assert esco_server.hits("/resource/skill") == 2


def test_500_then_success_retries_with_backoff(esco_server: EscoServer) -> None:
    esco_server.scripts["/search"] = [reply(500, b"internal error"), reply(503, {"message": "maintenance"})]
    with client(esco_server) as api:
        assert len(list(api.search("datos", limit=10))) == 7
    assert esco_server.hits("/search") == 3


def test_persistent_5xx_gives_a_clear_error(esco_server: EscoServer) -> None:
    esco_server.scripts["/resource/skill"] = [reply(502, {"message": "bad gateway"})] * 3
    with client(esco_server, retries=2) as api, pytest.raises(EscoApiError) as info:
        api.get_skill(f"{SKILL}d0")
    assert "after 3 attempts" in str(info.value) and "HTTP 502 (bad gateway)" in str(info.value)
    assert info.value.status == 502
    assert esco_server.hits("/resource/skill") == 3


def test_retry_after_longer_than_allowed_fails_at_once(esco_server: EscoServer) -> None:
    esco_server.scripts["/search"] = [reply(429, {}, {"Retry-After": "3600"})]
    with client(esco_server, max_retry_after=5) as api, pytest.raises(EscoApiError, match="asks to wait 3600 s"):
        list(api.search("datos"))
    assert esco_server.hits("/search") == 1


def test_bad_json_gives_a_clear_error_and_is_not_cached(esco_server: EscoServer) -> None:
    esco_server.scripts["/resource/skill"] = [reply(200, b"<html>maintenance</html>")]
    with client(esco_server) as api:
        with pytest.raises(EscoApiError, match=r"not JSON.*maintenance"):
            api.get_skill(f"{SKILL}d0")
        assert api.get_skill(f"{SKILL}d0")["uri"] == f"{SKILL}d0"
    assert esco_server.hits("/resource/skill") == 2


def test_4xx_is_not_retried(esco_server: EscoServer) -> None:
    with client(esco_server) as api, pytest.raises(EscoApiError) as info:
        api.get_skill(f"{SKILL}unknown")
    assert info.value.status == 404 and "not found" in str(info.value)
    assert esco_server.hits("/resource/skill") == 1


def test_unreachable_server_is_an_api_error() -> None:
    api = EscoApiClient("http://127.0.0.1:9/esco/api", retries=1, backoff=0.01, timeout=1)
    with api, pytest.raises(EscoApiError, match="after 2 attempts: Connect"):
        api.get_concept(f"{SKILL}d0")


def test_cache_hit_means_one_request(esco_server: EscoServer) -> None:
    with client(esco_server) as api:
        first = list(api.search("datos", limit=10))
        again = list(api.search("datos", limit=10))
        api.get_skill(f"{SKILL}d1")
        api.get_skill(f"{SKILL}d1")
        api.get_skill(f"{SKILL}d1", language="en")  # other parameters: another entry
    assert first == again
    assert esco_server.hits("/search") == 1
    assert esco_server.hits("/resource/skill") == 2


def test_disk_cache_survives_a_new_client(esco_server: EscoServer, tmp_path: Path) -> None:
    with client(esco_server, cache=ResponseCache(tmp_path / "esco-cache")) as api:
        api.get_skill(f"{SKILL}d4")
    with client(esco_server, cache=ResponseCache(tmp_path / "esco-cache")) as api:
        assert api.get_skill(f"{SKILL}d4")["title"] == "proteger datos personales"
    assert esco_server.hits("/resource/skill") == 1
    with client(esco_server, cache=ResponseCache(tmp_path / "esco-cache", ttl=0)) as api:
        time.sleep(0.01)
        api.get_skill(f"{SKILL}d4")
    assert esco_server.hits("/resource/skill") == 2


def test_rate_limiter_spaces_requests(esco_server: EscoServer) -> None:
    with client(esco_server, requests_per_second=20.0) as api:
        started = time.monotonic()
        for i in range(5):
            api.get_skill(f"{SKILL}d{i}")
        elapsed = time.monotonic() - started
    assert elapsed >= 4 / 20 * 0.95  # five requests: four gaps of 50 ms at least


def test_rate_limiter_arithmetic() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(4.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        limiter.wait()
    assert slept == [0.25, 0.25]
    with pytest.raises(ValueError):
        RateLimiter(0)
