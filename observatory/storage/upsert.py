"""Batch upserts (``INSERT … ON CONFLICT``) so that every step can be re-run without duplicates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Table, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import DeclarativeBase, Session


def _batches(rows: Iterable[Mapping[str, Any]], size: int) -> Iterable[list[Mapping[str, Any]]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def upsert(
    conn: Connection | Session,
    model: type[DeclarativeBase],
    rows: Iterable[Mapping[str, Any]],
    conflict: Sequence[str],
    update: Sequence[str] | None = None,
    *,
    batch_size: int = 1000,
    keep_first: Sequence[str] = (),
) -> int:
    """Insert ``rows`` into ``model``'s table; on a ``conflict`` key update ``update`` columns.

    ``update=None`` updates every column given in the rows except the key; ``update=[]`` does
    nothing on conflict. Columns in ``keep_first`` keep their stored value (e.g. ``first_seen``).
    Returns the number of rows sent.
    """
    table: Table = model.__table__  # type: ignore[attr-defined,assignment]
    sent = 0
    for batch in _batches(rows, batch_size):
        # Within one statement a key may appear once only: the last row for a key wins.
        unique: dict[tuple[Any, ...], Mapping[str, Any]] = {}
        for row in batch:
            unique[tuple(row[c] for c in conflict)] = row
        values = list(unique.values())
        stmt = insert(table).values(values)
        columns = update if update is not None else [c for c in values[0] if c not in conflict]
        columns = [c for c in columns if c not in keep_first]
        if columns:
            stmt = stmt.on_conflict_do_update(
                index_elements=list(conflict),
                set_={c: getattr(stmt.excluded, c) for c in columns},
            )
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=list(conflict))
        conn.execute(stmt)
        sent += len(values)
    return sent


def now() -> Any:
    """SQL ``now()``, for last-seen style columns in upserts."""
    return func.now()
