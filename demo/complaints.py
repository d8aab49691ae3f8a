"""A year of demo complaints (about 3,000 for "full", 300 for "small"), written through
the real services: the office registers, assigns, links duplicates, decides extensions and
follows up; each unit's liaison signs for, replies, returns a misrouted complaint or asks
for more time. Every step happens at its moment in the past (db.timeutil.as_of), so the
status log, the replies and the audit log read as the year it was.

What a user should find: more heating complaints in winter and water and power ones in
summer; districts and channels that differ (towns phone and visit, the city uses the 12345
hotline and the web); about 5% escalated past the city (越级上访), some to the province;
repeat callers, half of them linked as duplicates; some complaints overdue, some reopened
after an unsatisfied follow-up, some returned as misrouted."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from db.models import Complaint, ComplaintCategory, District, Unit, User
from db.timeutil import as_of, utcnow
from demo import activity as demo_activity
from demo import complaint_texts as texts
from demo import org as demo_org
from services.complaints import duplicates, workflow
from services.complaints import register as complaint_register
from services.core import clock
from services.core.uow import UnitOfWork

Progress = Callable[[float, str], None]

SIZES = {"full": 3000, "small": 300}
# The small sample covers four months, so that its few hundred complaints still show every
# stage (some waiting for the unit's answer or for the follow-up).
SPAN_DAYS = {"full": 365, "small": 120}
REPEAT_SHARE = 0.06  # repeat callers about a matter already registered
ESCALATED_SHARE = 0.05
CHANNELS = ("hotline", "phone", "online", "visit", "letter", "other")
# Where the unit sits -> how its complainants reach the office (weights in CHANNELS order).
CHANNEL_WEIGHTS = {
    "city": (40, 20, 22, 8, 5, 5),
    "district": (34, 30, 10, 16, 6, 4),
    "town": (18, 36, 3, 30, 11, 2),
}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
GIVEN = ("建华", "秀兰", "志明", "桂英", "海涛", "丽萍", "国强", "玉梅", "小军", "春燕", "德胜",
         "淑芬", "振宇", "晓红", "永福", "文静", "立新", "翠花", "明亮", "雪梅")
REPLIES = {
    "工作不到位": ("已安排专人上门核实处理，问题已解决", "已现场排查并整改，建立回访台账"),
    "服务态度差": ("已约谈当事工作人员并批评教育，向来电人当面道歉",
                   "已在全单位通报，组织窗口人员服务礼仪培训"),
    "工作方式不当": ("已向来电人解释政策并改进办理方式", "已取消不合理的材料要求，当场办结"),
    "办事拖拉": ("已加快办理，事项已于回复前办结", "已督促经办科室限时办结并告知进度"),
    "乱收费": ("经核查确属多收，已全额退还", "已核对收费依据并在显著位置公示收费标准"),
    "其他": ("已采纳建议并安排改进", "已向来电人说明情况，作出相应调整"),
}
UNSATISFIED = ("问题没有真正解决，只是电话里敷衍", "退款至今没有到账", "工作人员没有道歉",
               "承诺的整改没有落实")


@dataclass
class Plan:
    """One complaint to make: who, about whom, what, when; what happens to it."""

    unit: texts.UnitProfile
    category: str
    content: str
    received_at: datetime
    channel: str
    name: str
    phone: str
    address: str
    anonymous: bool
    escalation: str  # "none", "city", "province", "national"
    original: Plan | None = None
    made: Complaint | None = None


def load_complaints(
    uow: UnitOfWork, *, size: str, password: str, progress: Progress | None = None,
    seed: int = 2027,
) -> dict[str, int]:
    report = progress or (lambda _f, _s: None)
    rng = random.Random(seed)
    now = utcnow()
    s = uow.session
    people = demo_activity._people(uow, password)
    office: User = people["office"]
    units = {u.name: u for u in s.exec(select(Unit)).all()}
    districts = {d.name: d.id for d in s.exec(select(District)).all()}
    categories = {c.name: c for c in s.exec(select(ComplaintCategory)).all()}
    profiles = [p for p in texts.profiles() if p.name in units]
    plans = _plans(rng, now, profiles, SIZES[size], SPAN_DAYS[size])
    counts = {"complaints": 0, "duplicates": 0, "escalated": 0, "reopened": 0, "returned": 0}
    step = Steps(uow, rng, now, office, people, units, categories, counts)
    for n, plan in enumerate(plans, start=1):
        unit = units[plan.unit.name]
        district = _district_of(plan, districts) or unit.district_id
        step.run(plan, unit, district)
        if n % 100 == 0 or n == len(plans):
            report(n / len(plans), "complaints")
    counts["liaisons"] = people["created_liaisons"]
    uow.audit(office, "demo.complaints", "complaint", None, after=dict(counts))
    return counts


def _plans(rng: random.Random, now: datetime, profiles: list[texts.UnitProfile],
           total: int, span: int) -> list[Plan]:
    """`total` complaints over the last `span` days, in the order they came in. A unit's share
    follows its kind's volume and the month's season, so heating piles up in winter."""
    days = [now - timedelta(days=d) for d in range(span, 0, -1)]
    weights = {m: [p.data.volume * texts.SEASONS[p.data.season][m - 1] for p in profiles]
               for m in range(1, 13)}
    day_weights = [sum(weights[clock.local(d).month]) for d in days]
    originals = round(total * (1 - REPEAT_SHARE))
    plans = []
    for day in rng.choices(days, weights=day_weights, k=originals):
        month = clock.local(day).month
        unit = rng.choices(profiles, weights=weights[month])[0]
        plans.append(_plan(rng, unit, day, month))
    plans.sort(key=lambda p: p.received_at)
    repeats = []
    while len(repeats) < total - originals:
        first = rng.choice(plans)
        again = first.received_at + timedelta(days=rng.uniform(1, 20))
        if again >= now - timedelta(hours=2) or first.anonymous or not first.phone:
            continue
        repeats.append(Plan(
            first.unit, first.category, texts.repeat(rng, first.content), again,
            rng.choice(("hotline", "phone")), first.name, first.phone, first.address, False,
            "none", original=first))
    return sorted(plans + repeats, key=lambda p: p.received_at)


def _plan(rng: random.Random, unit: texts.UnitProfile, day: datetime, month: int) -> Plan:
    where = "city" if unit.district is None else (
        "district" if unit.district in demo_org.DISTRICTS else "town")
    channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS[where])[0]
    hours = (8, 22) if channel in ("hotline", "online") else (9, 17)
    local = clock.local(day).replace(hour=rng.randint(*hours), minute=rng.randint(0, 59),
                                     second=0, microsecond=0)
    category = texts.category_for(rng, unit)
    content = texts.compose(rng, unit, category, month=month)
    escalation = "none"
    if rng.random() < ESCALATED_SHARE:
        escalation = rng.choices(("city", "province", "national"), weights=(5, 4, 1))[0]
        content = rng.choice(("多次向单位反映无果，", "向单位和区里反映都没有结果，")) + content
        if escalation == "province" and rng.random() < 0.7:
            channel = "provincial"
    anonymous = channel in ("online", "letter", "hotline") and rng.random() < 0.06
    name = phone = address = ""
    if not anonymous:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)[: rng.choice((1, 2, 2))]
        phone = _phone(rng)
        address = texts.address(rng, unit) if rng.random() < 0.8 else ""
    category = texts.filed_as(rng, category)
    return Plan(unit, category, content, local.astimezone(UTC), channel, name, phone, address,
                anonymous, escalation)


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.15:  # a landline in Jiayuguan (area code 0937)
        return f"0937-6{rng.randint(0, 999999):06d}"
    prefix = rng.choice(("138", "139", "137", "135", "150", "151", "152", "158", "187", "189",
                         "133", "153", "180", "181", "177", "130", "131", "132", "155", "186"))
    return f"{prefix}{rng.randint(0, 99999999):08d}"


def _district_of(plan: Plan, districts: dict[str, int]) -> int | None:
    """A city-wide unit's complaint is about the place the complainant lives in."""
    if plan.unit.district is not None or not plan.address:
        return None
    for name in list(demo_org.TOWNS) + demo_org.DISTRICTS:
        if plan.address.startswith(name):
            return districts.get(name)
    return None


