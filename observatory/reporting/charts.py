"""Altair charts of the report, one per table behind it; specs are plain Vega-Lite dicts.

Every chart gets its data inline (no URL), so the HTML report and the static renderings for the PDF
need nothing from the network. Every tooltip shows the numerator and denominator behind a share;
cells over fewer postings than the minimum are drawn grey. Series get distinct colours (brand colours
first, then a colour-blind-safe set); past :data:`MAX_COLOURED_SERIES` the chart becomes small
multiples. Legends sit under the plot and axis labels are limited, so a chart stays inside its own
width: :func:`text_overflow` measures that on the rendered scene graph.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from typing import Any

import altair as alt
import pandas as pd

NOISE_COLOUR = "#b0b0b0"
SUPPRESSED_COLOUR = "#e6e6e6"
# Beyond this many skills the map is drawn from a fixed-seed sample (the CSV keeps every point):
# tens of thousands of SVG circles make the PDF slow and the picture no clearer.
MAX_MAP_POINTS = 3000
MAX_LEGEND_CLUSTERS = 12
MAX_COLOURED_SERIES = 10
OTHER_COLOUR = "#d9c9a3"
WIDTH = 640
FONT = "DejaVu Sans"
# Tableau 20 reordered: the ten strong colours, then their light partners (distinct, colour-blind-aware).
DISTINCT_COLOURS = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#17becf",
    "#a0cbe8", "#ffbe7d", "#8cd17d", "#ff9d9a", "#d4a6c8", "#86bcb6", "#f1ce63", "#d7b5a6", "#bab0ac", "#79706e",
]  # fmt: skip
# ISO 3166-1 numeric codes of the countries the observatory covers (ids of the world-atlas TopoJSON).
ISO_NUMERIC = {"ar": "032", "cl": "152", "co": "170", "cr": "188", "ec": "218", "mx": "484", "pe": "604", "ve": "862"}
# Latin America and the Caribbean: the map's frame.
LATAM_IDS = [
    "032", "068", "076", "152", "170", "188", "192", "214", "218", "222", "320", "328", "332", "340", "388",
    "484", "558", "591", "600", "604", "630", "740", "780", "858", "862", "084", "044", "238", "254",
]  # fmt: skip
LOCALES: dict[str, dict[str, Any]] = {
    "es": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " $"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
}


MIN_COLOUR_DISTANCE = 60.0


def _distance(a: str, b: str) -> float:
    """Euclidean distance of two ``#rrggbb`` colours in RGB (0–441); other notations count as far apart."""
    if not (a.startswith("#") and b.startswith("#") and len(a) == len(b) == 7):
        return float("inf")
    ra, rb = (tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in (a, b))
    return math.dist(ra, rb)


def categorical_palette(n: int, brand: list[str] | None = None) -> list[str]:
    """``n`` distinct colours: the brand colours first, then :data:`DISTINCT_COLOURS` (no repeats up to 20+)."""
    out: list[str] = []
    for colour in [*(brand or []), *DISTINCT_COLOURS]:
        # A set colour too close to one already chosen (a brand orange and Tableau's orange) is skipped.
        if all(_distance(colour, chosen) >= MIN_COLOUR_DISTANCE for chosen in out):
            out.append(colour)
    while len(out) < n:  # beyond 20 series: shades that still differ from each other
        out.append(f"hsl({(len(out) * 137) % 360}, 55%, 45%)")
    return out[:n]


