"""Stored demand belongs to the database it was computed from: after a reset its cells are ignored and rebuilt."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest

from observatory.analysis.demand_store import (
    cell_folder,
    cell_origin,
    demand_base,
    demand_inputs,
    load_inputs,
    read_cell,
    store_cell,
    table_path,
)
from observatory.analysis.pseudonyms import PseudonymKey, installation_key
from observatory.config import Settings, load_settings
from observatory.reporting import build_report
from observatory.storage import Database
from observatory.storage.bootstrap import open_database
from observatory.storage.identity import database_identity, renew_database_identity
from observatory_tests.analysis.builders import DataBuilder

KEY = PseudonymKey(b"a test key of the stored demand")
CELLS = [(m, s) for m in ("2026-09", "2026-10") for s in ("co-computrabajo", "co-elempleo")]


def _store_all(db: Database, base: Path, key: PseudonymKey = KEY) -> None:
    """What ``skill_demand`` writes for every cell of :data:`CELLS`."""
    identity = database_identity(db)
    for month, source in CELLS:
        cell = demand_inputs(db, source=source, period=month, key=key)
        store_cell(base, month, source, cell, identity=identity, key=key, language="es", min_cell=10)


def _postings(db: Database, skill: str, n: int, months: tuple[str, ...] = ("2026-09", "2026-10")) -> None:
    b = DataBuilder(db)
    for month in months:
        for i in range(n):
            b.posting("co-computrabajo" if i % 4 else "co-elempleo", month, {skill: "required", "sql": None},
                      day=1 + i % 27, salary_raw="$ 3.000.000 (Mensual)")  # fmt: skip
    b.save()


def test_reset_database_never_feeds_a_report(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # A project of its own: the embedded database's folder is removed, as a user resetting it would.
    settings = load_settings(data_dir=tmp_path / "data", database_url=None)
    base = demand_base(settings.data_dir)
    old = open_database(settings)
    try:
        _postings(old, "cobol", 40)
        _store_all(old, base, installation_key(settings))
        old_identity = database_identity(old)
    finally:
        old.close()
    assert {cell_origin(base, *cell) for cell in CELLS} == {old_identity}
    shutil.rmtree(settings.data_dir / "pg")

    new = open_database(settings)
    try:
        assert database_identity(new) != old_identity
        _postings(new, "python", 20, months=("2026-10",))
        with caplog.at_level(logging.WARNING, logger="observatory.analysis.demand_store"):
            paths = build_report(new, settings, country="co", period="2026-10", out_dir=tmp_path / "out", pdf=False)
        top = pd.read_parquet(paths.folder / "data" / "top_skills.parquet").set_index("skill_id")
        assert "cobol" not in top.index and top.loc["python", "n_with_skill"] == 20
        assert top.loc["python", "n_postings"] == 20  # not the 40 postings of the old database
        cooc = pd.read_parquet(paths.folder / "data" / "cooccurrence.parquet")
        assert set(cooc["skill_a_id"]) | set(cooc["skill_b_id"]) == {"python", "sql"}
        assert pd.read_parquet(paths.folder / "data" / "salaries.parquet").set_index("skill_id").loc[
            "*", "n_postings"
        ] == 20  # fmt: skip

        # Said once, clearly, and the cells now describe the new database (September's as empty: no postings).
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1 and "another database" in warnings[0] and "2026-09 co-elempleo" in warnings[0]
        manifest = json.loads(paths.manifest.read_text(encoding="utf-8")) if paths.manifest else {}
        assert sorted(manifest["demand_cells_rebuilt"]) == sorted(f"{m} {s}" for m, s in CELLS)
        # The report itself says so, in its language (Spanish by default), not only the log.
        assert manifest["notes"] == paths.notes and any(
            note.startswith("4 celdas mes × fuente de la demanda guardadas venían de otra base de datos")
            for note in paths.notes
        ), paths.notes
        assert "4 celdas mes × fuente" in paths.html.read_text(encoding="utf-8")
        identity = database_identity(new)
        assert {cell_origin(base, *cell) for cell in CELLS} == {identity}
        assert read_cell(base, "2026-09", "co-computrabajo").postings.empty
        october = pd.read_parquet(table_path(base, "2026-10", "co-computrabajo")).set_index("skill_id")
        assert "cobol" not in october.index and october.loc["python", "n_with_skill"] == 15
    finally:
        new.close()


def test_cells_of_another_identity_or_layout_are_rebuilt(db: Database, settings: Settings) -> None:
    base = demand_base(settings.data_dir)
    _postings(db, "python", 12)
    _store_all(db, base)
    fresh = load_inputs(db, base, key=KEY, country="co")
    assert fresh.rebuilt == [] and fresh.not_stored == []
    assert int(fresh.inputs.postings["n_analysable"].sum()) == 24

    # A cell written before stored files carried their origin (no metadata) is not trusted either.
    month, source = CELLS[0]
    counts = read_cell(base, month, source).postings
    counts.assign(n_analysable=999).to_parquet(cell_folder(base, month, source) / "postings.parquet", index=False)
    untouched = cell_folder(base, *CELLS[3]) / "skills.parquet"
    before = untouched.stat().st_mtime_ns
    loaded = load_inputs(db, base, key=KEY, country="co")
    assert loaded.rebuilt == [CELLS[0]]
    assert int(loaded.inputs.postings["n_analysable"].sum()) == 24  # not 999
    assert untouched.stat().st_mtime_ns == before  # current cells are read, not rewritten

    # A restore gives the database a new identity: every stored cell is then another database's.
    renew_database_identity(db)
    again = load_inputs(db, base, key=KEY, country="co")
    assert sorted(again.rebuilt) == sorted(CELLS)
    assert load_inputs(db, base, key=KEY, country="co").rebuilt == []  # rebuilt once, then current
