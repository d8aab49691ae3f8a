"""The deck as one self-contained HTML page: a 16:9 slide (1280 x 720 CSS px, 13.33 x 7.5 in
printed, 1920 x 1080 in a screenshot at 1.5x) for the cover and for each panel.

Nothing is fetched: plotly.js is inlined from the installed plotly package, fonts are the
machine's (Noto Sans CJK SC first, so Chinese is not drawn as boxes), and the page's
Content-Security-Policy forbids every outside load and every script without this page's
nonce. Text is escaped through ui.text.html_text; a figure travels as JSON inside the one
script, with `<`, `>` and `&` as \\u escapes so no typed text can close the script tag."""

from __future__ import annotations

import numbers
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly
import plotly.graph_objects as go

from ui.text import html_text

WIDTH, HEIGHT = 1280, 720
FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", ' \
       '"Microsoft YaHei", sans-serif'
MAX_ROWS = 16  # a slide's table; the rest is said as "… (+N)"
CHART_FULL = (1200, 560)
CHART_BESIDE_TABLE = (720, 560)
CHART_WITH_NOTE = 56  # px less in height when a note is shown under the chart


@dataclass(frozen=True)
class Panel:
    """One slide: a chart, a table or both (chart left, table right), and a note below."""

    title: str
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    note: str = ""


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(
        encoding="utf-8")


CSS = f"""
@page {{ size: {WIDTH}px {HEIGHT}px; margin: 0; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; background: #fff; color: #1f2937;
  font-family: {FONT}; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
.slide {{ position: relative; width: {WIDTH}px; height: {HEIGHT}px; overflow: hidden;
  padding: 28px 40px 0; }}
.slide + .slide {{ break-before: page; }}
.cover {{ display: flex; flex-direction: column; justify-content: center; padding: 0 96px;
  border-left: 18px solid #b91c1c; }}
.cover h1 {{ font-size: 54px; margin: 0 0 28px; line-height: 1.25; }}
.cover p {{ font-size: 24px; margin: 0; color: #4b5563; white-space: pre-line; line-height: 1.6; }}
h2 {{ font-size: 30px; margin: 0 0 14px; height: 44px; line-height: 44px; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; border-bottom: 3px solid #b91c1c; }}
.body {{ display: flex; gap: 24px; align-items: flex-start; }}
.chart {{ flex: none; }}
.table {{ flex: 1; min-width: 0; }}
table {{ width: 100%; border-collapse: collapse; font-size: 15px; }}
th, td {{ padding: 5px 8px; border-bottom: 1px solid #e5e7eb; text-align: left;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 360px; }}
th {{ background: #f3f4f6; font-weight: 600; }}
th.num, td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.more {{ color: #6b7280; font-size: 14px; margin-top: 6px; }}
.note {{ position: absolute; left: 40px; right: 40px; bottom: 44px; font-size: 16px;
  color: #374151; max-height: 48px; overflow: hidden; white-space: pre-line; }}
.foot {{ position: absolute; left: 40px; right: 40px; bottom: 12px; font-size: 13px;
  color: #9ca3af; display: flex; justify-content: space-between; }}
.failed {{ color: #b91c1c; font-size: 16px; }}
"""


def page(panels: list[Panel], *, title: str, subtitle: str, cover: bool, first: int = 1,
         total: int | None = None) -> str:
    """The whole HTML page: a cover (when `cover`), then one slide per panel, numbered from
    `first` of `total` (a deck taken in several parts)."""
    nonce = secrets.token_urlsafe(16)
    slides, figures = [], []
    if cover:
        slides.append(f'<section class="slide cover"><h1>{html_text(title)}</h1>'
                      f"<p>{html_text(subtitle)}</p></section>")
    for number, panel in enumerate(panels, start=first):
        slides.append(_slide(panel, number, total or len(panels), title, figures))
    policy = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
              "img-src data:; font-src data:")
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        f"<title>{html_text(title)}</title><style>{CSS}</style>"
        f'<script nonce="{nonce}">{_plotly_js()}</script></head><body>'
        + "".join(slides)
        + f'<script nonce="{nonce}">{_draw(figures)}</script></body></html>'
    )


def _slide(panel: Panel, number: int, total: int, title: str, figures: list[str]) -> str:
    parts = []
    if panel.figure is not None:
        width, height = CHART_BESIDE_TABLE if panel.table is not None else CHART_FULL
        if panel.note:
            height -= CHART_WITH_NOTE
        figures.append(_figure_json(panel.figure, width, height))
        parts.append(f'<div class="chart" id="chart-{len(figures) - 1}" '
                     f'style="width:{width}px;height:{height}px"></div>')
    if panel.table is not None:
        parts.append(f'<div class="table">{table_html(panel.table)}</div>')
    note = f'<div class="note">{html_text(panel.note)}</div>' if panel.note else ""
    return (f'<section class="slide"><h2>{html_text(panel.title)}</h2>'
            f'<div class="body">{"".join(parts)}</div>{note}'
            f'<div class="foot"><span>{html_text(title)}</span>'
            f"<span>{number} / {total}</span></div></section>")


def table_html(frame: pd.DataFrame) -> str:
    """The first MAX_ROWS rows; an index that means something (not 0, 1, 2...) as a column."""
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    numeric = [pd.api.types.is_numeric_dtype(d) and not pd.api.types.is_bool_dtype(d)
               for d in frame.dtypes]
    head = "".join(_cell("th", html_text(c), is_num)
                   for c, is_num in zip(frame.columns, numeric, strict=True))
    rows = []
    for values in frame.head(MAX_ROWS).itertuples(index=False, name=None):
        cells = "".join(_cell("td", _number(v) if is_num else html_text("" if _missing(v) else v),
                              is_num) for v, is_num in zip(values, numeric, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    more = len(frame) - MAX_ROWS
    extra = f'<div class="more">… (+{more})</div>' if more > 0 else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{extra}"


def _cell(tag: str, text: str, is_num: bool) -> str:
    return f'<{tag} class="num">{text}</{tag}>' if is_num else f"<{tag}>{text}</{tag}>"


def _number(value: object) -> str:
    if _missing(value):
        return ""
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return f"{float(value):,.0f}" if float(value).is_integer() else f"{float(value):,.2f}"
    return html_text(value)


def _missing(value: object) -> bool:
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


def _figure_json(figure: go.Figure, width: int, height: int) -> str:
    """A copy sized for its slot, in the deck's font, as JSON safe inside a script tag."""
    fig = go.Figure(figure)
    # Streamlit makes its own template the default, and that one leaves colours to the
    # app's theme: printed alone, every bar came out black. Plotly's own white template
    # carries its colours with it.
    fig.update_layout(template="plotly_white", width=width, height=height, autosize=False,
                      font_family=FONT, paper_bgcolor="#fff")
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    if fig.layout.margin.t is None:
        fig.update_layout(margin={"t": 60 if fig.layout.title.text else 24})
    text = fig.to_json()
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _draw(figures: list[str]) -> str:
    """Draw every chart; a chart plotly refuses says so on its slide instead of a blank."""
    return (
        f"const FIGURES = [{','.join(figures)}];"
        "FIGURES.forEach(function (fig, i) {"
        " var el = document.getElementById('chart-' + i);"
        " function fail(err) { el.className += ' failed'; el.textContent = '\\u26a0 ' + err; }"
        " try { Plotly.newPlot(el, fig.data, fig.layout || {},"
        " {staticPlot: true, displayModeBar: false}).catch(fail); } catch (err) { fail(err); }"
        "});"
    )
