"""Generated posting files for the ingest benchmark and the hostile-input tests: a large export, a landing file
with an oversize line, and a gzip bomb.

Kept in the package (not in ``benchmarks/``, which is a folder of scripts) so that the benchmark and the tests
build their files from one generator, and a user can reproduce a benchmark's input.
"""

from __future__ import annotations

import gzip
import json
import random
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_WORDS = (
    "python sql excel ventas atención cliente logística inventario contabilidad impuestos java docker kubernetes "
    "liderazgo comunicación inglés avanzado soporte técnico redes linux windows marketing digital diseño gráfico "
    "enfermería farmacia cocina mantenimiento eléctrico mecánica soldadura conducción licencia reparto almacén "
    "recursos humanos nómina selección capacitación calidad iso auditoría finanzas tesorería cobranzas crédito"
).split()
_TITLES = ("Analista", "Desarrollador", "Vendedor", "Asistente", "Técnico", "Jefe", "Operario", "Ejecutivo")
# The field map of :func:`write_export`'s columns (``observatory ingest --map field=column``).
EXPORT_FIELDS = {
    "native_id": "id",
    "title": "titulo",
    "company": "empresa",
    "description": "texto",
    "date_posted": "fecha",
    "salary": "sueldo",
    "location": "ubicacion",
    "url": "https://x.test/empleos/{id}.html",
}


def _export_rows(rows: int, seed: int) -> Iterator[dict[str, Any]]:
    """Varied titles and texts over six months; every 200th row repeats an earlier id (0.5 %)."""
    rng = random.Random(seed)
    for n in range(rows):
        native = 10_000_000 + (n if n % 200 else n // 2)
        words = rng.choices(_WORDS, k=90)
        yield {
            "id": str(native),
            "titulo": f"{rng.choice(_TITLES)} de {' '.join(words[:2])}",
            "empresa": f"Empresa {rng.randrange(20_000)} SA",
            "texto": "Requisitos: " + ", ".join(words[2:40]) + ".\nFunciones: " + " ".join(words[40:]) + ".",
            "fecha": f"2025-{rng.randrange(6, 12):02d}-{rng.randrange(1, 29):02d}",
            "sueldo": f"$ {rng.randrange(400, 3000)}.000" if n % 3 == 0 else "",
            "ubicacion": rng.choice(("Capital Federal, Buenos Aires", "Córdoba, Córdoba", "Rosario, Santa Fe")),
            "area": rng.choice(("ventas", "tecnologia", "salud")),
        }


def write_export(path: Path, rows: int, seed: int = 7) -> Path:
    """``rows`` postings as gzipped JSON lines, in the columns of :data:`EXPORT_FIELDS`."""
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=3) as fh:
        for row in _export_rows(rows, seed):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def write_landing_file(path: Path, rows: int, oversize_mb: int = 50, seed: int = 7) -> Path:
    """``rows`` raw ``ar-bumeran`` items as a crawl lands them (JSON lines), with one line of ``oversize_mb`` MB
    in the middle, which the loader must refuse without holding it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for n, row in enumerate(_export_rows(rows, seed)):
            if n == rows // 2 and oversize_mb:
                fh.write('{"source_key": "ar-bumeran", "native_id": "1", "description_text": "')
                for _ in range(oversize_mb):
                    fh.write("x" * (1 << 20))
                fh.write('"}\n')
            item = {
                "source_key": "ar-bumeran",
                "native_id": row["id"],
                "url": f"https://x.test/empleos/{row['id']}.html",
                "title": row["titulo"],
                "company": row["empresa"],
                "description_text": row["texto"],
                "date_posted_raw": row["fecha"],
                "salary_raw": row["sueldo"],
                "location_raw": row["ubicacion"],
            }
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def write_json_lines(path: Path, lines: list[dict[str, Any] | str | bytes]) -> Path:
    """One line per entry: a dict as JSON, a string as it is, bytes as they are (to write what is not UTF-8)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        for line in lines:
            if isinstance(line, dict):
                line = json.dumps(line, ensure_ascii=False)
            fh.write((line.encode("utf-8") if isinstance(line, str) else line) + b"\n")
    return path


def write_gzip_bomb(path: Path, megabytes: int) -> Path:
    """A gzip of ``megabytes`` MB of zeros inside one JSON line: about 1,000 times smaller than what it expands to.

    Written a block at a time, so making a large bomb takes no more memory than a small one.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip header and trailer
    block = b"\0" * (1 << 20)
    with path.open("wb") as fh:
        fh.write(compressor.compress(b'{"id": "1", "titulo": "'))
        for _ in range(megabytes):
            fh.write(compressor.compress(block))
        fh.write(compressor.compress(b'"}\n') + compressor.flush())
    return path
