"""`observatory demo` materialises the real asset graph on the project's Dagster instance; a re-run adds nothing.

One test, two demos: the demo is the expensive part (about a minute on 2 cores), so every claim is checked on the
same pair of runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from observatory.cli import app
from observatory.config import Settings, get_settings
from observatory.definitions import build_definitions
from observatory.defs.runs import asset_status, project_instance
from observatory.storage import Database
from observatory.storage.models import Posting, SkillMention


@pytest.fixture()
def demo_env(db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield db
    get_settings.cache_clear()


def test_demo_materialises_every_asset_and_reruns_safely(demo_env: Database, settings: Settings) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "demo finished" in first.output
    # A run per stage over many partitions, never a run per partition (5 snapshot sources: one crawl run each).
    first_runs = _runs(first.output)
    assert first_runs <= 10, first.output
    with demo_env.session() as s:
        postings = s.scalar(select(func.count()).select_from(Posting))
        mentions = s.scalar(select(func.count()).select_from(SkillMention))
    assert postings and postings > 50
    assert mentions and mentions > postings
    assert list((settings.data_dir / "reports").rglob("report.pdf"))

    listing = runner.invoke(app, ["assets"])
    assert listing.exit_code == 0, listing.output
    assert "normalized_skills" in listing.output and "monthly_report" in listing.output
    # What the UI shows, read from the same instance: every asset materialised, no failed check.
    with project_instance(settings, demo_env.url) as instance:
        rows = asset_status(build_definitions(), instance)
    assert {r["asset"] for r in rows} >= {"esco_taxonomy", "raw_postings", "extracted_skills", "skill_demand"}
    for row in rows:
        assert row["materialised"] >= 1, row
        assert row["failed"] == 0 and "failed" not in row["checks"], row
    before = {r["asset"]: r for r in rows}

    second = runner.invoke(app, ["demo"])
    assert second.exit_code == 0, second.output
    assert "nothing new" in second.output
    assert _runs(second.output) < first_runs  # nothing downstream of the crawl runs again
    with project_instance(settings, demo_env.url) as instance:
        again = {r["asset"]: r for r in asset_status(build_definitions(), instance)}
    assert again["monthly_report"]["materialised"] == 1  # the all-countries report of the snapshot's month
    assert all(again[name]["last"] == row["last"] for name, row in before.items() if name.endswith("report")), again
    with demo_env.session() as s:
        assert s.scalar(select(func.count()).select_from(Posting)) == postings
        assert s.scalar(select(func.count()).select_from(SkillMention)) == mentions


def _runs(output: str) -> int:
    match = re.search(r"(\d+) Dagster runs", output)
    assert match, output
    return int(match.group(1))