def format_number(value: float, language: str, decimals: int = 0) -> str:
    """A number as the report language writes it: es ``2.400.000``, en ``2,400,000``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{decimals}f}"
    if language == "es":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_money(value: float, currency: str, language: str) -> str:
    """``2.400.000 COP`` (es) or ``2,400,000 COP`` (en)."""
    return f"{format_number(value, language)} {currency}"


def _base_config(chart: Any, colours: list[str], language: str = "es") -> dict[str, Any]:
    chart = chart.configure_range(category=categorical_palette(MAX_COLOURED_SERIES, colours)).configure_view(
        stroke=None
    )
    chart = chart.configure(font=FONT).configure_axis(
        labelLimit=220, labelFontSize=11, titleFontSize=12, titleLimit=WIDTH - 40, titlePadding=8
    )
    chart = chart.configure_legend(
        orient="bottom", direction="horizontal", columns=3, labelLimit=200, titleLimit=WIDTH - 40, symbolLimit=40
    )
    with alt.data_transformers.disable_max_rows():
        spec = dict(chart.to_dict())
    spec["config"]["locale"] = {"number": LOCALES.get(language, LOCALES["en"])}
    return spec


def _n_tooltip(t: dict[str, str]) -> list[Any]:
    return [
        alt.Tooltip("n_with_skill:Q", title=t["n_with_skill"], format=",d"),
        alt.Tooltip("n_postings:Q", title=t["n_postings"], format=",d"),
        alt.Tooltip("share:Q", title=t["share"], format=".1%"),
        alt.Tooltip("ci_low:Q", title=t["ci_low"], format=".1%"),
        alt.Tooltip("ci_high:Q", title=t["ci_high"], format=".1%"),
    ]


EVIDENCE = ["n_with_skill", "n_postings", "share", "ci_low", "ci_high"]


def top_skills_chart(
    top: pd.DataFrame, t: dict[str, str], colours: list[str], *, min_cell: int = 10, language: str = "es"
) -> dict[str, Any] | None:
    """Stacked bars (required, desirable, unspecified) with the 95 % interval of the share as a line."""
    if top.empty:
        return None
    frame = top.assign(n_unspecified=top["n_with_skill"] - top["n_required"] - top["n_desirable"])
    long = frame.melt(
        id_vars=["skill", *EVIDENCE],
        value_vars=["n_required", "n_desirable", "n_unspecified"],
        var_name="measure",
        value_name="value",
    )
    long["part"] = long["value"] / long["n_postings"]
    names = {"n_required": t["required"], "n_desirable": t["desirable"], "n_unspecified": t["unspecified"]}
    long["measure_label"] = long["measure"].map(names)
    long["rank"] = long["measure"].map({"n_required": 0, "n_desirable": 1, "n_unspecified": 2})
    order = list(frame["skill"])
    small = int(top["n_postings"].max()) < min_cell
    palette = [NOISE_COLOUR] * 3 if small else [*categorical_palette(2, colours), NOISE_COLOUR]
    bars = (
        alt.Chart(long[["skill", "part", "measure_label", "rank", "value", *EVIDENCE]])
        .mark_bar()
        .encode(
            y=alt.Y("skill:N", sort=order, title=t["skill"]),
            x=alt.X("sum(part):Q", axis=alt.Axis(format="%"), title=t["share_ci"]),
            color=alt.Color(
                "measure_label:N",
                title=t["measure"],
                sort=[t["required"], t["desirable"], t["unspecified"]],
                scale=alt.Scale(range=palette),
            ),
            order=alt.Order("rank:Q"),
            tooltip=["skill:N", "measure_label:N", alt.Tooltip("value:Q", title=t["n_with_skill"]), *_n_tooltip(t)],
        )
    )
    interval = (
        alt.Chart(frame[["skill", *EVIDENCE]])
        .mark_rule(color="#333333", strokeWidth=1.5)
        .encode(y=alt.Y("skill:N", sort=order), x="ci_low:Q", x2="ci_high:Q", tooltip=_n_tooltip(t))
    )
    chart = alt.layer(bars, interval).properties(width=WIDTH - 260, height=alt.Step(18))
    return _base_config(chart, colours, language)


def trends_chart(
    trends: pd.DataFrame, t: dict[str, str], colours: list[str], *, language: str = "es"
) -> dict[str, Any] | None:
    """Lines: monthly share of the top skills; months below the minimum count are left out (a gap)."""
    if trends.empty:
        return None
    frame = trends[["month", "skill", *EVIDENCE, "suppressed", "complete"]].copy()
    frame["shown"] = frame["share"].where(~frame["suppressed"].astype(bool))
    frame["month_label"] = frame["month"] + frame["complete"].map({True: "", False: "*"}).fillna("")
    skills = list(dict.fromkeys(frame["skill"]))
    palette = categorical_palette(len(skills), colours)
    base = alt.Chart(frame).encode(
        x=alt.X("month_label:O", title=t["month"], sort=None),
        y=alt.Y("shown:Q", axis=alt.Axis(format="%"), title=t["share"]),
        tooltip=["month:O", "skill:N", *_n_tooltip(t)],
    )
    if len(skills) > MAX_COLOURED_SERIES:
        # Too many lines to tell apart by colour: one small panel per skill.
        chart = (
            base.mark_line(point=True, color=palette[0])
            .properties(width=150, height=90)
            .facet(facet=alt.Facet("skill:N", title=None, sort=skills), columns=3)
        )
    else:
        chart = (
            base.mark_line(point=True)
            .encode(color=alt.Color("skill:N", title=t["skill"], sort=skills, scale=alt.Scale(range=palette)))
            .properties(width=WIDTH - 120, height=260)
        )
    return _base_config(chart, colours, language)


def emerging_chart(
    emerging: pd.DataFrame, t: dict[str, str], colours: list[str], *, language: str = "es"
) -> dict[str, Any] | None:
    """Bars: change in percentage points of the tested skills, coloured exactly when flagged as emerging."""
    if emerging.empty:
        return None
    frame = emerging.sort_values("delta_pp", ascending=False).head(20).copy()
    frame["status"] = frame["emerging"].map({True: t["significant"], False: t["not_significant"]})
    columns = ["skill", "delta_pp", "status", "q_value", "prev_n_with_skill", "prev_n_postings", "employers", *EVIDENCE]
    chart = (
        alt.Chart(frame[columns])
        .mark_bar()
        .encode(
            y=alt.Y("skill:N", sort="-x", title=t["skill"]),
            x=alt.X("delta_pp:Q", title=t["delta_pp"]),
            color=alt.Color(
                "status:N",
                title=t["status"],
                scale=alt.Scale(domain=[t["significant"], t["not_significant"]], range=[colours[0], NOISE_COLOUR]),
            ),
            tooltip=[
                "skill:N",
                alt.Tooltip("prev_n_with_skill:Q", title=t["prev_n_with_skill"]),
                alt.Tooltip("prev_n_postings:Q", title=t["prev_n_postings"]),
                *_n_tooltip(t),
                alt.Tooltip("employers:Q", title=t["employers"]),
                alt.Tooltip("q_value:Q", format=".3g"),
            ],
        )
        .properties(width=WIDTH - 260, height=alt.Step(18))
    )
    return _base_config(chart, colours, language)


def region_chart(
    by_region: pd.DataFrame, t: dict[str, str], colours: list[str], *, min_cell: int = 10, language: str = "es"
) -> dict[str, Any] | None:
    """Heatmap: share of each top skill in each region; cells over fewer than ``min_cell`` postings greyed."""
    if by_region.empty:
        return None
    frame = by_region[["region", "skill", "suppressed", *EVIDENCE]].copy()
    frame["region_label"] = frame["region"] + " (n=" + frame["n_postings"].astype(str) + ")"
    base = alt.Chart(frame).encode(
        x=alt.X("region_label:N", title=t["region"], axis=alt.Axis(labelAngle=-40, labelLimit=160)),
        y=alt.Y("skill:N", title=t["skill"]),
        tooltip=["region:N", "skill:N", *_n_tooltip(t)],
    )
    shown = (
        base.transform_filter("!datum.suppressed")
        .mark_rect()
        .encode(
            color=alt.Color(
                "share:Q",
                title=t["share"],
                scale=alt.Scale(range=["#f4f6f8", colours[0]]),
                legend=alt.Legend(format="%", direction="horizontal", orient="bottom", gradientLength=200),
            )
        )
    )
    greyed = base.transform_filter("datum.suppressed").mark_rect(color=SUPPRESSED_COLOUR)
    label = (
        base.transform_filter("datum.suppressed")
        .mark_text(fontSize=9, color="#777777")
        .encode(text=alt.value(f"<{min_cell}"))
    )
    chart = alt.layer(shown, greyed, label).properties(height=alt.Step(18), width=alt.Step(40))
    return _base_config(chart, colours, language)


def region_bars_chart(
    regions: pd.DataFrame, t: dict[str, str], colours: list[str], *, language: str = "es", limit: int = 25
) -> dict[str, Any] | None:
    """Ranked bars: the period's postings per region, labelled with n (regions below the minimum greyed)."""
    if regions.empty:
        return None
    frame = regions.head(limit).copy()
    frame["label"] = [
        f"{format_number(n, language)} ({format_number(100 * s, language, 1)} %)"
        for n, s in zip(frame["n_with_skill"], frame["share"], strict=True)
    ]
    order = list(frame["region"])
    base = alt.Chart(frame).encode(
        y=alt.Y("region:N", sort=order, title=t["region"]),
        x=alt.X("n_with_skill:Q", title=t["postings_axis"]),
        tooltip=["region:N", *_n_tooltip(t)],
    )
    bars = base.mark_bar().encode(
        color=alt.condition("datum.suppressed", alt.value(SUPPRESSED_COLOUR), alt.value(colours[0]))
    )
    text = base.mark_text(align="left", dx=4, fontSize=10, color="#333333").encode(text="label:N")
    chart = alt.layer(bars, text).properties(width=WIDTH - 330, height=alt.Step(18))
    return _base_config(chart, colours, language)