class Steps:
    """Takes one planned complaint through its life, each step at its own moment; a step
    that would lie in the future has not happened yet, so recent complaints are open."""

    def __init__(self, uow, rng, now, office, people, units, categories, counts) -> None:
        self.uow, self.rng, self.now, self.office = uow, rng, now, office
        self.people, self.units, self.categories, self.counts = people, units, categories, counts
        self.by_kind: dict[str, list[Unit]] = {}
        for p in texts.profiles():
            if p.name in units:
                self.by_kind.setdefault(p.kind, []).append(units[p.name])

    def at(self, moment: datetime):
        return as_of(min(moment, self.now))

    def run(self, plan: Plan, unit: Unit, district_id: int | None) -> None:
        rng, uow, office = self.rng, self.uow, self.office
        t = plan.received_at + timedelta(minutes=rng.randint(3, 90))
        if t >= self.now:
            t = plan.received_at
        with self.at(t):
            c = complaint_register.register_complaint(
                uow, actor=office, client_key=f"demo-complaint-{rng.getrandbits(64):016x}",
                channel=plan.channel, received_at=plan.received_at,
                category_id=self.categories[plan.category].id, content=plan.content,
                anonymous=plan.anonymous, complainant_name=plan.name,
                complainant_phone=plan.phone, complainant_address=plan.address,
                unit_id=unit.id if rng.random() < 0.7 else None, district_id=district_id,
                escalated=plan.escalation != "none",
                escalation_level=plan.escalation,
            )
        plan.made = c
        self.counts["complaints"] += 1
        self.counts["escalated"] += plan.escalation != "none"
        if plan.original is not None and plan.original.made is not None and rng.random() < 0.5:
            t = self._later(t, 0.2, 8)
            if t is None:
                return
            with self.at(t):
                duplicates.link(uow, actor=office, complaint_id=c.id, version=c.version,
                                original_id=plan.original.made.id)
                workflow.close_directly(uow, actor=office, complaint_id=c.id,
                                        version=c.version, note="重复投诉，已并入原件办理")
            self.counts["duplicates"] += 1
            return
        if rng.random() < 0.03:
            t = self._later(t, 0.5, 24)
            if t is not None:
                with self.at(t):
                    workflow.close_directly(uow, actor=office, complaint_id=c.id,
                                            version=c.version,
                                            note="已电话向来电人解释相关政策，来电人表示理解")
            return
        self._at_unit(plan, c, unit, t)

    def _later(self, t: datetime, low_hours: float, high_hours: float) -> datetime | None:
        t = t + timedelta(hours=self.rng.uniform(low_hours, high_hours))
        return t if t < self.now else None

    def _liaison(self, unit: Unit) -> User:
        return demo_activity._liaison(self.uow.session, unit, self.people)

    def _assign(self, c: Complaint, unit: Unit, t: datetime) -> datetime | None:
        t = self._later(t, 0.5, 30)
        if t is not None:
            with self.at(t):
                workflow.assign(self.uow, actor=self.office, complaint_id=c.id,
                                version=c.version, unit_id=unit.id)
        return t

    def _at_unit(self, plan: Plan, c: Complaint, unit: Unit, t: datetime) -> None:
        rng, uow, office = self.rng, self.uow, self.office
        siblings = [u for u in self.by_kind.get(plan.unit.kind, []) if u.id != unit.id]
        if siblings and rng.random() < 0.04:  # sent to the wrong one of its kind first
            wrong = rng.choice(siblings)
            t = self._assign(c, wrong, t)
            if t is None:
                return
            t = self._later(t, 2, 40)
            if t is None:
                return
            with self.at(t):
                workflow.return_to_office(uow, actor=self._liaison(wrong), complaint_id=c.id,
                                          reason=f"该事项不属于我单位职责，建议转{unit.name}办理")
            self.counts["returned"] += 1
        t = self._assign(c, unit, t)
        if t is None:
            return
        liaison = self._liaison(unit)
        late_sign = rng.random() < 0.08
        t = self._later(t, 30, 110) if late_sign else self._later(t, 0.2, 20)
        if t is None:
            return
        with self.at(t):
            workflow.sign(uow, actor=liaison, complaint_id=c.id)
        if rng.random() < 0.04:
            return  # never answered: overdue once the deadline passes
        if rng.random() < 0.06:
            t = self._extension(c, liaison, t)
            if t is None:
                return
        for round_ in range(3):
            days_left = (c.deadline - clock.local_date(t)).days
            t = self._later(t, 4, 24 * max(1.0, days_left * 1.25))
            if t is None:
                return
            with self.at(t):
                workflow.reply(uow, actor=liaison, complaint_id=c.id,
                               action_taken=rng.choice(REPLIES[plan.category]),
                               result=rng.choice(("已办结", "已整改到位", "已向来电人反馈")))
            t = self._later(t, 4, 96)
            if t is None:
                return
            unsatisfied = round_ < 2 and rng.random() < 0.12
            satisfaction = "unsatisfied" if unsatisfied else rng.choices(
                ("satisfied", "basically"), weights=(4, 1))[0]
            with self.at(t):
                workflow.follow_up(
                    uow, actor=office, complaint_id=c.id, version=c.version,
                    satisfaction=satisfaction, method=rng.choice(("phone", "phone", "sms")),
                    note=rng.choice(UNSATISFIED) if unsatisfied else "")
            if not unsatisfied:
                return
            self.counts["reopened"] += 1

    def _extension(self, c: Complaint, liaison: User, t: datetime) -> datetime | None:
        rng, uow = self.rng, self.uow
        t = self._later(t, 2, 72)
        if t is None:
            return None
        with self.at(t):
            request = workflow.ask_extension(
                uow, actor=liaison, complaint_id=c.id,
                reason="涉及多个部门协调，需要更多时间核实",
                new_deadline=c.deadline + timedelta(days=rng.randint(5, 15)))
            uow.flush()  # the office decides on it by its id
        t = self._later(t, 2, 30)
        if t is None:
            return None
        grant = rng.random() < 0.8
        with self.at(t):
            workflow.decide_extension(uow, actor=self.office, extension_id=request.id,
                                      grant=grant, note="" if grant else "时限内可以办结")
        return t
