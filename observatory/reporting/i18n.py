"""Report wording in Spanish and English; templates look texts up by key."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "es": {
        "default_title": "Observatorio laboral: demanda de habilidades",
        "scope_all": "todos los países",
        "scope": "Ámbito",
        "period": "Periodo",
        "previous": "comparado con",
        "generated": "Generado",
        "postings": "Avisos analizados (sin duplicados)",
        "skills_seen": "Habilidades distintas",
        "emerging_count": "Habilidades emergentes",
        "method_title": "Cómo leer este informe",
        "method": (
            "La participación de una habilidad es la proporción de avisos analizados del periodo que la mencionan. "
            "Un aviso publicado en varios portales cuenta una sola vez. «Requerida» y «deseable» se miden por "
            "separado. Una habilidad es emergente cuando su participación sube respecto del mes anterior con "
            "significancia estadística (prueba de dos proporciones o exacta de Fisher, corrección de "
            "Benjamini–Hochberg, q ≤ {alpha}) y aparece en al menos {min_count} avisos."
        ),
        "top_skills": "Habilidades más demandadas",
        "top_skills_note": "Participación en los avisos del periodo, por importancia.",
        "trends": "Evolución mensual",
        "trends_note": "Participación mensual de las habilidades más demandadas.",
        "emerging": "Habilidades emergentes",
        "emerging_note": "Cambio en puntos porcentuales frente al mes anterior; en color, los cambios significativos.",
        "by_region": "Habilidades por región",
        "by_region_note": "Participación de cada habilidad en los avisos de cada región.",
        "clusters": "Mapa de familias de habilidades",
        "clusters_note": "Proyección UMAP de los vectores de habilidades; color: grupo HDBSCAN (gris: sin grupo).",
        "cooccurrence": "Habilidades que se piden juntas",
        "cooccurrence_note": "Número de avisos que mencionan ambas habilidades.",
        "salaries": "Salarios por habilidad",
        "salaries_note": "Mediana y rango intercuartílico del punto medio salarial publicado, por moneda y periodo.",
        "examples": "Avisos de ejemplo",
        "title_col": "Título",
        "company_col": "Empresa",
        "portal_col": "Portal",
        "skills_col": "Habilidades",
        "skill": "Habilidad",
        "share": "Participación",
        "month": "Mes",
        "region": "Región",
        "measure": "Importancia",
        "required": "requerida",
        "desirable": "deseable",
        "unspecified": "sin especificar",
        "delta_pp": "Cambio (p.p.)",
        "significant": "significativo",
        "not_significant": "no significativo",
        "together": "Avisos en común",
        "cluster": "Grupo",
        "noise": "sin grupo",
        "other_clusters": "otros grupos",
        "median": "Mediana",
        "no_data": "Sin datos para este periodo.",
        "data_files": "Datos de cada gráfico (CSV y Parquet)",
        "notes": "Observaciones",
    },
    "en": {
        "default_title": "Labour market observatory: skill demand",
        "scope_all": "all countries",
        "scope": "Scope",
        "period": "Period",
        "previous": "compared with",
        "generated": "Generated",
        "postings": "Postings analysed (duplicates removed)",
        "skills_seen": "Distinct skills",
        "emerging_count": "Emerging skills",
        "method_title": "How to read this report",
        "method": (
            "A skill's share is the proportion of the period's analysed postings that mention it. A posting "
            "published on several portals counts once. Required and desirable mentions are measured separately. "
            "A skill is emerging when its share rises from the previous month with statistical significance "
            "(two-proportion or Fisher's exact test, Benjamini–Hochberg correction, q ≤ {alpha}) and it appears "
            "in at least {min_count} postings."
        ),
        "top_skills": "Most demanded skills",
        "top_skills_note": "Share of the period's postings, by importance.",
        "trends": "Monthly trends",
        "trends_note": "Monthly share of the most demanded skills.",
        "emerging": "Emerging skills",
        "emerging_note": "Change in percentage points from the previous month; coloured when significant.",
        "by_region": "Skills by region",
        "by_region_note": "Share of each skill in each region's postings.",
        "clusters": "Map of skill families",
        "clusters_note": "UMAP projection of the skill vectors; colour: HDBSCAN cluster (grey: no cluster).",
        "cooccurrence": "Skills asked for together",
        "cooccurrence_note": "Number of postings that mention both skills.",
        "salaries": "Salaries by skill",
        "salaries_note": "Median and interquartile range of the published salary midpoint, by currency and period.",
        "examples": "Example postings",
        "title_col": "Title",
        "company_col": "Company",
        "portal_col": "Portal",
        "skills_col": "Skills",
        "skill": "Skill",
        "share": "Share",
        "month": "Month",
        "region": "Region",
        "measure": "Importance",
        "required": "required",
        "desirable": "desirable",
        "unspecified": "unspecified",
        "delta_pp": "Change (pp)",
        "significant": "significant",
        "not_significant": "not significant",
        "together": "Postings together",
        "cluster": "Cluster",
        "noise": "no cluster",
        "other_clusters": "other clusters",
        "median": "Median",
        "no_data": "No data for this period.",
        "data_files": "Data behind each chart (CSV and Parquet)",
        "notes": "Notes",
    },
}


def texts(language: str, **values: Any) -> dict[str, str]:
    """The texts of ``language`` with ``{placeholders}`` filled from ``values``."""
    if language not in TEXTS:
        raise ValueError(f"report language must be one of {sorted(TEXTS)}, got {language!r}")
    return {k: v.format(**values) if "{" in v else v for k, v in TEXTS[language].items()}
