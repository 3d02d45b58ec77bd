"""The occupation part of `observatory eval --real`: the coder's scores on the validated tune and test sets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from observatory.skills.extractor import SkillExtractor
    from observatory.skills.occupation_evaluation import OccupationScores


def _figures(s: OccupationScores) -> tuple[str, str, str, str]:
    """Postings, 2-digit and 4-digit accuracy and unknown share of one row of the table."""
    return (
        str(s.postings), f"{s.accuracy_2:.1%} ({s.correct_2})", f"{s.accuracy_4:.1%} of {s.with_4}",
        f"{s.unknown_share:.1%} ({s.unknown})",
    )  # fmt: skip


def print_occupation_sets(
    console: Console, extractor: SkillExtractor | None = None, errors: bool = False, held_out: bool = True
) -> None:
    """ISCO-08 2-digit accuracy and unknown share on each validated set. The held-out sets are scored only when
    ``held_out`` (a tuning run shows tune and dev alone), and their postings are never listed one by one: a
    listed error is a rule someone would write."""
    from observatory.skills.occupation_evaluation import (
        HELD_OUT,
        OCCUPATION_SETS,
        POOLED,
        SET_ASIDE,
        OccupationScores,
        evaluate_occupation_set,
    )

    table = Table(
        "set", "file", "postings", "ISCO 2-digit right", "ISCO 4-digit right", "unknown",
        title="occupation coding on validated sets (tune: rules adjusted on it; test: held out)",
    )  # fmt: skip
    shown = False
    pooled = OccupationScores()
    for name in OCCUPATION_SETS:
        if name in HELD_OUT and not held_out:
            continue
        with console.status(f"coding the occupation {name} set…"):
            scores = evaluate_occupation_set(name, extractor=extractor)
        for key, s in sorted(scores.items(), key=lambda kv: (kv[0] != "all", kv[0])):
            shown = True
            table.add_row(name, key, *_figures(s))
        if name in POOLED and "all" in scores:
            whole = scores["all"]
            pooled.postings += whole.postings
            pooled.correct_2 += whole.correct_2
            pooled.correct_4 += whole.correct_4
            pooled.with_4 += whole.with_4
            pooled.unknown += whole.unknown
        if errors and "all" in scores and name not in HELD_OUT:
            for item, code in scores["all"].errors:
                if item.split in SET_ASIDE:  # set aside to show whether rules transfer: never listed
                    continue
                got = f"{code.isco_code} {code.label}" if code.isco_code else f"unknown ({code.reason})"
                console.print(f"[bold]{name}[/] {item.title!r}: reader {item.isco_4 or item.isco_2}, coder {got}")
    if pooled.postings:
        table.add_row(" + ".join(POOLED), "held out, pooled", *_figures(pooled))
    if shown:
        console.print(table)
    else:
        from observatory.skills.real_postings import REAL_POSTINGS_ENV, shared_postings_dir

        console.print(
            f"occupation sets: the postings they name are not in {shared_postings_dir()} ({REAL_POSTINGS_ENV}), "
            "so no ISCO accuracy"
        )