@lru_cache(maxsize=1)
def world_topology() -> dict[str, Any]:
    """Natural Earth 1:110m countries as TopoJSON (world-atlas 2.0.2, shipped with the package)."""
    data = resources.files("observatory.reporting").joinpath("data/countries-110m.json").read_text(encoding="utf-8")
    return dict(json.loads(data))


def country_map_chart(
    countries: pd.DataFrame, t: dict[str, str], colours: list[str], *, language: str = "es"
) -> dict[str, Any] | None:
    """Choropleth of Latin America: analysable postings of the period per country (offline TopoJSON)."""
    if countries.empty:
        return None
    frame = countries.copy()
    frame["id"] = frame["country"].map(ISO_NUMERIC)
    frame = frame.dropna(subset=["id"])
    if frame.empty:
        return None
    frame["country_label"] = frame["country"].str.upper()
    topo = alt.Data(values=world_topology(), format=alt.DataFormat(type="topojson", feature="countries"))
    lookup = alt.LookupData(frame[["id", "country_label", *EVIDENCE]], "id", ["country_label", *EVIDENCE])
    base = alt.Chart(topo).transform_filter(alt.FieldOneOfPredicate(field="id", oneOf=LATAM_IDS))
    background = base.mark_geoshape(fill="#eeeeee", stroke="white", strokeWidth=0.5)
    shaded = (
        base.transform_lookup(lookup="id", from_=lookup)
        .transform_filter("isValid(datum.n_with_skill)")
        .mark_geoshape(stroke="white", strokeWidth=0.5)
        .encode(
            color=alt.Color(
                "n_with_skill:Q",
                title=t["postings_axis"],
                scale=alt.Scale(range=["#dbe6f1", colours[0]]),
                legend=alt.Legend(direction="horizontal", orient="bottom", gradientLength=200, format=",d"),
            ),
            tooltip=[alt.Tooltip("country_label:N", title=t["country"]), *_n_tooltip(t)],
        )
    )
    chart = alt.layer(background, shaded).project(type="mercator").properties(width=360, height=380)
    return _base_config(chart, colours, language)


