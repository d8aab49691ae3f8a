"""A situation report's figures (情况通报): the campaign's key figures for a period, as the
sentences the notice prints. They come from the dashboard's own queries (services/dashboard/
kpis.py), city-wide for the office, so the notice and the leaders' screen never disagree;
the draft keeps them as text, frozen when saved, so what a leader signs off is what issues."""

from __future__ import annotations

from datetime import date

from db.models import User
from services.core import clock
from services.core.errors import ValidationFailed
from services.core.uow import UnitOfWork
from services.dashboard.kpis import kpis
from services.dashboard.period import Period
from services.dashboard.scope import Filters


def _count(value: float | None) -> str:
    return f"{int(value or 0)}"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def situation_figures(uow: UnitOfWork, *, actor: User, start: date | None,
                      end: date | None, today: date | None = None) -> str:
    """One sentence a line: complaints, field work, rectification and the 25 tasks."""
    if start is None or end is None or end < start:
        raise ValidationFailed("notice.bad_period", field="notice_period")
    today = today or clock.today()
    if start > today:
        raise ValidationFailed("notice.bad_period", field="notice_period")
    end = min(end, today)  # the days counted: a notice states no figures of days to come
    got = {k.key: k.value for k in kpis(uow, actor=actor, today=today,
                                       filters=Filters(Period(start, end)))}
    span = f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
    return "\n".join((
        f"{span}，全市共受理群众投诉{_count(got['complaints'])}件，"
        f"按时答复率{_share(got['reply_on_time'])}，回访满意率{_share(got['satisfaction'])}，"
        f"升级督办{_count(got['escalations'])}件。",
        f"开展效能督查{_count(got['inspections'])}次，期间发现且尚未整改完毕的问题"
        f"{_count(got['open_findings'])}个；整改期限届满的问题按期整改率"
        f"{_share(got['rectification_on_time'])}，逾期未整改{_count(got['overdue_rectifications'])}个。",
        f"重点任务进展正常{_count(got['tasks_on_track'])}项，滞后{_count(got['tasks_behind'])}项，"
        f"逾期{_count(got['tasks_overdue'])}项；月度进展逾期未报{_count(got['reports_late'])}次。",
    ))
