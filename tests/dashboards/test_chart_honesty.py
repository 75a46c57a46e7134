"""Charts do not mislead: every figure the dashboard draws, read back from the rendered pages.

The pages are rendered in French by AppTest on the database built from ``datasets/`` and on the sample
(shared renders, see ``french_pages`` in conftest), each plotly chart is turned back into a figure object
and checked: a log axis says so, an axis that says "log" is one, no legend entry is nameless or a raw
null, a value label contrasts with what is behind it (WCAG ratio >= 4.5), a scatter plot names at most
``LABEL_TOP_N`` points, and a line over months or years has a row for every period (gaps drawn as gaps).
Controls show that the same checks catch plotly's own output before the honesty pass.
"""

from __future__ import annotations

import base64
import json
import numbers
import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from dashboards import chart_honesty, charts
from dashboards.chart_honesty import LABEL_TOP_N, MIN_CONTRAST, contrast_ratio, plot_background, trace_colours
from dashboards.i18n import fmt_number, t

LOG_WORD = re.compile(r"\blog", re.IGNORECASE)
RAW_TITLE = re.compile(r"^[a-z0-9_]+$")  # catalogue titles are capitalised words


def _figures(at: AppTest) -> list[go.Figure]:
    return [go.Figure(json.loads(element.proto.spec)) for element in at.get("plotly_chart")]


def _axes(fig: go.Figure):
    layout = fig.layout.to_plotly_json()
    return [(name, fig.layout[name]) for name in layout if re.fullmatch(r"[xy]axis\d*", name)]


def _list(values) -> list:
    """A trace array as a list, NaN as None: list, tuple, numpy array, None, or plotly's binary encoding
    (``{"dtype": "f8", "bdata": ...}``, which is what a chart's JSON carries for numeric arrays)."""
    if values is None:
        return []
    if isinstance(values, dict) and "bdata" in values:
        values = np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).tolist()
    return [None if isinstance(v, float) and v != v else v for v in list(values)]


def _months_or_years(xs: list) -> str | None:
    values = [x for x in xs if x is not None]
    if values and all(isinstance(x, numbers.Real) and float(x).is_integer() for x in values):
        return "year"
    try:
        dates = pd.to_datetime(pd.Series(values), format="ISO8601")
    except (ValueError, TypeError):
        return None
    if len(dates) and (dates.dt.day == 1).all() and (dates == dates.dt.normalize()).all():
        return "month"
    return None


def chart_problems(fig: go.Figure, lang: str = "fr") -> list[str]:
    """What misleads in ``fig`` (empty when it is honest)."""
    problems: list[str] = []
    log_word = t("charts.log_scale", lang)
    for name, axis in _axes(fig):
        title = axis.title.text or ""
        if axis.type == "log" and log_word not in title:
            problems.append(f"{name} is logarithmic but its title {title!r} does not say so")
        if axis.type != "log" and LOG_WORD.search(title):
            problems.append(f"{name} title {title!r} says log but the axis is linear")
        if RAW_TITLE.match(title):  # plotly's default: the column name ("count", "minor_versions_behind")
            problems.append(f"{name} title {title!r} is a raw column name")
    for trace in fig.data:
        if trace.showlegend is not False and trace.type not in ("scattergeo",) and (
                not str(trace.name or "").strip() or str(trace.name).strip() in chart_honesty.RAW_NAMES):
            problems.append(f"legend entry with no name ({trace.name!r})")
    background = plot_background(fig)
    for trace, colour in zip(fig.data, trace_colours(fig), strict=True):
        if trace.type in ("bar", "histogram") and (trace.texttemplate or trace.text is not None):
            if trace.textposition == "inside" and trace.marker.pattern.shape and trace.marker.pattern.fillmode != "overlay":
                problems.append(f"value labels of {trace.name!r} on a pattern drawn over the plot background")
                continue
            if trace.textposition == "inside":
                text, behind = trace.insidetextfont.color, colour
            elif trace.textposition == "outside":
                text, behind = trace.outsidetextfont.color, background
            else:
                problems.append(f"value labels of {trace.name!r} placed by plotly ({trace.textposition}): colour unchecked")
                continue
            backs = list(behind) if isinstance(behind, list | tuple) else [behind]
            fronts = list(text) if isinstance(text, list | tuple) else [text] * len(backs)
            for fg, bg in zip(fronts, backs, strict=True):
                if fg is None or contrast_ratio(fg, bg) < MIN_CONTRAST:
                    problems.append(f"value labels of {trace.name!r}: {fg} on {bg}")
        if trace.type in ("scatter", "scattergl") and "text" in (trace.mode or ""):
            named = [x for x in _list(trace.text) if str(x).strip()]
            if len(named) > LABEL_TOP_N:
                problems.append(f"{len(named)} text labels on a scatter plot (at most {LABEL_TOP_N})")
        if trace.type == "scatter" and "lines" in (trace.mode or "") and trace.x is not None:
            if trace.connectgaps:
                problems.append("connectgaps bridges missing values")
            xs = _list(trace.x)
            kind = _months_or_years(xs)
            if kind == "year":
                steps = {b - a for a, b in zip(xs, xs[1:], strict=False)}
            elif kind == "month":
                dates = pd.to_datetime(pd.Series(xs), format="ISO8601")
                steps = {(b.year - a.year) * 12 + b.month - a.month for a, b in zip(dates, dates[1:], strict=False)}
            else:
                steps = set()
            if steps - {1}:
                problems.append(f"line over {kind}s skips periods (steps {sorted(steps)})")
    return problems