def cluster_chart(
    points: pd.DataFrame, t: dict[str, str], colours: list[str], *, language: str = "es"
) -> dict[str, Any] | None:
    """Scatter: the 2-D map of skills coloured by cluster (distinct colours), noise in grey."""
    if points.empty:
        return None
    frame = points[["skill", "cluster", "cluster_label", "x", "y"]].dropna(subset=["x", "y"]).copy()
    frame.loc[frame["cluster"] < 0, "cluster_label"] = t["noise"]
    # Large vocabularies give hundreds of clusters: the biggest get a legend entry, the rest one colour.
    sizes = frame.loc[frame["cluster"] >= 0, "cluster_label"].value_counts()
    named = list(sizes.index[:MAX_LEGEND_CLUSTERS])
    others = (frame["cluster"] >= 0) & ~frame["cluster_label"].isin(named)
    frame.loc[others, "cluster_label"] = t["other_clusters"]
    if len(frame) > MAX_MAP_POINTS:
        frame = frame.sample(n=MAX_MAP_POINTS, random_state=0)
    present = set(frame["cluster_label"])
    labels = [label for label in named if label in present]
    palette = categorical_palette(len(labels), colours)
    noise = [label for label in (t["other_clusters"], t["noise"]) if label in present]
    palette += [OTHER_COLOUR if label == t["other_clusters"] else NOISE_COLOUR for label in noise]
    chart = (
        alt.Chart(frame)
        .mark_circle(size=36, opacity=0.8)
        .encode(
            x=alt.X("x:Q", axis=None, scale=alt.Scale(zero=False)),
            y=alt.Y("y:Q", axis=None, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "cluster_label:N",
                title=t["cluster"],
                scale=alt.Scale(domain=labels + noise, range=palette),
                legend=alt.Legend(columns=2, labelLimit=280),
            ),
            tooltip=["skill:N", "cluster_label:N"],
        )
        .properties(width=WIDTH - 100, height=360)
    )
    return _base_config(chart, colours, language)


