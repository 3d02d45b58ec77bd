"""Altair charts of the report, one per table behind it; specs are plain Vega-Lite dicts.

Every chart gets its data inline (no URL), so the HTML report and the static SVG renderings for the
PDF need nothing from the network.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

NOISE_COLOUR = "#b0b0b0"
# Beyond this many skills the map is drawn from a fixed-seed sample (the CSV keeps every point):
# tens of thousands of SVG circles make the PDF slow and the picture no clearer.
MAX_MAP_POINTS = 3000
MAX_LEGEND_CLUSTERS = 12
OTHER_COLOUR = "#d9c9a3"
WIDTH = 640


def _base_config(chart: alt.TopLevelMixin, colours: list[str]) -> dict[str, Any]:
    chart = chart.configure_range(category=colours).configure_view(stroke=None)  # type: ignore[attr-defined]
    chart = chart.configure_axis(labelLimit=260, labelFontSize=11, titleFontSize=12)
    with alt.data_transformers.disable_max_rows():
        return dict(chart.to_dict())


def top_skills_chart(top: pd.DataFrame, t: dict[str, str], colours: list[str]) -> dict[str, Any] | None:
    """Stacked bars: share of postings per skill split into required, desirable and unspecified."""
    if top.empty:
        return None
    frame = top.assign(unspecified=top["postings"] - top["required"] - top["desirable"])
    long = frame.melt(
        id_vars=["skill", "share", "total"], value_vars=["required", "desirable", "unspecified"], var_name="measure"
    )
    long["part"] = long["value"] / long["total"]
    long["measure_label"] = long["measure"].map({k: t[k] for k in ("required", "desirable", "unspecified")})
    long["rank"] = long["measure"].map({"required": 0, "desirable": 1, "unspecified": 2})
    order = list(frame["skill"])
    chart = (
        alt.Chart(long[["skill", "share", "part", "measure_label", "rank", "value"]])
        .mark_bar()
        .encode(
            y=alt.Y("skill:N", sort=order, title=t["skill"]),
            x=alt.X("sum(part):Q", axis=alt.Axis(format="%"), title=t["share"]),
            color=alt.Color(
                "measure_label:N",
                title=t["measure"],
                sort=[t["required"], t["desirable"], t["unspecified"]],
                scale=alt.Scale(range=[colours[0], colours[1 % len(colours)], NOISE_COLOUR]),
            ),
            order=alt.Order("rank:Q"),
            tooltip=["skill:N", "measure_label:N", "value:Q", alt.Tooltip("part:Q", format=".1%")],
        )
        .properties(width=WIDTH - 200, height=alt.Step(18))
    )
    return _base_config(chart, colours)


def trends_chart(trends: pd.DataFrame, t: dict[str, str], colours: list[str]) -> dict[str, Any] | None:
    """Lines: monthly share of the top skills."""
    if trends.empty:
        return None
    chart = (
        alt.Chart(trends[["month", "skill", "share", "postings"]])
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=t["month"]),
            y=alt.Y("share:Q", axis=alt.Axis(format="%"), title=t["share"]),
            color=alt.Color("skill:N", title=t["skill"]),
            tooltip=["month:O", "skill:N", "postings:Q", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=WIDTH - 160, height=280)
    )
    return _base_config(chart, colours)


def emerging_chart(emerging: pd.DataFrame, t: dict[str, str], colours: list[str]) -> dict[str, Any] | None:
    """Bars: change in percentage points, coloured when the rise is significant."""
    if emerging.empty:
        return None
    frame = emerging.sort_values("delta_pp", ascending=False).head(20).copy()
    frame["status"] = frame["emerging"].map({True: t["significant"], False: t["not_significant"]})
    chart = (
        alt.Chart(frame[["skill", "delta_pp", "status", "q_value", "prev_postings", "cur_postings"]])
        .mark_bar()
        .encode(
            y=alt.Y("skill:N", sort="-x", title=t["skill"]),
            x=alt.X("delta_pp:Q", title=t["delta_pp"]),
            color=alt.Color(
                "status:N",
                title="",
                scale=alt.Scale(domain=[t["significant"], t["not_significant"]], range=[colours[0], NOISE_COLOUR]),
            ),
            tooltip=["skill:N", "prev_postings:Q", "cur_postings:Q", alt.Tooltip("q_value:Q", format=".3g")],
        )
        .properties(width=WIDTH - 200, height=alt.Step(18))
    )
    return _base_config(chart, colours)


def region_chart(by_region: pd.DataFrame, t: dict[str, str], colours: list[str]) -> dict[str, Any] | None:
    """Heatmap: share of each top skill in each region."""
    if by_region.empty:
        return None
    chart = (
        alt.Chart(by_region[["region", "skill", "share", "postings"]])
        .mark_rect()
        .encode(
            x=alt.X("region:N", title=t["region"], axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("skill:N", title=t["skill"]),
            color=alt.Color(
                "share:Q",
                title=t["share"],
                scale=alt.Scale(range=["#f4f6f8", colours[0]]),
                legend=alt.Legend(format="%"),
            ),
            tooltip=["region:N", "skill:N", "postings:Q", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(height=alt.Step(18), width=alt.Step(36))
    )
    return _base_config(chart, colours)


def cluster_chart(points: pd.DataFrame, t: dict[str, str], colours: list[str]) -> dict[str, Any] | None:
    """Scatter: the 2-D map of skills coloured by cluster, noise in grey."""
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
    palette = [colours[i % len(colours)] for i in range(len(labels))]
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
                legend=alt.Legend(labelLimit=320, symbolLimit=30),
            ),
            tooltip=["skill:N", "cluster_label:N"],
        )
        .properties(width=WIDTH - 260, height=380)
    )
    return _base_config(chart, colours)


def cooccurrence_chart(cooc: pd.DataFrame, t: dict[str, str], colours: list[str]) -> dict[str, Any] | None:
    """Symmetric heatmap of the number of postings that mention both skills."""
    if cooc.empty:
        return None
    pairs = cooc[["skill_a", "skill_b", "together", "lift"]]
    mirrored = pairs.rename(columns={"skill_a": "skill_b", "skill_b": "skill_a"})
    frame = pd.concat([pairs, mirrored], ignore_index=True)
    chart = (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X("skill_a:N", title=None, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("skill_b:N", title=None),
            color=alt.Color("together:Q", title=t["together"], scale=alt.Scale(range=["#f4f6f8", colours[0]])),
            tooltip=["skill_a:N", "skill_b:N", "together:Q", alt.Tooltip("lift:Q", format=".2f")],
        )
        .properties(width=alt.Step(22), height=alt.Step(22))
    )
    return _base_config(chart, colours)


def salary_chart(salaries: pd.DataFrame, t: dict[str, str], colours: list[str]) -> dict[str, Any] | None:
    """Median salary per skill with its interquartile range (one panel per currency and pay period)."""
    if salaries.empty:
        return None
    frame = salaries.head(30).copy()
    frame["unit"] = frame["currency"] + " / " + frame["salary_period"]
    for column in ("p25", "median", "p75"):
        frame[column] = frame[column].astype(float)
    base = alt.Chart(frame[["skill", "unit", "p25", "median", "p75", "postings"]]).encode(
        y=alt.Y("skill:N", title=t["skill"])
    )
    chart = (
        alt.layer(
            base.mark_rule(color=colours[0]).encode(x=alt.X("p25:Q", title=t["median"]), x2="p75:Q"),
            base.mark_point(filled=True, size=60, color=colours[1 % len(colours)]).encode(
                x="median:Q", tooltip=["skill:N", "unit:N", "postings:Q", "p25:Q", "median:Q", "p75:Q"]
            ),
        )
        .properties(width=WIDTH - 260, height=alt.Step(18))
        .facet(row=alt.Row("unit:N", title=None))
        .resolve_scale(x="independent", y="independent")
    )
    return _base_config(chart, colours)
