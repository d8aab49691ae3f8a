"""Each chart's data as a table: what its CSV download holds, with headers in the reader's
language. Rows are the chart's own (a few hundred at most), never raw records."""

from __future__ import annotations

import pandas as pd

from services.dashboard import districts
from services.dashboard.snapshot import Dashboard
from ui.context import t


def tasks(board: Dashboard) -> pd.DataFrame:
    return pd.DataFrame([{
        t("dash.col.battle"): r.battle, t("dash.col.task"): f"{r.code} {r.title}",
        t("dash.col.lead_unit"): r.lead_unit, t("dash.reported_percent"): r.percent,
        t("dash.expected_percent"): r.expected,
        t("dash.col.schedule"): t(f"schedule.status.{r.schedule}")} for r in board.tasks])


def volume(board: Dashboard) -> pd.DataFrame:
    return pd.DataFrame([{
        t(f"dash.grain.{board.granularity}"): p.bucket.isoformat(),
        t("field.channel"): t(f"complaint_channel.{p.channel}"),
        t("kpi.complaints"): p.complaints} for p in board.volume])


def district_table(board: Dashboard) -> pd.DataFrame:
    rows = []
    for r in board.districts:
        row = {t("field.district"): r.district, t("dash.col.population"): r.population,
               t("kpi.complaints"): r.complaints, t("kpi.inspections"): r.inspections,
               t("dash.col.findings"): r.findings}
        row |= {t(f"dash.measure.{m}"): r.measure(m) for m in districts.MEASURES}
        rows.append(row)
    return pd.DataFrame(rows)


def top_units(rows) -> pd.DataFrame:
    return pd.DataFrame([{t("dash.col.unit"): r.unit, t("dash.col.count"): r.count}
                         for r in rows])


def pipeline(board: Dashboard) -> pd.DataFrame:
    return pd.DataFrame([{t("dash.col.stage"): t(f"dash.stage.{s.stage}"),
                          t("dash.col.count"): s.count} for s in board.pipeline])