@pytest.mark.parametrize("db_fixture", ["sample_db", "shipped_db"])
def test_every_chart_on_every_page_is_honest(french_pages, db_fixture):
    found: dict[str, list[str]] = {}
    count = 0
    for url_path, at in french_pages(db_fixture).items():
        for fig in _figures(at):
            count += 1
            problems = chart_problems(fig)
            if problems:
                found[f"{url_path}: {fig.layout.title.text}"] = problems
    assert count >= 8, "the pages drew their charts"
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_the_checks_catch_plotly_defaults():
    """Control: plotly's own figures (before the honesty pass) fail each check, and pass after it."""
    months = pd.DataFrame({"Month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-06-01"]), "N": [5, 7, 6]})
    bars = pd.DataFrame({"Tool": ["a", "b"], "Count": [3, 4]})
    points = pd.DataFrame({"X": range(20), "Y": range(20), "name": [f"p{i}" for i in range(20)]})
    raw = {
        "log": px.bar(bars, x="Tool", y="Count", log_y=True, labels={"Count": "Proposals"}),
        "log_claim": px.bar(bars, x="Tool", y="Count", labels={"Count": "Supports (log)"}),
        "legend": go.Figure([go.Scatter(x=[1, 2], y=[1, 2], name=""), go.Scatter(x=[1, 2], y=[2, 1], name="nan")]),
        "contrast": px.bar(bars, x="Tool", y="Count", text_auto=True),
        "pattern": px.bar(pd.DataFrame({"X": ["a", "a"], "N": [1, 2], "k": ["u", "v"]}), x="X", y="N", color="k",
                          pattern_shape="k", pattern_shape_sequence=["/", "x"], text_auto=True).update_traces(
                              textposition="inside", insidetextfont_color="#ffffff"),
        "labels": px.scatter(points, x="X", y="Y", text="name"),
        "gap": px.line(months, x="Month", y="N"),
        "raw_title": px.histogram(bars, x="Tool"),  # y axis: plotly's English "count"
    }
    expected = {"log": "does not say so", "log_claim": "says log", "legend": "legend entry with no name",
                "contrast": "placed by plotly", "pattern": "on a pattern", "labels": "text labels on a scatter",
                "gap": "skips periods", "raw_title": "raw column name"}
    for kind, fig in raw.items():
        assert any(expected[kind] in p for p in chart_problems(fig)), (kind, chart_problems(fig))
    for kind in ("log", "legend", "contrast", "pattern"):
        assert not chart_problems(chart_honesty.finish(raw[kind], "fr")), kind
    assert not chart_problems(charts.line(months, "Month", "N", "t", {}, "fr"))
    assert not chart_problems(charts.scatter(points, "X", "Y", "t", {}, "fr", text="name"))


