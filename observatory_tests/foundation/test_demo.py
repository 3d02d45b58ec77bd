"""`observatory demo` end to end: crawl the snapshot, extract, embed, cluster, report — and re-run safely."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from observatory.cli import app
from observatory.config import Settings, get_settings
from observatory.storage import Database
from observatory.storage.models import Posting, SkillEmbedding, SkillMention


@pytest.fixture()
def demo_env(db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("OBSERVATORY_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield db
    get_settings.cache_clear()


def test_demo_runs_end_to_end_and_reruns_safely(demo_env: Database, tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--output", str(tmp_path)])
    assert first.exit_code == 0, first.output
    assert "demo finished" in first.output
    html = list(tmp_path.rglob("report.html"))
    pdf = list(tmp_path.rglob("report.pdf"))
    assert len(html) == 1 and len(pdf) == 1
    assert pdf[0].read_bytes().startswith(b"%PDF")
    assert list(tmp_path.rglob("*.csv")) and list(tmp_path.rglob("*.parquet"))
    with demo_env.session() as s:
        postings = s.scalar(select(func.count()).select_from(Posting))
        mentions = s.scalar(select(func.count()).select_from(SkillMention))
        vectors = s.scalar(select(func.count()).select_from(SkillEmbedding))
    assert postings and postings > 50
    assert mentions and mentions > postings
    assert vectors and vectors > 20

    second = runner.invoke(app, ["demo", "--output", str(tmp_path)])
    assert second.exit_code == 0, second.output
    assert "extract 0 new postings" in second.output
    assert "0 skills encoded" in second.output
    with demo_env.session() as s:
        assert s.scalar(select(func.count()).select_from(Posting)) == postings
        assert s.scalar(select(func.count()).select_from(SkillMention)) == mentions
