"""How well natural-person employers are told from companies, on the real Computrabajo Ecuador export.

Every one of the 903 distinct employer names of ``../shared/postings/computrabajo_ec_2024.csv.gz`` was read
and labelled person or company; the labels are stored as hashes of the names
(``observatory_tests/analysis/data/ec_employer_labels.tsv``), never the names. The script prints, per sample
(``tune``: read while the rules were written; ``heldout_a``, ``heldout_b``: read after), the confusion of
:func:`observatory.reporting.privacy.is_natural_person` against those labels: persons published by name
(false negatives, the harm to avoid) and companies hidden as "particular" (false positives).

Usage: ``python benchmarks/employer_privacy.py``
"""

from __future__ import annotations

import csv
import hashlib
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from observatory.reporting.privacy import is_natural_person
from observatory.skills.real_postings import MissingPostingsError, shared_postings_file

ROOT = Path(__file__).resolve().parents[1]
EXPORT = "computrabajo_ec_2024.csv.gz"  # in the real postings folder (OBSERVATORY_REAL_POSTINGS_DIR)
LABELS = ROOT / "observatory_tests" / "analysis" / "data" / "ec_employer_labels.tsv"


def name_key(name: str) -> str:
    """The stored key of an employer name: sha256 of the whitespace-normalised name, 16 hex digits."""
    return hashlib.sha256(" ".join(name.split()).encode()).hexdigest()[:16]


def load_labels() -> dict[str, tuple[str, str]]:
    """``{key: (label, sample)}`` from the labels file."""
    with LABELS.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {r["name_sha256"]: (r["label"], r["sample"]) for r in rows}


def confusion(names: list[str], labels: dict[str, tuple[str, str]]) -> dict[str, Counter[str]]:
    """Per sample (and ``all``): counts of tp, fn (person published), fp (company hidden), tn, unlabelled."""
    out: dict[str, Counter[str]] = {}
    for name in names:
        label, sample = labels.get(name_key(name), ("", "unlabelled"))
        predicted = is_natural_person(name, "computrabajo")
        if not label:
            cell = "unlabelled"
        elif label == "person":
            cell = "tp" if predicted else "fn"
        else:
            cell = "fp" if predicted else "tn"
        for key in (sample, "all"):
            out.setdefault(key, Counter())[cell] += 1
    return out


def main() -> int:
    try:
        export = shared_postings_file(EXPORT)
    except MissingPostingsError as exc:
        raise SystemExit(f"error: {exc}") from None
    names = pd.read_csv(export, usecols=["empresa"])["empresa"].dropna().drop_duplicates().tolist()
    table = confusion(names, load_labels())
    print(f"{len(names)} distinct employers in {export.name}")
    header = ("sample", "names", "persons", "found", "missed", "recall", "hidden co.", "FP rate")
    print(f"{header[0]:<11}" + "".join(f"{h:>{max(7, len(h) + 1)}}" for h in header[1:]))
    for sample in ("tune", "heldout_a", "heldout_b", "all"):
        c = table.get(sample, Counter())
        persons, companies = c["tp"] + c["fn"], c["fp"] + c["tn"]
        recall = c["tp"] / persons if persons else float("nan")
        fp_rate = c["fp"] / companies if companies else float("nan")
        total = sum(c.values())
        print(f"{sample:<11}{total:>7}{persons:>8}{c['tp']:>7}{c['fn']:>7}{recall:>7.3f}{c['fp']:>11}{fp_rate:>8.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
