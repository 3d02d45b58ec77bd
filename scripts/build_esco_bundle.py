"""Build the ESCO bundle shipped inside the package (observatory/skills/data/esco/esco-<version>.json.gz).

The bundle holds what the extractor and the occupation coder need offline: every skill's preferred and
alternative labels (es + en) with its type, every occupation's Spanish labels with its ISCO-08 code, and
the ISCO-08 group names. Source: an ESCO CSV download (the v1.0 files of ../shared/esco by default).
This service uses the ESCO classification of the European Commission.

    python scripts/build_esco_bundle.py [ESCO_CSV_DIR] [--version 1.0]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "observatory" / "skills" / "data" / "esco"
SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"


def _rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _alts(value: str | None) -> list[str]:
    return [a.strip() for a in (value or "").splitlines() if a.strip()]


def build(csv_dir: Path, version: str, out_dir: Path = OUT_DIR) -> Path:
    skills: dict[str, list[object]] = {}
    for lang, name in (("es", "skills_es.csv"), ("en", "skills_en-us.csv")):
        path = csv_dir / name
        if not path.exists() and lang == "en":
            path = csv_dir / "skills_en.csv"
        for row in _rows(path):
            uri = row["conceptUri"]
            if not uri.startswith(SKILL_PREFIX) or row.get("status", "released") not in ("released", ""):
                continue
            record = skills.setdefault(uri[len(SKILL_PREFIX) :], [row.get("skillType") or "", "", [], "", []])
            offset = 1 if lang == "es" else 3
            record[offset] = row["preferredLabel"].strip()
            record[offset + 1] = _alts(row.get("altLabels"))
    occupations = [
        [
            r["conceptUri"][len(OCCUPATION_PREFIX) :],
            r["iscoGroup"],
            r["preferredLabel"].strip(),
            _alts(r.get("altLabels")),
        ]
        for r in _rows(csv_dir / "occupations_es.csv")
        if r["conceptUri"].startswith(OCCUPATION_PREFIX)
    ]
    isco = [[r["code"], r["preferredLabel"].strip()] for r in _rows(csv_dir / "ISCOGroups_es.csv")]
    bundle = {
        "version": version,
        "attribution": "This service uses the ESCO classification of the European Commission.",
        "skill_fields": ["id", "skillType", "es_preferred", "es_alternatives", "en_preferred", "en_alternatives"],
        "skills": [[key, *values] for key, values in sorted(skills.items())],
        "occupation_fields": ["id", "iscoGroup", "es_preferred", "es_alternatives"],
        "occupations": sorted(occupations),
        "isco_groups": sorted(isco),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"esco-{version}.json.gz"
    data = json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0: the same input gives the same bytes, so a rebuild leaves git clean.
    with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as handle:
        handle.write(data)
    print(
        f"{out}: {len(skills)} skills, {len(occupations)} occupations, {len(isco)} ISCO groups, "
        f"{out.stat().st_size / 1e6:.2f} MB"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv_dir", nargs="?", type=Path, default=ROOT.parent / "shared" / "esco" / "v1.0")
    parser.add_argument("--version", default="1.0")
    args = parser.parse_args()
    build(args.csv_dir, args.version)


if __name__ == "__main__":
    main()