def test_wcag_contrast_and_the_text_colour_chosen():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48  # the classic "just fails AA" grey
    assert contrast_ratio("#767676", "#ffffff") >= 4.5
    for colour in ("#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880",
                   "#FF97FF", "#FECB52", "rgb(127, 127, 127)", "#08519c"):
        assert contrast_ratio(chart_honesty.readable_on(colour), colour) >= MIN_CONTRAST, colour
    assert chart_honesty.readable_on("#FECB52") == chart_honesty.DARK
    assert chart_honesty.readable_on("#08519c") == chart_honesty.LIGHT


def test_with_gaps_inserts_missing_months_and_years():
    months = pd.DataFrame({"month": [pd.Timestamp("2024-01-01").date(), pd.Timestamp("2024-04-01").date()],
                           "n": [3, 5]})
    out = chart_honesty.with_gaps(months, "month", "n")
    assert [str(d) for d in out["month"]] == ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]
    assert out["n"].isna().tolist() == [False, True, True, False]
    years = pd.DataFrame({"year": [2019, 2022, 2019, 2020], "tool": ["A", "A", "B", "B"], "n": [1, 2, 1, 3]})
    out = chart_honesty.with_gaps(years, "year", "n", "tool")
    assert len(out) == 8 and out["n"].isna().sum() == 4  # A: 2020, 2021; B: 2021, 2022
    stamps = pd.DataFrame({"at": pd.to_datetime(["2024-01-03 10:00", "2024-05-09 08:00"]), "n": [1, 2]})
    assert chart_honesty.with_gaps(stamps, "at", "n").equals(stamps), "irregular snapshots are left alone"


def test_subset_title_only_when_part_of_the_rows_is_used():
    assert chart_honesty.subset_title("Growth", 643, 643, "deployments have a start year", "en") == "Growth"
    assert chart_honesty.subset_title("Growth", 5, 643, "deployments have a start year", "en") == \
        "Growth: 5 of 643 deployments have a start year"
    assert chart_honesty.subset_title("Croissance", 5, 1006, "déploiements ont une année", "fr") == \
        "Croissance : 5 sur 1\u202f006 déploiements ont une année"


def test_adoption_growth_says_how_many_deployments_it_is_built_on(french_pages, built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        dated, total = con.execute("SELECT count(started_year), count(*) FROM deployments").fetchone()
    finally:
        con.close()
    assert 0 < dated < total, "the shipped catalogue has deployments without a start year"
    titles = [fig.layout.title.text for fig in _figures(french_pages("shipped_db")["adoption"])]
    expected = f"{fmt_number(dated, 'fr')} sur {fmt_number(total, 'fr')} {t('adoption.subset_dated', 'fr')}"
    assert any(expected in title for title in titles), titles


def test_research_log_axes_say_so_in_french(french_pages):
    figs = {fig.layout.title.text: fig for fig in _figures(french_pages("sample_db")["research"])}
    bins = figs[t("research.chart_bins", "fr")]
    assert bins.layout.yaxis.type == "log"
    assert bins.layout.yaxis.title.text == f"{t('research.proposals', 'fr')} (échelle logarithmique)"


def test_a_month_without_proposals_is_a_gap_not_a_line(sample_db, tmp_path, monkeypatch):
    """The sample has proposals in January and February; one more in April leaves March empty."""
    db = tmp_path / "gap.duckdb"
    shutil.copy(sample_db, db)
    con = duckdb.connect(str(db))
    try:
        con.execute("INSERT INTO proposals SELECT * REPLACE ('p9' AS proposal_id, TIMESTAMP '2026-04-10 10:00' "
                    "AS published_at) FROM proposals WHERE proposal_id = 'p1'")
    finally:
        con.close()
    monkeypatch.setenv("OBSERVATORY_DB", str(db))
    at = AppTest.from_file(str(Path(charts.__file__).parent / "streamlit_app.py"), default_timeout=90)
    at.query_params.update({"page": "participation", "lang": "fr"})
    at.run()
    assert not at.exception
    monthly = next(f for f in _figures(at) if f.layout.title.text == t("participation.chart_months", "fr"))
    line = monthly.data[0]
    assert [str(x)[:7] for x in line.x] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    ys = _list(line.y)
    assert ys[2] is None and None not in ys[:2] + ys[3:], ys
    assert not line.connectgaps
    assert not chart_problems(monthly)
