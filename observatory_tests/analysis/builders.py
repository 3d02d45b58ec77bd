"""A small builder of analysis test data: postings, canonical skills, mentions and extraction runs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from observatory.sources import SOURCES
from observatory.storage import Database, posting_id, upsert
from observatory.storage.models import CanonicalSkill, ExtractionRun, Posting, SkillMention

# Long enough to count as analysable text; pass ``description=None`` for a title-only posting.
DESCRIPTION = "Importante empresa requiere profesional con experiencia para unirse a su equipo de trabajo."


@dataclass
class DataBuilder:
    """Collects rows, then writes them in one transaction with :meth:`save`."""

    db: Database
    extractor_version: str = "test-1"
    postings: list[dict[str, Any]] = field(default_factory=list)
    skills: dict[str, dict[str, Any]] = field(default_factory=dict)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)
    _n: int = 0

    def skill(self, skill_id: str, name: str | None = None, name_en: str | None = None) -> str:
        self.skills.setdefault(
            skill_id, {"id": skill_id, "name": name or skill_id, "name_es": name or skill_id, "name_en": name_en}
        )
        return skill_id

    def posting(
        self,
        source: str = "co-computrabajo",
        month: str = "2026-10",
        skills: dict[str, str | None] | None = None,
        *,
        day: int = 15,
        region: str | None = None,
        title: str = "Analista de datos",
        description: str | None = DESCRIPTION,
        duplicate_of: str | None = None,
        analysed: bool = True,
        extractor_version: str | None = None,
        **extra: Any,
    ) -> str:
        """Add a posting with ``skills`` = {skill_id: importance}; returns its id.

        ``company`` (through ``extra``) is the employer; without one each posting is its own employer.
        """
        self._n += 1
        src = SOURCES[source]
        native = f"n{self._n}"
        pid = posting_id(src.portal, native)
        year, mon = (int(x) for x in month.split("-"))
        self.postings.append(
            {
                "id": pid,
                "source_key": source,
                "portal": src.portal,
                "country": src.country,
                "native_id": native,
                "title": title,
                "description": description,
                "region": region,
                "date_posted": datetime(year, mon, day, 12, tzinfo=UTC),
                "content_hash": hashlib.sha256(f"{pid}{title}".encode()).hexdigest(),
                "duplicate_of": duplicate_of,
                "raw": {},
                **extra,
            }
        )
        version = extractor_version or self.extractor_version
        for i, (skill_id, importance) in enumerate((skills or {}).items()):
            self.skill(skill_id)
            self.mentions.append(
                {
                    "posting_id": pid,
                    "skill_id": skill_id,
                    "start": i * 10,
                    "end": i * 10 + 5,
                    "surface": skill_id,
                    "method": "test",
                    "importance": importance,
                    "confidence": 1.0,
                    "extractor_version": version,
                }
            )
        if analysed:
            self.runs.append({"posting_id": pid, "extractor_version": version, "mentions": len(skills or {})})
        return pid

    def save(self) -> None:
        with self.db.session() as session:
            if self.skills:
                upsert(session, CanonicalSkill, list(self.skills.values()), conflict=["id"], update=[])
            # Canonical postings before their duplicates (foreign key on duplicate_of).
            ordered = sorted(self.postings, key=lambda p: p["duplicate_of"] is not None)
            columns = sorted({k for p in ordered for k in p})
            rows = [{c: p.get(c) for c in columns} for p in ordered]
            if rows:
                upsert(session, Posting, rows, conflict=["id"])
            if self.mentions:
                upsert(
                    session,
                    SkillMention,
                    self.mentions,
                    conflict=["posting_id", "skill_id", "start", "end", "extractor_version"],
                )
            if self.runs:
                upsert(session, ExtractionRun, self.runs, conflict=["posting_id", "extractor_version"])
        self.postings, self.mentions, self.runs = [], [], []


# Skill families of invented but realistic Colombian postings (id: Spanish name, English name).
FAMILIES: dict[str, dict[str, tuple[str, str]]] = {
    "datos": {
        "python": ("Python", "Python"),
        "sql": ("SQL", "SQL"),
        "power-bi": ("Power BI", "Power BI"),
        "analisis-datos": ("análisis de datos", "data analysis"),
        "estadistica": ("estadística", "statistics"),
        "excel-avanzado": ("Excel avanzado", "advanced Excel"),
        "machine-learning": ("aprendizaje automático", "machine learning"),
    },
    "comercial": {
        "ventas": ("ventas", "sales"),
        "atencion-cliente": ("atención al cliente", "customer service"),
        "negociacion": ("negociación", "negotiation"),
        "crm": ("gestión de clientes CRM", "CRM"),
        "telemercadeo": ("telemercadeo", "telemarketing"),
        "servicio-posventa": ("servicio posventa", "after-sales service"),
    },
    "contable": {
        "contabilidad": ("contabilidad", "accounting"),
        "nomina": ("liquidación de nómina", "payroll"),
        "facturacion": ("facturación electrónica", "electronic invoicing"),
        "impuestos": ("declaración de impuestos", "tax returns"),
        "niif": ("normas NIIF", "IFRS standards"),
        "tesoreria": ("tesorería", "treasury"),
    },
    "logistica": {
        "montacargas": ("manejo de montacargas", "forklift operation"),
        "inventarios": ("control de inventarios", "inventory control"),
        "bodega": ("almacenamiento en bodega", "warehousing"),
        "despachos": ("despachos y distribución", "dispatch and distribution"),
        "licencia-c2": ("licencia de conducción C2", "C2 driving licence"),
        "cadena-suministro": ("cadena de suministro", "supply chain"),
    },
}
REGIONS = ("Bogotá D.C.", "Antioquia", "Valle del Cauca", "Atlántico", "Santander")


def realistic_postings(
    b: DataBuilder, months: tuple[str, ...] = ("2026-08", "2026-09", "2026-10"), per_month: int = 60
) -> None:
    """Postings of four families over ``months``; Power BI rises sharply in the last month."""
    import random

    rng = random.Random(11)
    for family in FAMILIES.values():
        for skill_id, (es, en) in family.items():
            b.skill(skill_id, es, en)
    titles = {
        "datos": "Analista de datos",
        "comercial": "Asesor comercial",
        "contable": "Auxiliar contable",
        "logistica": "Auxiliar de bodega",
    }
    for m, month in enumerate(months):
        for i in range(per_month):
            family = list(FAMILIES)[i % 4]
            members = list(FAMILIES[family])
            chosen = rng.sample(members, 3)
            if family == "datos" and m == len(months) - 1 and "power-bi" not in chosen:
                chosen[0] = "power-bi"  # the emerging skill
            if family == "datos" and m < len(months) - 1 and "power-bi" in chosen:
                chosen.remove("power-bi")
            skills = {s: ("required" if k == 0 else rng.choice(["desirable", None])) for k, s in enumerate(chosen)}
            salary = {}
            if i % 3 == 0:
                base = {"datos": 4_500_000, "comercial": 1_800_000, "contable": 2_400_000, "logistica": 1_600_000}[
                    family
                ]
                salary = {
                    "salary_min": base,
                    "salary_max": base + 600_000,
                    "salary_currency": "COP",
                    "salary_period": "month",
                }
            b.posting(
                "co-computrabajo" if i % 5 else "co-elempleo",
                month,
                skills,
                day=1 + i % 27,
                region=REGIONS[i % len(REGIONS)],
                title=f"{titles[family]} {i + 1}",
                company=f"Empresa {chr(65 + i % 20)} S.A.S.",
                **salary,
            )
