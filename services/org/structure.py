"""Organisation: districts/towns/communities (a tree), industries and units."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import aliased
from sqlmodel import select

from db.models import District, DistrictKind, Industry, Unit, User
from services.campaign import access as campaign_access
from services.core import audit
from services.core.errors import Conflict, ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_text

MAX_POPULATION = 100_000_000

# Which kind of place may sit under which: None means "at city level".
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    DistrictKind.DISTRICT: {None},
    DistrictKind.TOWN: {None, DistrictKind.DISTRICT},
    DistrictKind.COMMUNITY: {DistrictKind.DISTRICT, DistrictKind.TOWN},
}
PLACE_KINDS: tuple[str, ...] = tuple(k.value for k in ALLOWED_PARENTS)


@dataclass(frozen=True)
class DistrictRow:
    id: int
    name: str
    kind: str
    parent_id: int | None
    depth: int
    active: bool
    version: int
    population: int | None = None


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    district_id: int | None
    district: str | None
    industry_id: int | None
    industry: str | None
    supervisor_id: int | None
    supervisor: str | None
    first_responsible: str
    active: bool
    version: int


# --- shared helpers -------------------------------------------------------------------


def _ensure_name_free(uow: UnitOfWork, model, name: str, *, except_id: int | None = None) -> None:
    found = uow.session.exec(select(model.id).where(model.name == name)).first()
    if found is not None and found != except_id:
        raise Conflict("org.name_taken", name=name)


def _save(uow: UnitOfWork, actor: User, action: str, row, before: dict | None) -> None:
    row.version = (row.version or 0) + (1 if before else 0)
    uow.session.add(row)
    audit.record(uow, actor, action, row, before)


# --- districts ------------------------------------------------------------------------


def list_districts(
    uow: UnitOfWork, *, actor: User, include_inactive: bool = True
) -> list[DistrictRow]:
    """Depth-first order, so a page can indent it as a tree."""
    require(actor, "org.view")
    rows = uow.session.exec(select(District).order_by(District.name)).all()
    children: dict[int | None, list[District]] = {}
    for d in rows:
        if include_inactive or d.active:
            children.setdefault(d.parent_id, []).append(d)
    out: list[DistrictRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for d in children.get(parent, []):
            out.append(DistrictRow(d.id, d.name, d.kind, d.parent_id, depth, d.active, d.version,
                                   d.population))
            walk(d.id, depth + 1)

    walk(None, 0)
    return out


def _check_parent(uow: UnitOfWork, kind: str, parent_id: int | None) -> None:
    if kind not in ALLOWED_PARENTS:
        raise ValidationFailed("org.kind_unknown", field="kind")
    parent_kind = None
    if parent_id is not None:
        parent = uow.session.get(District, parent_id)
        if parent is None:
            raise ValidationFailed("org.district_missing", field="parent")
        parent_kind = parent.kind
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise ValidationFailed("org.parent_not_allowed", field="parent")


def create_district(
    uow: UnitOfWork, *, actor: User, name: str, kind: str, parent_id: int | None = None
) -> District:
    require(actor, "org.manage")
    name = clean_text(name, field="name", max_len=100)
    _check_parent(uow, kind, parent_id)
    _ensure_name_free(uow, District, name)
    district = District(name=name, kind=kind, parent_id=parent_id)
    _save(uow, actor, "district.create", district, None)
    return district


def update_district(
    uow: UnitOfWork,
    *,
    actor: User,
    district_id: int,
    version: int,
    name: str,
    parent_id: int | None,
    population: int | None = None,
) -> District:
    """`population`: residents, for the dashboard's complaints per 10,000 (None: not set)."""
    require(actor, "org.manage")
    name = clean_text(name, field="name", max_len=100)
    if population is not None and not 0 < population <= MAX_POPULATION:
        raise ValidationFailed("org.bad_population", field="population")
    district = uow.get(District, district_id)
    check_version(district.version, version)
    _check_parent(uow, district.kind, parent_id)
    _ensure_name_free(uow, District, name, except_id=district.id)
    before = audit.state(district)
    district.name, district.parent_id, district.population = name, parent_id, population
    _save(uow, actor, "district.update", district, before)
    return district


def set_district_active(
    uow: UnitOfWork, *, actor: User, district_id: int, active: bool
) -> District:
    require(actor, "org.manage")
    district = uow.get(District, district_id)
    if not active:
        child = uow.session.exec(
            select(District.id).where(District.parent_id == district.id, District.active)
        ).first()
        if child is not None:
            raise ValidationFailed("org.district_has_children")
    before = audit.state(district)
    district.active = active
    action = "district.reactivate" if active else "district.deactivate"
    _save(uow, actor, action, district, before)
    return district


# --- industries -----------------------------------------------------------------------


def list_industries(
    uow: UnitOfWork, *, actor: User, include_inactive: bool = True
) -> list[Industry]:
    require(actor, "org.view")
    query = select(Industry).order_by(Industry.name)
    if not include_inactive:
        query = query.where(Industry.active)
    return list(uow.session.exec(query).all())


