"""Where the start-up of `observatory extract` on one posting goes: wall and CPU of warm runs, and import time by
top-level package (``python -X importtime``) of one of them.

Runs in a fresh data directory (the first run builds the cache and is reported as cold). The same figures without
the breakdown come from ``benchmarks/extract.py --startup-only``; this script needs no ../shared.
Usage: ``python benchmarks/startup.py [--runs 10] [-- extra extract options, e.g. --occupation]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

POSTING = {
    "id": "startup-1",
    "title": "Analista contable Sr",
    "description": "Requisitos: experiencia en conciliaciones bancarias, liquidación de sueldos y NIIF. Manejo de "
    "Excel avanzado (tablas dinámicas) y SAP. Tareas: control de inventarios, atender a proveedores. Inglés "
    "intermedio. Ofrecemos: obra social y capacitación.",
}


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (the kernel's accounting of the child) and stderr of one command."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        errors.seek(0)
        text = errors.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{text[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, text


def import_times(stderr: str) -> dict[str, float]:
    """Self import time (seconds) by top-level package, from ``-X importtime`` lines."""
    by_package: dict[str, float] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        fields = line.removeprefix("import time:").split("|")
        if not fields[0].strip().isdigit():
            continue  # the header line
        package = fields[2].strip().split(".")[0]
        by_package[package] = by_package.get(package, 0.0) + int(fields[0]) / 1e6
    return by_package


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10, help="warm runs to time")
    parser.add_argument("--top", type=int, default=12, help="packages to list in the import breakdown")
    args, extra = parser.parse_known_args()
    extra = [a for a in extra if a != "--"]
    with tempfile.TemporaryDirectory() as tmp:
        source, output = Path(tmp) / "one.jsonl", Path(tmp) / "out.jsonl"
        source.write_text(json.dumps(POSTING, ensure_ascii=False) + "\n", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "OBSERVATORY_CACHE_DIR"}
        env["OBSERVATORY_DATA_DIR"] = str(Path(tmp) / "data")
        argv = [sys.executable, "-m", "observatory.cli", "extract", "-i", str(source), "-o", str(output), *extra]
        cold_wall, cold_cpu, _ = run(argv, env)
        warm = [run(argv, env)[:2] for _ in range(args.runs)]
        _, _, trace = run([sys.executable, "-X", "importtime", *argv[1:]], env)
    walls, cpus = [w for w, _ in warm], [c for _, c in warm]
    label = " ".join(["extract", *extra])
    print(
        f"`{label}` on one posting: cold {cold_wall:.1f} s wall ({cold_cpu:.1f} s CPU); warm median "
        f"{statistics.median(walls):.2f} s, best {min(walls):.2f} s wall; CPU median {statistics.median(cpus):.2f} s, "
        f"best {min(cpus):.2f} s (of {args.runs}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    packages = import_times(trace)
    print(f"imports of one warm run: {sum(packages.values()):.2f} s wall in {len(packages)} top-level packages")
    for name, seconds in sorted(packages.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {name:24s} {seconds:6.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
