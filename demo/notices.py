"""Demo notices (通报): two issued of each kind (criticism of the units with the most
confirmed findings, commendation of those with none, situation reports of the last two
months) and one criticism awaiting a leader's sign-off, made through the notice services as
the office and the leader would, with issue days in the past."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select

from db.models import Finding, NoticeKind, Unit, User
from db.timeutil import utcnow
from services.core import clock
from services.core.uow import UnitOfWork
from services.findings.status import CONFIRMED
from services.notices import compose, workflow

REQUIREMENTS = ("被通报单位要认真对照问题清单，逐条制定整改措施，明确责任人和完成时限。\n"
                "各单位要举一反三，开展自查自纠，坚决防止类似问题再次发生。")
PRAISE = ("窗口服务群众满意度持续保持第一，全年零投诉。", "推行“一窗通办”，办事时限压缩一半以上。",
          "主动公开办事指南，群众办事“最多跑一次”。", "建立首问负责台账，群众诉求件件有回音。")


def _user(uow: UnitOfWork, username: str) -> User:
    return uow.session.exec(select(User).where(User.username == username)).one()


def _worst_units(uow: UnitOfWork, n: int) -> list[tuple[int, list[int]]]:
    """The units with the most confirmed findings, each with up to three of them."""
    counts = uow.session.exec(
        select(Finding.unit_id, func.count()).where(col(Finding.status).in_(CONFIRMED))
        .group_by(Finding.unit_id).order_by(func.count().desc(), Finding.unit_id).limit(n)
    ).all()
    out = []
    for unit_id, _ in counts:
        ids = uow.session.exec(select(Finding.id).where(
            Finding.unit_id == unit_id, col(Finding.status).in_(CONFIRMED))
            .order_by(Finding.id).limit(3)).all()
        out.append((unit_id, list(ids)))
    return out


def _clean_units(uow: UnitOfWork, n: int) -> list[int]:
    busy = select(Finding.unit_id).distinct()
    return list(uow.session.exec(select(Unit.id).where(
        Unit.active == True, col(Unit.id).not_in(busy))  # noqa: E712
        .order_by(Unit.id).limit(n)).all())


def _issued(uow: UnitOfWork, office: User, leader: User, key: str, at: datetime,
            **typed) -> None:
    made = compose.create_draft(uow, actor=office, client_key=key, now=at - timedelta(days=2),
                                **typed)
    workflow.submit(uow, actor=office, notice_id=made.id, version=None)
    workflow.sign(uow, actor=leader, notice_id=made.id, version=None,
                  now=at - timedelta(hours=3))
    workflow.issue(uow, actor=office, notice_id=made.id, version=None, now=at)


def load_notices(uow: UnitOfWork) -> dict[str, int]:
    office, leader = _user(uow, "office"), _user(uow, "leader")
    now, today = utcnow(), clock.today()
    worst = _worst_units(uow, 5)
    if not worst:
        return {"notices": 0}
    names = dict(uow.session.exec(select(Unit.id, Unit.name)).all())
    deadline = today + timedelta(days=15)
    for n, (unit_id, ids) in enumerate((worst * 2)[:2]):
        ids = ids if n == 0 or len(worst) > 1 else ids[-1:]
        _issued(uow, office, leader, f"demo-criticism-{n}", now - timedelta(days=40 - 20 * n),
                kind=NoticeKind.CRITICISM, title=f"关于{names[unit_id]}效能问题的通报",
                unit_ids=[unit_id], finding_ids=ids, requirements=REQUIREMENTS,
                rectification_deadline=deadline, cc="市纪委监委、市委组织部",
                opening="近期，市效能风暴行动领导小组办公室组织开展效能督查，发现以下问题，"
                        "现予以通报批评。", send_extracts=n == 1)
    praised = _clean_units(uow, 4)
    for n in range(2):
        units = praised[2 * n:2 * n + 2] or [worst[-1][0]]
        _issued(uow, office, leader, f"demo-commendation-{n}",
                now - timedelta(days=35 - 20 * n), kind=NoticeKind.COMMENDATION,
                title="关于表扬效能建设先进单位的通报", unit_ids=units,
                reasons={u: PRAISE[(2 * n + k) % len(PRAISE)] for k, u in enumerate(units)},
                opening="效能风暴行动开展以来，以下单位积极作为、成效明显，现予以通报表扬。",
                requirements="希望受表扬单位再接再厉，各单位要学习先进、比学赶超。")
    for n, months_back in enumerate((2, 1)):
        first = date(today.year, today.month, 1)
        for _ in range(months_back):
            first = (first - timedelta(days=1)).replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        _issued(uow, office, leader, f"demo-situation-{n}",
                now - timedelta(days=30 * (months_back - 1) + 3),
                kind=NoticeKind.SITUATION, title=f"关于{first.month}月份效能风暴行动情况的通报",
                unit_ids=[u for u, _ in worst[:3]], period_from=first, period_to=last,
                opening="现将效能风暴行动开展情况通报如下。",
                requirements="各单位要对照通报情况，补短板、强弱项，确保各项任务按期完成。")
    unit_id, ids = worst[min(2, len(worst) - 1)]
    waiting = compose.create_draft(
        uow, actor=office, client_key="demo-awaiting", kind=NoticeKind.CRITICISM,
        title=f"关于{names[unit_id]}效能问题的通报", unit_ids=[unit_id], finding_ids=ids,
        requirements=REQUIREMENTS, rectification_deadline=deadline,
        opening="近期督查发现以下问题，现予以通报批评。")
    workflow.submit(uow, actor=office, notice_id=waiting.id, version=None)
    return {"notices": 7}