def cooccurrence_chart(
    cooc: pd.DataFrame, t: dict[str, str], colours: list[str], *, language: str = "es"
) -> dict[str, Any] | None:
    """Symmetric heatmap of lift (above 1: asked for together more often than by chance)."""
    if cooc.empty:
        return None
    pairs = cooc[["skill_a", "skill_b", "together", "lift", "jaccard", *EVIDENCE]]
    mirrored = pairs.rename(columns={"skill_a": "skill_b", "skill_b": "skill_a"})
    frame = pd.concat([pairs, mirrored], ignore_index=True)
    chart = (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X("skill_a:N", title=None, axis=alt.Axis(labelAngle=-40, labelLimit=160)),
            y=alt.Y("skill_b:N", title=None, axis=alt.Axis(labelLimit=160)),
            color=alt.Color(
                "lift:Q",
                title=t["lift"],
                scale=alt.Scale(type="log", scheme="blueorange", domainMid=1),
                legend=alt.Legend(direction="horizontal", orient="bottom", gradientLength=200),
            ),
            tooltip=[
                "skill_a:N",
                "skill_b:N",
                alt.Tooltip("together:Q", title=t["together"]),
                alt.Tooltip("lift:Q", format=".2f"),
                alt.Tooltip("jaccard:Q", format=".2f"),
                *_n_tooltip(t),
            ],
        )
        .properties(width=alt.Step(22), height=alt.Step(22))
    )
    return _base_config(chart, colours, language)


