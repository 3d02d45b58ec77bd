"""Report wording in Spanish and English; templates look texts up by key."""

from __future__ import annotations

import errno
import re
import string
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from observatory.config import SettingProblem

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
        "cluster_none": (
            "Grupos de habilidades: {skills} {skills:habilidad|habilidades} sin estructura de grupos ({reason})."
        ),
        "cluster_quality": (
            "Grupos de habilidades: {clusters} {clusters:grupo|grupos} ({subclusters} "
            "{subclusters:subgrupo|subgrupos}) sobre {skills} {skills:habilidad|habilidades} con vectores del modelo "
            "{model}; calidad DBCV {dbcv}, silueta {silhouette}; {noise} de las habilidades quedan sin grupo (ruido)."
        ),
        "method": (
            "La participación de una habilidad es la proporción de avisos analizables del periodo (con descripción) "
            "que la mencionan, publicada con su numerador, su denominador y un intervalo de confianza del 95 % "
            "(Wilson); los avisos solo con título se cuentan aparte. Un aviso publicado en varios portales cuenta "
            "una sola vez. «Requerida» y «deseable» se miden por separado. Una habilidad es emergente cuando su "
            "participación sube respecto del mes anterior con significancia estadística (prueba de dos proporciones "
            "o exacta de Fisher, corrección de Benjamini–Hochberg, q ≤ {alpha}), con cada empleador limitado a "
            "{employer_cap} {employer_cap:aviso|avisos} por mes, y aparece en al menos {min_count} "
            "{min_count:aviso|avisos} de al menos {min_employers} {min_employers:empleador|empleadores}. Las celdas "
            "con menos de {min_cell} {min_cell:aviso|avisos} se muestran en gris. Los salarios se convierten a "
            "montos mensuales en la moneda del aviso."
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
            "medio), por moneda; en gris, menos de {min_cell} {min_cell:aviso|avisos}."
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
            "{n_postings} {n_postings:aviso analizable|avisos analizables} de {portals}, "
            "{n_postings:publicado|publicados} entre el {first_date} y el {last_date}; {n_title_only} "
            "{n_title_only:aviso solo con título se cuenta|avisos solo con título se cuentan} aparte y no "
            "{n_title_only:entra|entran} en ninguna participación."
        ),
        "comparison_complete": "La comparación con {previous} usa meses completos.",
        "comparison_days": (
            "El mes está incompleto: la comparación usa los días 1 a {days} de {period} y de {previous}."
        ),
        "salary_summary": (
            "{n_with_salary} de {n_all} {n_all:aviso|avisos} ({share}) {n_with_salary:publica|publican} un salario "
            "utilizable; {unparsed} no se {unparsed:pudo|pudieron} leer y {implausible} {implausible:quedó|quedaron} "
            "fuera por {implausible:inverosímil|inverosímiles} (fuera de {low}–{high} veces el salario mínimo)."
        ),
        "emerging_headline": "{emerging} de {tested} {tested:habilidad evaluada|habilidades evaluadas}",
        "suppressed_note": (
            "Celdas con menos de {min_cell} {min_cell:aviso|avisos}: en gris, sin participación publicada."
        ),
        "note_no_postings": "no hay avisos analizados en {scope} para {period}",
        "note_small_sample": (
            "muestra pequeña: {n} {n:aviso analizable|avisos analizables} en {period} (menos de {minimum}); las "
            "participaciones son inciertas, vea los intervalos"
        ),
        "note_title_only": (
            "{n} {n:aviso|avisos} solo con título en {period} se {n:cuenta|cuentan} aparte y no {n:entra|entran} en "
            "ninguna participación"
        ),
        "note_partial_month": (
            "mes incompleto: los datos de {period} terminan el día {days}; se comparan con los días 1–{days} de "
            "{previous}"
        ),
        "note_no_previous": "no hay avisos analizados en {scope} para {previous}: no se puede evaluar el crecimiento",
        "note_latest": (
            "periodo más reciente = {period}, el último mes completo con al menos {minimum} "
            "{minimum:aviso analizable|avisos analizables} ({newest} está incompleto o tiene pocos avisos)"
        ),
        "note_no_complete_month": (
            "ningún mes completo tiene {minimum} {minimum:aviso analizable|avisos analizables}; el informe usa "
            "{period}: lea sus participaciones con cautela"
        ),
        "note_unparsed_salaries": "{n} {n:salario no se pudo leer y queda|salarios no se pudieron leer y quedan} fuera",
        "note_implausible_salaries": (
            "{n} {n:salario inverosímil|salarios inverosímiles} (fuera de los límites fijados por país) "
            "{n:queda|quedan} fuera"
        ),
        "note_greyed_regions": (
            "{n} {n:celda|celdas} de región con menos de {min_cell} {min_cell:aviso|avisos} se "
            "{n:muestra|muestran} en gris"
        ),
        "note_not_stored": (
            "{n} {n:celda|celdas} mes × fuente de la demanda no {n:estaba materializada|estaban materializadas} "
            "(skill_demand) y se {n:calculó|calcularon} desde la base de datos"
        ),
        "note_demand_rebuilt": (
            "{n} {n:celda|celdas} mes × fuente de la demanda {n:guardada venía|guardadas venían} de otra base de "
            "datos, de otra clave de seudónimos o de una versión anterior (la base se reinició, se reemplazó o se "
            "restauró, o la clave cambió) y se {n:recalculó|recalcularon} desde la base de datos actual"
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
        "error_unknown_country": "país desconocido «{country}»; países conocidos: {known}",
        "error_bad_period": "el periodo debe tener la forma 2026-10 (AAAA-MM), no «{period}»",
        "error_future_period": (
            "el periodo {period} está en el futuro (este mes es {this_month}): todavía no puede haber avisos"
        ),
        "error_bad_language": "el idioma del informe debe ser es o en, no «{language}»",
        "error_no_postings": (
            "no hay avisos analizados para {where}: ejecute primero la recolección y la extracción de habilidades"
        ),
        "error_no_period": "no hay avisos analizados para {where} en {period}; meses con avisos: {months}",
        "error_logo_missing": "OBSERVATORY_REPORT_LOGO: {path} no es un archivo",
        "error_logo_format": "OBSERVATORY_REPORT_LOGO: {path} debe ser una imagen PNG, JPEG, GIF o SVG",
        "error_out_folder": "no se puede escribir el informe en la carpeta {folder} ({reason})",
        "error_key_short": (
            "{setting} es demasiado corta ({n} {n:carácter|caracteres}; al menos {minimum}): use una cadena "
            "aleatoria larga, p. ej. la salida de `python -c 'import secrets; print(secrets.token_hex(32))'`"
        ),
        "error_key_create": (
            "no se puede crear el archivo de clave de seudónimos {path} ({reason}): permita escribir en la carpeta "
            "de datos o defina {setting}"
        ),
        "error_key_read": "no se puede leer el archivo de clave de seudónimos {path} ({reason})",
        "error_key_damaged": (
            "el archivo de clave de seudónimos {path} está dañado (no es una clave hexadecimal de al menos 16 bytes): "
            "bórrelo para crear una clave nueva (la demanda guardada se recalcula entonces) o defina {setting}"
        ),
        "oserror_EACCES": "permiso denegado",
        "oserror_EPERM": "operación no permitida",
        "oserror_EROFS": "sistema de archivos de solo lectura",
        "oserror_ENOSPC": "no queda espacio en el disco",
        "oserror_EDQUOT": "cuota de disco agotada",
        "oserror_ENOTDIR": "una parte de la ruta no es una carpeta",
        "oserror_EEXIST": "ya existe y no es una carpeta",
        "oserror_ENOENT": "no existe",
        "oserror_other": "error del sistema {errno}",
        "config_invalid": "configuración no válida:",
        "config_setting_value": "{setting}: {reason}; valor recibido: {value}",
        "config_secret_url": "{start}… (el resto no se muestra)",
        "config_secret_text": "un texto de {n} {n:carácter|caracteres} (no se muestra)",
        "config_secret_value": "{kind} (no se muestra)",
        "value_number": "un número",
        "value_list": "una lista",
        "value_table": "una tabla",
        "value_boolean": "verdadero o falso",
        "value_other": "un valor",
        "reason_literal_error": "debe ser {expected}",
        "reason_greater_than": "debe ser mayor que {gt}",
        "reason_greater_than_equal": "debe ser mayor o igual que {ge}",
        "reason_less_than": "debe ser menor que {lt}",
        "reason_less_than_equal": "debe ser menor o igual que {le}",
        "reason_int": "debe ser un número entero",
        "reason_float": "debe ser un número",
        "reason_bool": "debe ser true o false",
        "reason_date": "debe ser una fecha AAAA-MM-DD",
        "reason_string_type": "debe ser un texto",
        "reason_list_type": "debe ser una lista",
        "reason_dict_type": "debe ser una tabla",
        "reason_extra_forbidden": "no es un ajuste conocido",
        "reason_json_invalid": "no es JSON válido",
        "reason_missing": "falta",
        "reason_postgres_url": "debe ser una URL de PostgreSQL (postgresql://usuario:clave@servidor:puerto/base)",
        "reason_http_url": "debe ser una URL http(s) (https://hooks.example.com/…)",
        "reason_other": "valor no válido ({message})",
        "where_country": "el país {country}",
        "where_any": "ningún país",
        "report_written": "informe escrito en {seconds} s en {folder}",
        "data_written": "datos: {n} {n:archivo|archivos} en {folder}",
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
        "cluster_none": "Skill clusters: {skills} {skills:skill|skills} without cluster structure ({reason}).",
        "cluster_quality": (
            "Skill clusters: {clusters} {clusters:cluster|clusters} ({subclusters} "
            "{subclusters:sub-cluster|sub-clusters}) over {skills} {skills:skill|skills} with vectors of the {model} "
            "model; quality DBCV {dbcv}, silhouette {silhouette}; {noise} of the skills stay unclustered (noise)."
        ),
        "method": (
            "A skill's share is the proportion of the period's analysable postings (with a description) that "
            "mention it, published with its numerator, denominator and a 95 % Wilson interval; title-only postings "
            "are counted apart. A posting published on several portals counts once. Required and desirable mentions "
            "are measured separately. A skill is emerging when its share rises from the previous month with "
            "statistical significance (two-proportion or Fisher's exact test, Benjamini–Hochberg correction, "
            "q ≤ {alpha}), each employer capped at {employer_cap} {employer_cap:posting|postings} a month, and it "
            "appears in at least {min_count} {min_count:posting|postings} from at least {min_employers} "
            "{min_employers:employer|employers}. Cells with fewer than {min_cell} {min_cell:posting|postings} are "
            "greyed out. Salaries are converted to monthly amounts in the posting's currency."
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
            "by currency; grey: fewer than {min_cell} {min_cell:posting|postings}."
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
            "{n_postings} analysable {n_postings:posting|postings} from {portals}, posted between {first_date} and "
            "{last_date}; {n_title_only} title-only {n_title_only:posting is|postings are} counted apart and "
            "{n_title_only:enters|enter} no share."
        ),
        "comparison_complete": "The comparison with {previous} uses complete months.",
        "comparison_days": (
            "The month is partial: the comparison uses days 1 to {days} of both {period} and {previous}."
        ),
        "salary_summary": (
            "{n_with_salary} of {n_all} {n_all:posting|postings} ({share}) {n_with_salary:publishes|publish} a "
            "usable salary; {unparsed} could not be read and {implausible} {implausible:was|were} left out as "
            "implausible (outside {low}–{high} times the minimum wage)."
        ),
        "emerging_headline": "{emerging} of {tested} {tested:skill|skills} tested",
        "suppressed_note": "Cells with fewer than {min_cell} {min_cell:posting|postings}: grey, no share published.",
        "note_no_postings": "no analysed postings in {scope} for {period}",
        "note_small_sample": (
            "small sample: {n} analysable {n:posting|postings} in {period} (fewer than {minimum}); shares are "
            "uncertain, see the intervals"
        ),
        "note_title_only": (
            "{n} title-only {n:posting|postings} in {period} {n:is|are} counted apart and left out of every skill share"
        ),
        "note_partial_month": (
            "partial month: the data for {period} ends on day {days}; it is compared with days 1–{days} of {previous}"
        ),
        "note_no_previous": "no analysed postings in {scope} for {previous}: growth cannot be tested",
        "note_latest": (
            "latest period = {period}, the latest complete month with at least {minimum} analysable "
            "{minimum:posting|postings} ({newest} is partial or too small)"
        ),
        "note_no_complete_month": (
            "no complete month has {minimum} analysable {minimum:posting|postings}; the report uses {period}, read "
            "its shares with care"
        ),
        "note_unparsed_salaries": "{n} {n:salary|salaries} could not be read and {n:is|are} left out",
        "note_implausible_salaries": (
            "{n} implausible {n:salary|salaries} (outside the bounds set per country) {n:is|are} left out"
        ),
        "note_greyed_regions": (
            "{n} region {n:cell|cells} over fewer than {min_cell} {min_cell:posting|postings} {n:is|are} greyed out"
        ),
        "note_not_stored": (
            "{n} month × source {n:cell|cells} of demand {n:was|were} not materialised (skill_demand) and "
            "{n:was|were} computed from the database"
        ),
        "note_demand_rebuilt": (
            "{n} stored month × source {n:cell|cells} of demand came from another database, another pseudonym key "
            "or an older version (the database was reset, replaced or restored, or the key changed) and {n:was|were} "
            "recomputed from the current database"
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
        "error_unknown_country": "unknown country '{country}'; known countries: {known}",
        "error_bad_period": "period must look like 2026-10 (YYYY-MM), got '{period}'",
        "error_future_period": (
            "period {period} is in the future (this month is {this_month}): no postings can exist yet"
        ),
        "error_bad_language": "the report language must be es or en, got '{language}'",
        "error_no_postings": "no analysed postings for {where}: run the crawl and extraction steps first",
        "error_no_period": "no analysed postings for {where} in {period}; months with postings: {months}",
        "error_logo_missing": "OBSERVATORY_REPORT_LOGO: {path} is not a file",
        "error_logo_format": "OBSERVATORY_REPORT_LOGO: {path} must be a PNG, JPEG, GIF or SVG image",
        "error_out_folder": "cannot write the report to the folder {folder} ({reason})",
        "error_key_short": (
            "{setting} is too short ({n} {n:character|characters}; at least {minimum}): use a long random "
            "string, e.g. the output of `python -c 'import secrets; print(secrets.token_hex(32))'`"
        ),
        "error_key_create": (
            "cannot create the pseudonym key file {path} ({reason}): make the data folder writable or set {setting}"
        ),
        "error_key_read": "cannot read the pseudonym key file {path} ({reason})",
        "error_key_damaged": (
            "the pseudonym key file {path} is damaged (not a hex key of at least 16 bytes): remove it to make a new "
            "key (the stored demand is then rebuilt) or set {setting}"
        ),
        "oserror_EACCES": "permission denied",
        "oserror_EPERM": "operation not permitted",
        "oserror_EROFS": "read-only file system",
        "oserror_ENOSPC": "no space left on the disk",
        "oserror_EDQUOT": "disk quota exceeded",
        "oserror_ENOTDIR": "part of the path is not a folder",
        "oserror_EEXIST": "exists and is not a folder",
        "oserror_ENOENT": "does not exist",
        "oserror_other": "system error {errno}",
        "config_invalid": "invalid configuration:",
        "config_setting_value": "{setting}: {reason}; got {value}",
        "config_secret_url": "{start}… (the rest is not shown)",
        "config_secret_text": "a text of {n} {n:character|characters} (not shown)",
        "config_secret_value": "{kind} (not shown)",
        "value_number": "a number",
        "value_list": "a list",
        "value_table": "a table",
        "value_boolean": "true or false",
        "value_other": "a value",
        "reason_literal_error": "must be {expected}",
        "reason_greater_than": "must be greater than {gt}",
        "reason_greater_than_equal": "must be greater than or equal to {ge}",
        "reason_less_than": "must be less than {lt}",
        "reason_less_than_equal": "must be less than or equal to {le}",
        "reason_int": "must be a whole number",
        "reason_float": "must be a number",
        "reason_bool": "must be true or false",
        "reason_date": "must be a date YYYY-MM-DD",
        "reason_string_type": "must be a text",
        "reason_list_type": "must be a list",
        "reason_dict_type": "must be a table",
        "reason_extra_forbidden": "is not a known setting",
        "reason_json_invalid": "is not valid JSON",
        "reason_missing": "is missing",
        "reason_postgres_url": "must be a PostgreSQL URL (postgresql://user:password@host:port/database)",
        "reason_http_url": "must be an http(s) URL (https://hooks.example.com/…)",
        "reason_other": "invalid value ({message})",
        "where_country": "country {country}",
        "where_any": "any country",
        "report_written": "report written in {seconds} s to {folder}",
        "data_written": "data: {n} {n:file|files} in {folder}",
    },
}


