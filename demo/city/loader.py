"""`manage.py demo --scale city`: a city-sized data set in one transaction. The demo's
organisation, accounts, checklist and the campaign's 25 tasks go in through the services
(when missing); everything else in bulk (demo/city/bulk.py), past the services, with the
rules of services/findings/status.py and services/campaign/ kept by construction. The same
seed and day give the same data."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlmodel import select

from config import get_settings
from db.models import (
    Complaint,
    ComplaintCategory,
    ComplaintFollowUp,
    Finding,
    FindingStatusChange,
    Inspection,
    Rectification,
    Role,
    Unit,
    User,
)
from db.timeutil import utcnow
from demo import activity as demo_activity
from demo import loader as demo_loader
from demo.city import bulk, fieldwork, follow_ups
from demo.city import campaign as city_campaign
from demo.city import complaints as city_complaints
from demo.city import org as city_org
from services.core import clock, data_version
from services.core.errors import Conflict, PermissionDenied
from services.core.system import system_actor
from services.core.uow import UnitOfWork

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Sizes:
    units: int = 2_000
    complaints: int = 1_000_000
    inspections: int = 100_000
    findings: int = 300_000
    years: int = 3


def is_loaded(uow: UnitOfWork) -> bool:
    return uow.session.exec(select(User.id).where(
        User.username == city_org.INSPECTOR_MARKER)).first() is not None


def load_city(uow: UnitOfWork, *, password: str, force: bool = False,
              progress: Progress | None = None, sizes: Sizes = Sizes(),
              seed: int = 2030) -> tuple[dict[str, int], dict[str, float]]:
    """Row counts and seconds per stage. Refuses a second load unless `force`; with it,
    adds another set of complaints, visits, findings and the missing months' reports over
    the city as it is (units, accounts and residents are not made again)."""
    if get_settings().is_production:
        raise PermissionDenied("demo.refused_in_production")
    if is_loaded(uow) and not force:
        raise Conflict("demo.city_already_loaded")
    report = progress or (lambda _f, _s: None)
    stages: dict[str, float] = {}
    counts: dict[str, int] = {}
    clock_start = time.perf_counter()
    stage = {"name": "org", "at": clock_start, "rows": 0}
    expected = (sizes.units + sizes.complaints * 1.9 + sizes.inspections
                + sizes.findings * 6.2)

    def begin(name: str) -> None:
        now = time.perf_counter()
        stages[stage["name"]] = round(now - stage["at"], 1)
        stage["name"], stage["at"] = name, now
        wrote(0)

    def wrote(n: int) -> None:
        stage["rows"] += n
        report(min(0.95, 0.05 + 0.85 * stage["rows"] / expected), stage["name"])

    report(0.0, "org")
    rng = random.Random(seed)
    gen = np.random.default_rng(seed)
    if not demo_loader.is_loaded(uow):
        demo_loader.load_demo(uow, password=password, size="org")
    template = demo_activity._template(uow, system_actor())
    writer = bulk.Writer(uow, progress=wrote)
    s = uow.session
    today, now = clock.today(), int(utcnow().timestamp())
    start_day = date(today.year - sizes.years, today.month, 1)
    start = int(clock.start_of_day(start_day).timestamp())
    offset = int(clock.local(utcnow()).utcoffset().total_seconds())
    office = s.exec(select(User).where(User.role == Role.OFFICE).order_by(User.id)).first()
    with writer.tuned():
        counts["districts_with_population"] = city_org.set_population(uow)
        first_new = bulk.next_id(uow, Unit.__table__)
        counts["units"] = city_org.add_units(uow, writer, rng, sizes.units if not
                                             is_loaded(uow) else 0)
        counts["users"] = city_org.add_people(uow, writer, password)
        counts["tasks"] = city_campaign.ensure_tasks(uow, office, start_day,
                                                     date(today.year, 12, 31))
        units = _units(uow)
        begin("complaints")
        complaints = city_complaints.columns(
            gen, n=sizes.complaints, first_id=bulk.next_id(uow, Complaint.__table__),
            start=start, now=now, utc_offset=offset, units=units["complaints"],
            districts=units["homes"], district_weights=units["home_weights"],
            categories=units["categories"], office_id=office.id, tag=f"C{seed}",
            spikes=units["spikes"](sizes))
        unsatisfied_at = complaints.pop("_unsatisfied_at")
        counts["complaints"] = writer.write(Complaint.__table__, complaints)
        begin("follow_ups")
        counts["complaint_follow_ups"] = writer.write(
            ComplaintFollowUp.__table__, follow_ups.columns(
                gen.spawn(1)[0], complaints, unsatisfied_at=unsatisfied_at, by=office.id,
                first_id=bulk.next_id(uow, ComplaintFollowUp.__table__)))
        del complaints, unsatisfied_at
        begin("inspections")
        visits = fieldwork.inspections(
            gen, n=sizes.inspections, first_id=bulk.next_id(uow, Inspection.__table__),
            start=start, now=now, utc_offset=offset, units=units["visited"],
            people=units["people"], template_id=template.id)
        found = fieldwork.findings(
            seed, n=sizes.findings, now=now, utc_offset=offset, visits=visits,
            units=units["visited"], people=units["people"],
            ids=(bulk.next_id(uow, Finding.__table__),
                 bulk.next_id(uow, FindingStatusChange.__table__),
                 bulk.next_id(uow, Rectification.__table__)),
            deadline_days={k: get_settings().deadline_days(k)
                           for k in ("general", "serious", "severe")})
        visits["status"] = np.where(found.reviewed, "reviewed", visits["status"])
        visits.pop("_unit")
        counts["inspections"] = writer.write(Inspection.__table__, visits)
        begin("findings")
        counts["findings"] = writer.write(Finding.__table__, found.finding)
        counts["finding_status_changes"] = writer.write(FindingStatusChange.__table__,
                                                        found.log)
        counts["rectifications"] = writer.write(Rectification.__table__, found.rectification)
        begin("campaign")
        new_units = s.exec(select(Unit.id).where(Unit.id >= first_new)).all()
        counts["task_units"] = city_campaign.add_task_units(uow, writer, rng, list(new_units))
        counts["progress_reports"] = city_campaign.add_reports(
            uow, writer, rng, today, get_settings().progress_due_day, units["liaison"])
        begin("analyze")
        report(0.95, "analyze")
        writer.finish()
    uow.audit(None, "demo.city", "complaint", None, after=dict(counts))
    data_version.bump(s)  # rows written past the ORM: the dashboards' caches must know
    begin("done")
    stages.pop("done", None)
    stages["total"] = round(time.perf_counter() - clock_start, 1)
    report(1.0, "done")
    return counts, stages


def _units(uow: UnitOfWork) -> dict:
    """Everything the generators need to know about the city, as arrays."""
    s = uow.session
    where = city_org.places(s)
    rows = s.exec(select(Unit.id, Unit.name, Unit.district_id).where(Unit.active)
                  .order_by(Unit.id)).all()
    name_of = where.names
    by_name = {v: k for k, v in name_of.items()}
    ids = np.array([r.id for r in rows], dtype=np.int64)
    district = np.array([r.district_id if r.district_id else -1 for r in rows], dtype=np.int64)
    place = [name_of[where.place[d]] if d > 0 else None for d in district.tolist()]
    top = np.array([where.top[d] if d > 0 else -1 for d in district.tolist()], dtype=np.int64)
    vol = np.random.default_rng(7).lognormal(0, 0.8, len(rows))
    in_worse = np.array([p is not None and name_of[where.top[by_name[p]]] == city_org.WORSE
                         for p in place])
    slow = np.array([p is not None and name_of[where.top[by_name[p]]] == city_org.SLOW
                     for p in place])
    weights = vol * np.where(in_worse, 2.2, 1.0)
    slowness = np.where(slow, 1.7, 1.0)
    homes = np.array([by_name[n] for n in city_org.POPULATION], dtype=np.int64)
    home_weights = np.array([p * (2.2 if n == city_org.WORSE else 1.0)
                             for n, p in city_org.POPULATION.items()], dtype=float)
    categories = [(c.id, c.name, c.deadline_days) for c in s.exec(
        select(ComplaintCategory).where(ComplaintCategory.active)
        .order_by(ComplaintCategory.position, ComplaintCategory.id)).all()]
    liaison = dict(s.exec(select(User.unit_id, User.id).where(User.role == Role.UNIT)
                          .order_by(User.id.desc())).all())
    inspectors: dict[int, list[int]] = {}
    for uid, d in s.exec(select(User.id, User.district_id).where(
            User.role == Role.INSPECTOR, User.active).order_by(User.id)).all():
        inspectors.setdefault(where.top[d] if d else -1, []).append(uid)
    people = fieldwork.People(office=s.exec(select(User.id).where(User.role == Role.OFFICE)
                                            .order_by(User.id)).first(),
                              inspectors={k: np.array(v) for k, v in inspectors.items()},
                              liaison=np.array([liaison[u] for u in ids.tolist()]))

    def spikes(sizes: Sizes) -> city_complaints.Spikes:
        spike_units = np.flatnonzero(np.array([p == city_org.SPIKE_DISTRICT for p in place]))
        category = next(i for i, c in enumerate(categories) if c[1] == city_org.SPIKE_CATEGORY)
        share = city_org.POPULATION[city_org.SPIKE_DISTRICT] / sum(home_weights)
        weekly = sizes.complaints * 0.08 * share / (sizes.years * 52.2)
        unit = next(i for i, r in enumerate(rows) if r.name == city_org.SPIKE_UNIT)
        return city_complaints.Spikes(category, spike_units, max(20, round(6 * weekly)),
                                      unit, max(15, round(sizes.complaints * 0.00015)))

    return {
        "complaints": city_complaints.Units(ids, district, weights, slowness),
        "visited": fieldwork.Visited(ids, top, slowness),
        "homes": homes, "home_weights": home_weights, "categories": categories,
        "people": people, "liaison": dict(zip(ids.tolist(), people.liaison.tolist(),
                                              strict=True)),
        "spikes": spikes,
    }
