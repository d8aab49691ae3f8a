"""The benchmark's naive baseline (benchmarks/dashboard_naive.py) counts what the dashboard
counts: a baseline that computed something else would make the comparison meaningless."""

from __future__ import annotations

from benchmarks import dashboard_naive
from services.dashboard import kpis
from tests.dashboard_fixtures import TODAY, filters


def test_the_baseline_agrees_with_the_dashboard(uow, city) -> None:
    wanted = filters()
    naive = dashboard_naive.compute(uow.engine, wanted, TODAY)
    figures = {k.key: k for k in uow.query(kpis.kpis, actor=city["office"], filters=wanted,
                                          today=TODAY)}
    now, before = naive["cur"], naive["prev"]
    assert (now["complaints"], before["complaints"]) == (5, 1) == (
        figures["complaints"].value, figures["complaints"].previous)
    assert now["escalated"] == figures["escalations"].value == 1
    assert now["on_time"] / now["due"] == figures["reply_on_time"].value
    assert now["pleased"] / now["followed"] == figures["satisfaction"].value
    assert now["inspections"] == figures["inspections"].value == 2
    assert naive["rect_on_time"] / naive["rect_due"] == figures["rectification_on_time"].value