class _Missing:
    """A placeholder without a value: written back as it was, plural forms included, to be filled later."""

    def __init__(self, name: str) -> None:
        self.name = name


def is_one(value: Any) -> bool:
    """Whether a count takes the singular (Spanish and English alike: exactly one; "1" as formatted)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value == 1
    return str(value).strip() == "1"


class _TextFormatter(string.Formatter):
    """``str.format`` plus plural forms: ``{n:aviso|avisos}`` is the singular when ``n`` is one, else the plural.

    The count is the value given for the placeholder, a number or a number already formatted ("1", "1.234").
    """

    def __init__(self, keep_missing: bool) -> None:
        self.keep_missing = keep_missing

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if self.keep_missing and isinstance(key, str) and key not in kwargs:
            return _Missing(key)
        return super().get_value(key, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, _Missing):
            return "{" + value.name + (":" + format_spec if format_spec else "") + "}"
        if "|" in format_spec:
            singular, plural = format_spec.split("|", 1)
            return singular if is_one(value) else plural
        return str(super().format_field(value, format_spec))


_STRICT = _TextFormatter(keep_missing=False)
_LENIENT = _TextFormatter(keep_missing=True)


def fill(text: str, /, **values: Any) -> str:
    """A text of the tables with its placeholders filled and its plural forms chosen by their counts.

    Use it, not ``str.format``, on every text of :data:`TEXTS`: ``str.format`` refuses a plural form.
    """
    return _STRICT.format(text, **values)


def texts(language: str, **values: Any) -> dict[str, str]:
    """The texts of ``language`` with the ``{placeholders}`` given in ``values`` filled; others kept."""
    if language not in TEXTS:
        raise ValueError(f"report language must be one of {sorted(TEXTS)}, got {language!r}")
    return {k: _LENIENT.format(v, **values) if "{" in v else v for k, v in TEXTS[language].items()}


# Short words that only one of the two languages uses, to find a sentence of the other language in a report
# whatever its wording (the tables' own phrases only catch texts that are in the tables). Words both languages
# write ("a", "no", "he", "has", "con", "sin", "son", "solo") are left out.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and of with from for to is are was were be been being this that these those which who whose what "
        "when where there their they it its by or not on at an than then into over under each every only also "
        "but all any some more most fewer less between could can will would should must have had how why "
        "does did our your we you them such other both if".split()
    ),
    "es": frozenset(
        "el la los las del al y o que en por para una un unos unas es está están se su sus como más menos entre "
        "sobre hasta desde cada este esta estos estas ese esa lo le les pero también cuando donde según ningún "
        "ninguna ninguno muy hay fue han ha".split()
    ),
}
_WORDS = re.compile(r"[^\W\d_]+")
# File names, paths and identifiers (data/by_region.csv, skill_demand) are names, not words of a language.
_IDENTIFIERS = re.compile(r"\S*(?:[/_]|\w\.\w)\S*")


def foreign_words(text: str, language: str) -> list[str]:
    """The function words of the other language found in ``text`` (interface text of a ``language`` report).

    Give it the report's own wording only: postings' titles, employers and skill names are their authors'
    words, in any language.
    """
    other = "en" if language == "es" else "es"
    seen = {word.casefold() for word in _WORDS.findall(_IDENTIFIERS.sub(" ", text))}
    return sorted(seen & FUNCTION_WORDS[other])


# pydantic's error types that say the same thing, read by one text of the tables.
_REASONS = {
    "int_parsing": "reason_int",
    "int_type": "reason_int",
    "int_from_float": "reason_int",
    "float_parsing": "reason_float",
    "float_type": "reason_float",
    "finite_number": "reason_float",
    "bool_parsing": "reason_bool",
    "bool_type": "reason_bool",
    "date_parsing": "reason_date",
    "date_type": "reason_date",
    "date_from_datetime_parsing": "reason_date",
    "date_from_datetime_inexact": "reason_date",
    "tuple_type": "reason_list_type",
    "set_type": "reason_list_type",
    "model_type": "reason_dict_type",
    "model_attributes_type": "reason_dict_type",
}


def os_reason(exc: OSError, language: str) -> str:
    """Why the system refused, in ``language`` (the system's own wording is English)."""
    t = TEXTS[language]
    name = errno.errorcode.get(exc.errno or 0, "")
    return t.get(f"oserror_{name}") or fill(t["oserror_other"], errno=name or exc.errno)


def _setting_reason(problem: SettingProblem, language: str) -> str:
    t = TEXTS[language]
    key = _REASONS.get(problem.kind, f"reason_{problem.kind}")
    if key not in t:
        return fill(t["reason_other"], message=problem.message)
    values = {  # a bound of a float setting, 0.0, is written as pydantic writes it: 0
        name: str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        for name, value in problem.context.items()
    }
    if language == "es" and "expected" in values:  # pydantic joins the accepted values with "or"
        values["expected"] = values["expected"].replace("' or '", "' o '")
    return _LENIENT.format(t[key], **values)


def _setting_value(problem: SettingProblem, language: str) -> str | None:
    t, masked = TEXTS[language], problem.masked
    if masked is None:
        return problem.shown
    if masked.kind == "url":
        return fill(t["config_secret_url"], start=masked.start)
    if masked.kind == "text":
        return fill(t["config_secret_text"], n=masked.length)
    return fill(t["config_secret_value"], kind=t[f"value_{masked.kind}"])


def error_text(exc: BaseException, language: str) -> str:
    """The message of an error a report run can meet, in ``language``: configuration errors setting by setting,
    errors that name a text of the tables (``text_key``), a system's refusal; any other as it was raised."""
    t = TEXTS[language]
    problems: Sequence[SettingProblem] = getattr(exc, "problems", ())
    if problems:
        lines = []
        for problem in problems:
            reason, value = _setting_reason(problem, language), _setting_value(problem, language)
            if value is None:
                lines.append(f"{problem.setting}: {reason}")
            else:
                lines.append(fill(t["config_setting_value"], setting=problem.setting, reason=reason, value=value))
        return t["config_invalid"] + "\n  " + "\n  ".join(lines)
    key: str | None = getattr(exc, "text_key", None)
    if key is not None and key in t:
        values = dict(getattr(exc, "text_values", {}))
        for name, value in values.items():
            if isinstance(value, OSError):
                values[name] = os_reason(value, language)
        return fill(t[key], **values)
    if isinstance(exc, OSError) and exc.errno is not None:
        where = f"{exc.filename}: " if exc.filename else ""
        return where + os_reason(exc, language)
    return str(exc)