def salary_chart(
    salaries: pd.DataFrame, t: dict[str, str], colours: list[str], *, language: str = "es"
) -> dict[str, Any] | None:
    """Monthly median salary per skill with its interquartile range, one panel per currency."""
    if salaries.empty:
        return None
    frame = salaries.head(31).copy()
    frame.loc[frame["skill_id"] == "*", "skill"] = t["all_postings"]
    frame["panel"] = t["monthly_salary"] + " (" + frame["currency"] + ")"
    for column in ("p25", "median", "p75"):
        frame[column] = frame[column].astype(float)
    frame["median_label"] = [
        format_money(v, c, language) for v, c in zip(frame["median"], frame["currency"], strict=True)
    ]
    frame["colour"] = frame["suppressed"].map({True: NOISE_COLOUR, False: colours[0]})
    order = list(frame["skill"])
    base = alt.Chart(frame[["skill", "panel", "p25", "median", "p75", "median_label", "colour", *EVIDENCE]]).encode(
        y=alt.Y("skill:N", title=t["skill"], sort=order)
    )
    tooltip = ["skill:N", alt.Tooltip("median_label:N", title=t["median"]), *_n_tooltip(t)]
    chart = (
        alt.layer(
            base.mark_rule(strokeWidth=2).encode(
                x=alt.X("p25:Q", title=t["monthly_salary"], axis=alt.Axis(format=",.0f")),
                x2="p75:Q",
                color=alt.Color("colour:N", scale=None),
            ),
            base.mark_point(filled=True, size=60).encode(
                x="median:Q", color=alt.Color("colour:N", scale=None), tooltip=tooltip
            ),
        )
        .properties(width=WIDTH - 320, height=alt.Step(18))
        .facet(row=alt.Row("panel:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")))
        .resolve_scale(x="independent", y="independent")
    )
    return _base_config(chart, colours, language)


def text_overflow(spec: dict[str, Any], tolerance: float = 2.0) -> list[str]:
    """Texts of a rendered chart that reach outside its canvas (clipped in the PDF), as readable strings.

    Walks vl-convert's scene graph, places each text item with its group offsets, measures it with the
    chart font (DejaVu Sans, through Pillow) and compares the box with the canvas width and height.
    """
    import vl_convert
    from PIL import ImageFont

    scene = vl_convert.vegalite_to_scenegraph(spec)
    width, height = float(scene["width"]), float(scene["height"])
    fonts: dict[float, Any] = {}

    def measure(text: str, size: float) -> float:
        if size not in fonts:
            fonts[size] = ImageFont.truetype("DejaVuSans.ttf", size=max(1, round(size)))
        return float(fonts[size].getlength(text))

    problems: list[str] = []

    def walk(node: dict[str, Any], ox: float, oy: float) -> None:
        for item in node.get("items", []):
            if node.get("marktype") == "text" and item.get("text") not in (None, ""):
                text = " ".join(item["text"]) if isinstance(item["text"], list) else str(item["text"])
                size = float(item.get("fontSize") or 11)
                w = measure(text, size)
                if item.get("limit"):  # Vega truncates the text to its limit with an ellipsis
                    w = min(w, float(item["limit"]))
                x, y = ox + float(item.get("x") or 0) + float(item.get("dx") or 0), oy + float(item.get("y") or 0)
                align = item.get("align") or "left"
                left = x - w if align == "right" else x - w / 2 if align == "center" else x
                angle = math.radians(float(item.get("angle") or 0))
                xs = [left - x, left - x + w]
                corners_x = [x + dx * math.cos(angle) for dx in xs]
                corners_y = [y + dx * math.sin(angle) for dx in xs]
                if (
                    min(corners_x) < -tolerance
                    or max(corners_x) > width + tolerance
                    or min(corners_y) < -size - tolerance
                    or max(corners_y) > height + size + tolerance
                ):
                    problems.append(f"{text!r} spans x {min(corners_x):.0f}..{max(corners_x):.0f} of {width:.0f}")
            if node.get("marktype") == "group":
                walk(item, ox + float(item.get("x") or 0), oy + float(item.get("y") or 0))
            elif "items" in item:
                walk(item, ox, oy)

    origin = scene.get("origin") or [0, 0]
    walk(scene["scenegraph"], float(origin[0]), float(origin[1]))
    return problems
