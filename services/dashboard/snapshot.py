"""Everything the dashboard shows, computed at once for one actor, one set of filters and
one day: what the page caches (by the filters, the actor's scope and the data version) and
what the benchmark times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.models import Role, User
from services.core import data_version
from services.core.uow import UnitOfWork
from services.dashboard import charts, districts, kpis, scope, tasks, warnings
from services.dashboard.period import Granularity
from services.dashboard.scope import Filters


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    today: date
    version: int
    kpis: tuple[kpis.Kpi, ...]
    tasks: tuple[tasks.TaskLight, ...]
    granularity: Granularity
    volume: tuple[charts.VolumePoint, ...]
    districts: tuple[districts.DistrictRow, ...]
    top_complaints: tuple[charts.UnitCount, ...]
    top_findings: tuple[charts.UnitCount, ...]
    pipeline: tuple[charts.Stage, ...]
    spikes: tuple[warnings.Spike, ...]


def scope_key(actor: User) -> tuple:
    """What decides which figures an actor sees: actors with equal keys see equal figures
    and may share a cached dashboard. An inspector's scope includes the units plans assign
    to them personally, so it is their own."""
    personal = actor.id if actor.role == Role.INSPECTOR else None
    return (actor.role, actor.district_id, actor.unit_id, personal)


def version(uow: UnitOfWork) -> int:
    return data_version.current(uow.session)


def stamp(uow: UnitOfWork) -> tuple[int, str]:
    """What the page's cache keys by: the data version and when it moved."""
    return data_version.stamp(uow.session)


def compute(uow: UnitOfWork, *, actor: User, filters: Filters, today: date) -> Dashboard:
    scope.require_viewer(actor)
    grain, volume = charts.volume(uow, actor=actor, filters=filters)
    return Dashboard(
        filters=filters, today=today, version=version(uow),
        kpis=tuple(kpis.kpis(uow, actor=actor, filters=filters, today=today)),
        tasks=tuple(tasks.lights(uow, actor, filters, filters.period.as_of(today))),
        granularity=grain, volume=tuple(volume),
        districts=tuple(districts.compare(uow, actor=actor, filters=filters, today=today)),
        top_complaints=tuple(charts.top_units(uow, actor=actor, filters=filters)),
        top_findings=tuple(charts.top_units(uow, actor=actor, filters=filters,
                                            what="findings")),
        pipeline=tuple(charts.pipeline(uow, actor=actor, filters=filters)),
        spikes=tuple(warnings.spikes(uow, actor=actor, filters=filters, today=today)),
    )
