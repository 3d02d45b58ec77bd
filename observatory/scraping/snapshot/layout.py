"""Where the snapshot's files live and how a request path maps to one of them."""

from __future__ import annotations

from pathlib import Path

SITES = Path(__file__).resolve().parent / "sites"
SNAPSHOT_SOURCES = ("co-computrabajo", "mx-computrabajo", "ar-computrabajo", "ar-bumeran", "co-elempleo")


def url_to_file(url: str) -> str:
    """``/trabajo-de-python?p=2`` → ``trabajo-de-python.p2.html``; ``/ofertas-de-trabajo/`` → ``…/index.html``."""
    path, _, query = url.partition("?")
    path = path.lstrip("/")
    if not path or path.endswith("/"):
        path += "index"
    page = ""
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key in ("p", "pagina") and value not in ("", "1"):
            page = f".p{value}"
    if path.endswith(".html"):
        path = path[: -len(".html")]
    return f"{path}{page}.html"
