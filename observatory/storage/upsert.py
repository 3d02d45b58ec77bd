"""Batch upserts (``INSERT … ON CONFLICT``) so that every step can be re-run without duplicates.

Rows are streamed with ``COPY`` into a temporary staging table and merged with one
``INSERT … SELECT … ON CONFLICT`` per batch: the same semantics as a multi-row upsert, at close to
COPY's speed, inside the caller's transaction (a crash half-way rolls the whole load back).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import Column, Connection, Table
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Session


def _batches(rows: Iterable[Mapping[str, Any]], size: int) -> Iterable[list[Mapping[str, Any]]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _encode(value: Any, column: Column[Any]) -> str:
    """One field in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(column.type, Vector):
        return "[" + ",".join(repr(float(x)) for x in value) + "]"
    if isinstance(column.type, JSONB):
        return _escape(json.dumps(value, ensure_ascii=False, default=str))
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return _escape(str(value).replace("\x00", ""))


def _python_default(column: Column[Any]) -> tuple[bool, Any]:
    default = column.default
    if default is None or (not getattr(default, "is_scalar", False) and not getattr(default, "is_callable", False)):
        return False, None
    if default.is_callable:  # type: ignore[attr-defined]
        return True, default.arg(None)  # type: ignore[attr-defined]
    return True, default.arg  # type: ignore[attr-defined]


def upsert(
    conn: Connection | Session,
    model: type[DeclarativeBase],
    rows: Iterable[Mapping[str, Any]],
    conflict: Sequence[str],
    update: Sequence[str] | None = None,
    *,
    batch_size: int = 5000,
    keep_first: Sequence[str] = (),
) -> int:
    """Insert ``rows`` into ``model``'s table; on a ``conflict`` key update ``update`` columns.

    ``update=None`` updates every column given in the rows except the key; ``update=[]`` does
    nothing on conflict. Columns in ``keep_first`` keep their stored value (e.g. ``first_seen``).
    Within one call a key that appears twice keeps its last row. Returns the number of rows merged.
    """
    table: Table = model.__table__  # type: ignore[attr-defined,assignment]
    # Statements go through SQLAlchemy (errors arrive as IntegrityError & co.); COPY needs the driver.
    connection = conn.connection() if isinstance(conn, Session) else conn
    dbapi = connection.connection.dbapi_connection
    sent = 0
    for batch in _batches(rows, batch_size):
        unique: dict[tuple[Any, ...], Mapping[str, Any]] = {}
        for row in batch:
            unique[tuple(row[c] for c in conflict)] = row
        given = list(dict.fromkeys(c for row in unique.values() for c in row))
        unknown = [c for c in given if c not in table.c]
        if unknown:
            raise ValueError(f"{table.name} has no column(s) {unknown}")
        defaults = {}
        for column in table.c:
            if column.name not in given:
                has, value = _python_default(column)
                if has:
                    defaults[column.name] = value
        columns = given + list(defaults)
        cols = [table.c[c] for c in columns]
        buf = io.StringIO()
        for row in unique.values():
            buf.write(
                "\t".join(_encode(row.get(c, defaults.get(c)), col) for c, col in zip(columns, cols, strict=True))
            )
            buf.write("\n")
        buf.seek(0)
        col_list = ", ".join(f'"{c}"' for c in columns)
        staging = f"_upsert_{table.name}"
        updates = update if update is not None else [c for c in given if c not in conflict]
        updates = [c for c in updates if c not in keep_first]
        if updates:
            action = "DO UPDATE SET " + ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in updates)
        else:
            action = "DO NOTHING"
        target = ", ".join(f'"{c}"' for c in conflict)
        connection.exec_driver_sql(
            f'CREATE TEMP TABLE IF NOT EXISTS "{staging}" (LIKE "{table.name}" INCLUDING DEFAULTS) ON COMMIT DROP'
        )
        connection.exec_driver_sql(f'TRUNCATE "{staging}"')
        with dbapi.cursor() as cur:  # type: ignore[union-attr]
            cur.copy_expert(f'COPY "{staging}" ({col_list}) FROM STDIN', buf)
        connection.exec_driver_sql(
            f'INSERT INTO "{table.name}" ({col_list}) SELECT {col_list} FROM "{staging}" '
            f"ON CONFLICT ({target}) {action}"
        )
        sent += len(unique)
    return sent