def create_industry(uow: UnitOfWork, *, actor: User, name: str) -> Industry:
    require(actor, "org.manage")
    name = clean_text(name, field="name", max_len=100)
    _ensure_name_free(uow, Industry, name)
    industry = Industry(name=name)
    _save(uow, actor, "industry.create", industry, None)
    return industry


def update_industry(
    uow: UnitOfWork, *, actor: User, industry_id: int, version: int, name: str, active: bool
) -> Industry:
    require(actor, "org.manage")
    name = clean_text(name, field="name", max_len=100)
    industry = uow.get(Industry, industry_id)
    check_version(industry.version, version)
    _ensure_name_free(uow, Industry, name, except_id=industry.id)
    before = audit.state(industry)
    industry.name, industry.active = name, active
    _save(uow, actor, "industry.update", industry, before)
    return industry


# --- units ----------------------------------------------------------------------------


def list_units(
    uow: UnitOfWork, *, actor: User, include_inactive: bool = True, search: str = ""
) -> list[UnitRow]:
    require(actor, "org.view")
    supervisor = aliased(Unit)
    query = (
        select(Unit, District.name, Industry.name, supervisor.name)
        .join(District, Unit.district_id == District.id, isouter=True)
        .join(Industry, Unit.industry_id == Industry.id, isouter=True)
        .join(supervisor, Unit.supervisor_id == supervisor.id, isouter=True)
        .order_by(Unit.name)
    )
    if not include_inactive:
        query = query.where(Unit.active)
    if search.strip():
        query = query.where(Unit.name.contains(search.strip()))
    return [
        UnitRow(
            u.id,
            u.name,
            u.district_id,
            d,
            u.industry_id,
            i,
            u.supervisor_id,
            s,
            u.first_responsible,
            u.active,
            u.version,
        )
        for u, d, i, s in uow.session.exec(query).all()
    ]


def _check_unit_refs(
    uow: UnitOfWork,
    district_id: int | None,
    industry_id: int | None,
    supervisor_id: int | None,
    self_id: int | None = None,
) -> None:
    if district_id is not None and uow.session.get(District, district_id) is None:
        raise ValidationFailed("org.district_missing", field="district")
    if industry_id is not None and uow.session.get(Industry, industry_id) is None:
        raise ValidationFailed("org.industry_missing", field="industry")
    if supervisor_id is not None:
        if supervisor_id == self_id:
            raise ValidationFailed("org.supervisor_self", field="supervisor")
        if uow.session.get(Unit, supervisor_id) is None:
            raise ValidationFailed("org.supervisor_missing", field="supervisor")


def create_unit(
    uow: UnitOfWork,
    *,
    actor: User,
    name: str,
    district_id: int | None = None,
    industry_id: int | None = None,
    supervisor_id: int | None = None,
    first_responsible: str = "",
) -> Unit:
    require(actor, "org.manage")
    name = clean_text(name, field="name", max_len=200)
    first_responsible = clean_text(
        first_responsible, field="first_responsible", max_len=100, required=False
    )
    _check_unit_refs(uow, district_id, industry_id, supervisor_id)
    _ensure_name_free(uow, Unit, name)
    unit = Unit(
        name=name,
        district_id=district_id,
        industry_id=industry_id,
        supervisor_id=supervisor_id,
        first_responsible=first_responsible,
    )
    _save(uow, actor, "unit.create", unit, None)
    return unit


def update_unit(
    uow: UnitOfWork,
    *,
    actor: User,
    unit_id: int,
    version: int,
    name: str,
    district_id: int | None,
    industry_id: int | None,
    supervisor_id: int | None,
    first_responsible: str,
) -> Unit:
    require(actor, "org.manage")
    name = clean_text(name, field="name", max_len=200)
    first_responsible = clean_text(
        first_responsible, field="first_responsible", max_len=100, required=False
    )
    unit = uow.get(Unit, unit_id)
    check_version(unit.version, version)
    _check_unit_refs(uow, district_id, industry_id, supervisor_id, self_id=unit.id)
    _ensure_name_free(uow, Unit, name, except_id=unit.id)
    before = audit.state(unit)
    unit.name, unit.district_id, unit.industry_id = name, district_id, industry_id
    unit.supervisor_id, unit.first_responsible = supervisor_id, first_responsible
    _save(uow, actor, "unit.update", unit, before)
    return unit


def set_unit_active(uow: UnitOfWork, *, actor: User, unit_id: int, active: bool) -> Unit:
    require(actor, "org.manage")
    unit = uow.get(Unit, unit_id)
    if not active:
        codes = campaign_access.tasks_of_unit(uow, unit.id)
        if codes:
            raise Conflict("campaign.unit_has_tasks", unit=unit.name, tasks="、".join(codes))
    before = audit.state(unit)
    unit.active = active
    _save(uow, actor, "unit.reactivate" if active else "unit.deactivate", unit, before)
    return unit
