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
        "postings": "Avisos analizables (sin duplicados)",
        "skills_seen": "Habilidades distintas",
        "emerging_count": "Habilidades emergentes",
        "method_title": "Cómo leer este informe",
        "cluster_none": "Grupos de habilidades: {skills} habilidades sin estructura de grupos ({reason}).",
        "cluster_quality": (
            "Grupos de habilidades: {clusters} grupos ({subclusters} subgrupos) sobre {skills} habilidades con "
            "vectores del modelo {model}; calidad DBCV {dbcv}, silueta {silhouette}; {noise} de las habilidades "
            "quedan sin grupo (ruido)."
        ),
        "method": (
            "La participación de una habilidad es la proporción de avisos analizables del periodo (con descripción) "
            "que la mencionan, publicada con su numerador, su denominador y un intervalo de confianza del 95 % "
            "(Wilson); los avisos solo con título se cuentan aparte. Un aviso publicado en varios portales cuenta "
            "una sola vez. «Requerida» y «deseable» se miden por separado. Una habilidad es emergente cuando su "
            "participación sube respecto del mes anterior con significancia estadística (prueba de dos proporciones "
            "o exacta de Fisher, corrección de Benjamini–Hochberg, q ≤ {alpha}), con cada empleador limitado a "
            "{employer_cap} avisos por mes, y aparece en al menos {min_count} avisos de al menos {min_employers} "
            "empleadores. Las celdas con menos de {min_cell} avisos se muestran en gris. Los salarios se convierten "
            "a montos mensuales en la moneda del aviso."
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
        "cooccurrence_note": "Lift: cuántas veces más se piden juntas que si fueran independientes (1 = azar).",
        "salaries": "Salarios por habilidad",
        "salaries_note": (
            "Mediana y rango intercuartílico del salario mensual (punto "
            "medio), por moneda; en gris, menos de {min_cell} avisos."
        ),
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
        "n_with_skill": "Avisos con la habilidad",
        "n_postings": "Avisos analizables",
        "ci_low": "IC 95 % inferior",
        "ci_high": "IC 95 % superior",
        "share_ci": "Participación (línea: IC 95 %)",
        "status": "Prueba",
        "prev_n_with_skill": "Avisos con la habilidad (mes anterior)",
        "prev_n_postings": "Avisos analizables (mes anterior)",
        "employers": "Empleadores",
        "postings_axis": "Avisos analizables",
        "country": "País",
        "lift": "Lift",
        "all_postings": "(todos los avisos)",
        "monthly_salary": "Salario mensual",
        "regions": "Avisos por región",
        "regions_note": (
            "Avisos analizables del periodo por región (n y % del total); en gris, regiones con menos de {min_cell}."
        ),
        "countries": "Mapa de avisos por país",
        "countries_note": "Avisos analizables del periodo por país (Natural Earth 1:110m).",
        "summary": (
            "{n_postings} avisos analizables de {portals}, publicados entre el {first_date} y el {last_date}; "
            "{n_title_only} avisos solo con título se cuentan aparte y no entran en ninguna participación."
        ),
        "comparison_complete": "La comparación con {previous} usa meses completos.",
        "comparison_days": (
            "El mes está incompleto: la comparación usa los días 1 a {days} de {period} y de {previous}."
        ),
        "salary_summary": (
            "{n_with_salary} de {n_all} avisos ({share}) publican un salario utilizable; {unparsed} no se pudieron "
            "leer y {implausible} quedaron fuera por inverosímiles (fuera de {low}–{high} veces el salario mínimo)."
        ),
        "emerging_headline": "{emerging} de {tested} habilidades evaluadas",
        "suppressed_note": "Celdas con menos de {min_cell} avisos: en gris, sin participación publicada.",
        "note_no_postings": "no hay avisos analizados en {scope} para {period}",
        "note_small_sample": (
            "muestra pequeña: {n} avisos analizables en {period} (menos de {minimum}); las participaciones son "
            "inciertas, vea los intervalos"
        ),
        "note_title_only": (
            "{n} avisos solo con título en {period} se cuentan aparte y no entran en ninguna participación"
        ),
        "note_partial_month": (
            "mes incompleto: los datos de {period} terminan el día {days}; se comparan con los días 1–{days} de "
            "{previous}"
        ),
        "note_no_previous": "no hay avisos analizados en {scope} para {previous}: no se puede evaluar el crecimiento",
        "note_latest": (
            "periodo más reciente = {period}, el último mes completo con al menos {minimum} avisos analizables "
            "({newest} está incompleto o tiene pocos avisos)"
        ),
        "note_no_complete_month": (
            "ningún mes completo tiene {minimum} avisos analizables; el informe usa {period}: lea sus "
            "participaciones con cautela"
        ),
        "note_unparsed_salaries": "{n} salarios no se pudieron leer y quedan fuera",
        "note_implausible_salaries": "{n} salarios inverosímiles (fuera de los límites fijados por país) quedan fuera",
        "note_greyed_regions": "{n} celdas de región con menos de {min_cell} avisos se muestran en gris",
        "note_not_stored": (
            "{n} celdas mes × fuente de la demanda no estaban materializadas (skill_demand) y se calcularon "
            "desde la base de datos"
        ),
        "warning": "aviso",
        "report_version": "informe",
        "private_employer": "particular",
        "brands_summary": "Avisos analizables por marca: {brands}.",
        "methods_summary": (
            "Origen de las menciones de las habilidades más demandadas (avisos): descripción {text}, título "
            "{title}; etiquetas del empleador en el portal {tag}, que no cuentan como demanda."
        ),
        "cluster_too_few": "muy pocas habilidades para agrupar: {n} < {minimum}",
        "cluster_no_structure": (
            "sin estructura de grupos: la mejor silueta es {silhouette} < {minimum}, o hay menos de 2 grupos"
        ),
    },
    "en": {
        "default_title": "Labour market observatory: skill demand",
        "scope_all": "all countries",
        "scope": "Scope",
        "period": "Period",
        "previous": "compared with",
        "generated": "Generated",
        "postings": "Analysable postings (duplicates removed)",
        "skills_seen": "Distinct skills",
        "emerging_count": "Emerging skills",
        "method_title": "How to read this report",
        "cluster_none": "Skill clusters: {skills} skills without cluster structure ({reason}).",
        "cluster_quality": (
            "Skill clusters: {clusters} clusters ({subclusters} sub-clusters) over {skills} skills with vectors of "
            "the {model} model; quality DBCV {dbcv}, silhouette {silhouette}; {noise} of the skills stay "
            "unclustered (noise)."
        ),
        "method": (
            "A skill's share is the proportion of the period's analysable postings (with a description) that "
            "mention it, published with its numerator, denominator and a 95 % Wilson interval; title-only postings "
            "are counted apart. A posting published on several portals counts once. Required and desirable mentions "
            "are measured separately. A skill is emerging when its share rises from the previous month with "
            "statistical significance (two-proportion or Fisher's exact test, Benjamini–Hochberg correction, "
            "q ≤ {alpha}), each employer capped at {employer_cap} postings a month, and it appears in at least "
            "{min_count} postings from at least {min_employers} employers. Cells with fewer than {min_cell} postings "
            "are greyed out. Salaries are converted to monthly amounts in the posting's currency."
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
        "cooccurrence_note": "Lift: how many times more often asked for together than by chance (1 = chance).",
        "salaries": "Salaries by skill",
        "salaries_note": (
            "Median and interquartile range of the monthly salary (midpoint), "
            "by currency; grey: fewer than {min_cell} postings."
        ),
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
        "n_with_skill": "Postings with the skill",
        "n_postings": "Analysable postings",
        "ci_low": "95 % CI low",
        "ci_high": "95 % CI high",
        "share_ci": "Share (line: 95 % CI)",
        "status": "Test",
        "prev_n_with_skill": "Postings with the skill (previous month)",
        "prev_n_postings": "Analysable postings (previous month)",
        "employers": "Employers",
        "postings_axis": "Analysable postings",
        "country": "Country",
        "lift": "Lift",
        "all_postings": "(all postings)",
        "monthly_salary": "Monthly salary",
        "regions": "Postings by region",
        "regions_note": "The period's analysable postings by region (n and % of all); grey: fewer than {min_cell}.",
        "countries": "Map of postings by country",
        "countries_note": "The period's analysable postings by country (Natural Earth 1:110m).",
        "summary": (
            "{n_postings} analysable postings from {portals}, posted between {first_date} and {last_date}; "
            "{n_title_only} title-only postings are counted apart and enter no share."
        ),
        "comparison_complete": "The comparison with {previous} uses complete months.",
        "comparison_days": (
            "The month is partial: the comparison uses days 1 to {days} of both {period} and {previous}."
        ),
        "salary_summary": (
            "{n_with_salary} of {n_all} postings ({share}) publish a usable salary; {unparsed} could not be read and "
            "{implausible} were left out as implausible (outside {low}–{high} times the minimum wage)."
        ),
        "emerging_headline": "{emerging} of {tested} skills tested",
        "suppressed_note": "Cells with fewer than {min_cell} postings: grey, no share published.",
        "note_no_postings": "no analysed postings in {scope} for {period}",
        "note_small_sample": (
            "small sample: {n} analysable postings in {period} (fewer than {minimum}); shares are uncertain, "
            "see the intervals"
        ),
        "note_title_only": "{n} title-only postings in {period} are counted apart and left out of every skill share",
        "note_partial_month": (
            "partial month: the data for {period} ends on day {days}; it is compared with days 1–{days} of {previous}"
        ),
        "note_no_previous": "no analysed postings in {scope} for {previous}: growth cannot be tested",
        "note_latest": (
            "latest period = {period}, the latest complete month with at least {minimum} analysable postings "
            "({newest} is partial or too small)"
        ),
        "note_no_complete_month": (
            "no complete month has {minimum} analysable postings; the report uses {period}, read its shares with care"
        ),
        "note_unparsed_salaries": "{n} salaries could not be read and are left out",
        "note_implausible_salaries": "{n} implausible salaries (outside the bounds set per country) are left out",
        "note_greyed_regions": "{n} region cells over fewer than {min_cell} postings are greyed out",
        "note_not_stored": (
            "{n} month × source cells of demand were not materialised (skill_demand) and were computed from the "
            "database"
        ),
        "warning": "warning",
        "report_version": "report",
        "private_employer": "private individual",
        "brands_summary": "Analysable postings by brand: {brands}.",
        "methods_summary": (
            "Where the mentions of the most demanded skills come from (postings): description {text}, title "
            "{title}; the employer's tags on the portal {tag}, which do not count as demand."
        ),
        "cluster_too_few": "too few skills to cluster: {n} < {minimum}",
        "cluster_no_structure": (
            "no cluster structure: the best silhouette is {silhouette} < {minimum}, or fewer than 2 clusters"
        ),
    },
}


class _KeepMissing(dict[str, Any]):
    # Placeholders not given stay as they are, to be filled where the value is known (e.g. the summary).
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def texts(language: str, **values: Any) -> dict[str, str]:
    """The texts of ``language`` with the ``{placeholders}`` given in ``values`` filled; others kept."""
    if language not in TEXTS:
        raise ValueError(f"report language must be one of {sorted(TEXTS)}, got {language!r}")
    return {k: v.format_map(_KeepMissing(values)) if "{" in v else v for k, v in TEXTS[language].items()}
