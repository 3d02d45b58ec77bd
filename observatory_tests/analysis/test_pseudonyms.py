"""Posting ids and employers in the stored demand are keyed pseudonyms: stable per installation, not reversible."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import stat
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow.parquet as pq
import pytest
from sqlalchemy import text

from observatory.analysis.demand_store import (
    FRAME_COLUMNS,
    cell_stamp,
    demand_base,
    demand_inputs,
    load_inputs,
    read_cell,
    store_cell,
    stored_cells,
)
from observatory.analysis.pseudonyms import KEY_ENV, KEY_FILE, PseudonymKey, installation_key
from observatory.config import ConfigurationError, Settings, load_settings
from observatory.defs import analysis
from observatory.defs.resources import ObservatoryDatabase
from observatory.reporting import build_report
from observatory.storage import Database
from observatory.storage.identity import database_identity
from observatory_tests.analysis.builders import DataBuilder

PERSON = "María José Pérez Gómez"  # a natural person posting as an employer


@pytest.fixture(autouse=True)
def no_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)


def test_same_key_same_pseudonym_another_key_another() -> None:
    key, same, other = PseudonymKey(b"k" * 32), PseudonymKey(b"k" * 32), PseudonymKey(b"j" * 32)
    value = "computrabajo:8F1D2C"
    assert key.pseudonym(value) == same.pseudonym(value) and key.key_id == same.key_id
    assert key.pseudonym(value) != other.pseudonym(value) and key.key_id != other.key_id
    assert len(key.pseudonym(value)) == 32 and int(key.pseudonym(value), 16) >= 0
    assert key.pseudonym(value) != hashlib.md5(value.encode()).hexdigest()
    # Standard HMAC-SHA256, truncated: anyone holding the key can check a pseudonym with any HMAC tool.
    assert key.pseudonym(value) == hmac.new(b"k" * 32, value.encode(), hashlib.sha256).hexdigest()[:32]
    column = pd.Series([value, None, value, "acme"], index=[7, 8, 9, 10])
    hashed = key.pseudonyms(column)
    assert list(hashed.index) == [7, 8, 9, 10] and hashed[7] == hashed[9] == key.pseudonym(value)
    assert hashed[8] is None and hashed[10] == key.pseudonym("acme")
    assert "k" * 32 not in repr(key) and key.key_id in repr(key)


def test_key_file_is_made_once_private_and_kept(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "a", database_url=None)
    first = installation_key(settings)
    path = settings.data_dir / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert installation_key(load_settings(data_dir=tmp_path / "a", database_url=None)) == first  # a later run
    assert installation_key(load_settings(data_dir=tmp_path / "b", database_url=None)) != first  # another install
    path.chmod(0o644)
    assert installation_key(settings) == first and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(settings.data_dir.iterdir()) == [path]  # no temporary file left behind


def test_environment_key_wins_and_a_bad_key_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "a shared secret of this installation")
    settings = load_settings(data_dir=tmp_path, database_url=None)
    assert installation_key(settings) == PseudonymKey(b"a shared secret of this installation")
    assert not (tmp_path / KEY_FILE).exists()

    monkeypatch.setenv(KEY_ENV, "tiny-secret")
    with pytest.raises(ConfigurationError, match=f"{KEY_ENV} is too short") as caught:
        installation_key(load_settings(data_dir=tmp_path, database_url=None))
    assert "tiny-secret" not in str(caught.value)  # never echoed

    monkeypatch.setenv(KEY_ENV, "")  # what a compose file passes for an unset variable: the key file is used
    from_file = installation_key(load_settings(data_dir=tmp_path, database_url=None))
    assert from_file.secret == bytes.fromhex((tmp_path / KEY_FILE).read_text())

    monkeypatch.delenv(KEY_ENV)
    (tmp_path / KEY_FILE).write_text("not a key\n")
    with pytest.raises(ConfigurationError, match=r"is damaged .* remove it"):
        installation_key(load_settings(data_dir=tmp_path, database_url=None))


def _postings(db: Database) -> list[str]:
    b = DataBuilder(db)
    ids = []
    for month in ("2026-09", "2026-10"):
        for i in range(16):
            company = PERSON if i % 2 else f"Empresa {i % 5} S.A."
            ids.append(
                b.posting(
                    "co-computrabajo" if i % 4 else "co-elempleo",
                    month,
                    {"python": "required", "sql": None},
                    day=1 + i,
                    company=company,
                    salary_raw="$ 3.000.000 (Mensual)",
                )
            )
    b.save()
    return ids


def _stored_values(base: Path) -> tuple[set[str], list[bytes]]:
    """Every value of every stored demand file (the files are compressed: the bytes alone prove nothing)."""
    values: set[str] = set()
    metadata: list[bytes] = []
    for path in sorted(base.rglob("*.parquet")):
        schema_metadata = pq.read_schema(path).metadata or {}
        metadata.extend(k + b"=" + v for k, v in schema_metadata.items())
        frame = pd.read_parquet(path)
        values |= {str(v) for column in frame.columns for v in frame[column].tolist()}
        values |= set(frame.columns)
    return values, metadata


def test_stored_demand_holds_no_reversible_hash_and_no_key(db: Database, settings: Settings, tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    ids = _postings(db)
    base = demand_base(settings.data_dir)
    with caplog.at_level(logging.DEBUG):
        result = dg.materialize(
            [analysis.skill_demand],
            resources={"database": ObservatoryDatabase(data_dir=str(settings.data_dir))},
            tags={
                "dagster/asset_partition_range_start": "2026-09-01|co-computrabajo",
                "dagster/asset_partition_range_end": "2026-10-01|co-elempleo",
            },
            raise_on_error=True,
        )
        paths = build_report(db, settings, country="co", period="2026-10", out_dir=tmp_path / "out", pdf=False)
    key = installation_key(settings)
    secret_hex = (settings.data_dir / KEY_FILE).read_text().strip()
    assert bytes.fromhex(secret_hex) == key.secret

    values, metadata = _stored_values(base)
    # The pseudonyms are there (what the checks below look through is the right data) ...
    assert {key.pseudonym(i) for i in ids} <= values and key.pseudonym(PERSON.lower()) in values
    # ... and neither the ids, the name, nor their plain md5 (what anyone could recompute) are.
    plain = {*ids, PERSON, PERSON.lower(), *(hashlib.md5(v.encode()).hexdigest() for v in [*ids, PERSON.lower()])}
    assert not plain & values
    for stored in (*values, *(m.decode() for m in metadata)):
        assert secret_hex not in stored
    assert any(m == b"observatory.pseudonym_key_id=" + key.key_id.encode() for m in metadata)
    assert not any(key.secret in m for m in metadata)

    # Nor the report (its data, HTML, manifest), the logs or the asset's metadata.
    report_files = [p for p in paths.folder.rglob("*") if p.is_file()]
    assert paths.manifest in report_files
    for path in report_files:
        content = path.read_bytes()
        assert secret_hex.encode() not in content and key.secret not in content, path
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
            assert not {str(v) for c in frame.columns for v in frame[c].tolist()} & {secret_hex}, path
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert caplog.records and secret_hex not in logged
    materialised = json.dumps(
        [
            {k: str(v.value) for k, v in m.metadata.items()}
            for m in result.asset_materializations_for_node("skill_demand")
        ]
    )
    assert key.key_id in materialised and secret_hex not in materialised
    with db.engine.connect() as conn:  # nor the database: no table row holds it
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        leaks = [
            t
            for t in tables
            if conn.execute(
                text(f'SELECT count(*) FROM "{t}" x WHERE x::text LIKE :s'), {"s": f"%{secret_hex}%"}
            ).scalar()
        ]
    assert "postings" in tables and not leaks


def test_a_changed_key_rebuilds_the_stored_cells(db: Database, settings: Settings, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    ids = _postings(db)
    base = demand_base(settings.data_dir)
    first = installation_key(settings)
    assert load_inputs(db, base, key=first, country="co").not_stored  # nothing stored yet
    cells = stored_cells(base)
    assert cells == []
    # Store every cell under the installation key, as skill_demand does.
    for month in ("2026-09", "2026-10"):
        for source in ("co-computrabajo", "co-elempleo"):
            store_cell(base, month, source, demand_inputs(db, source=source, period=month, key=first),
                       identity=database_identity(db), key=first, language="es", min_cell=10)  # fmt: skip
    cells = stored_cells(base)
    assert load_inputs(db, base, key=first, country="co").rebuilt == []  # same key: stored cells are current

    monkeypatch.setenv(KEY_ENV, "the key this installation now uses")
    changed = load_settings(data_dir=settings.data_dir, database_url=None)
    second = installation_key(changed)
    assert second != first
    paths = build_report(db, changed, country="co", period="2026-10", out_dir=tmp_path / "out", pdf=False,
                         language="en")  # fmt: skip
    assert sorted(json.loads(paths.manifest.read_text())["demand_cells_rebuilt"]) == [f"{m} {s}" for m, s in cells]  # type: ignore[union-attr]
    assert any(n.startswith("4 stored month × source cells of demand came from") for n in paths.notes), paths.notes
    # Every stored pseudonym is now of the new key: none of the old key's is left to mix with.
    assert {cell_stamp(base, *cell) for cell in cells} == {(database_identity(db), second.key_id)}
    stored = {name: pd.concat([read_cell(base, *c).frames()[name] for c in cells]) for name in FRAME_COLUMNS}
    postings = set(stored["posting_skills"]["posting"]) | set(stored["salaries"]["posting"])
    assert postings == {second.pseudonym(i) for i in ids}
    assert set(stored["employers"]["employer"]) == {second.pseudonym(PERSON.lower())} | {
        second.pseudonym(f"empresa {i} s.a.") for i in range(5)
    }
