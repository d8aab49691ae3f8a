"""`manage.py demo` and the set-up page: load the demo organisation and accounts through
the same services a user would use, so every demo row is validated and audited."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select

from config import get_settings
from db.models import District, Industry, Unit, User
from demo import activity as demo_activity
from demo import campaign as demo_campaign
from demo import complaints as demo_complaints
from demo import notices as demo_notices
from demo import org as demo_org
from demo.city import org as city_org
from services.core.errors import Conflict, PermissionDenied
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from services.identity import users
from services.org import structure as org

Progress = Callable[[float, str], None]
MARKER_DISTRICT = demo_org.DISTRICTS[0]
DEFAULT_PASSWORD = "demo-pass-2026"


def is_loaded(uow: UnitOfWork) -> bool:
    return (
        uow.session.exec(select(District.id).where(District.name == MARKER_DISTRICT)).first()
        is not None
    )


SIZES = ("full", "small", "org")


def load_demo(
    uow: UnitOfWork,
    *,
    password: str,
    force: bool = False,
    progress: Progress | None = None,
    size: str = "full",
) -> dict[str, int]:
    """Refuses a second run unless `force`; with `force` it adds only what is missing.
    `size`: "full" adds a year of field work (about 400 inspections, 900 findings) and of
    complaints (about 3,000), "small" a sample of both, "org" only the organisation and
    the accounts."""
    if get_settings().is_production:
        # Demo accounts (an administrator among them) all share one password, printed in the
        # README; made-up findings would also mix with real ones.
        raise PermissionDenied("demo.refused_in_production")
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}")
    if is_loaded(uow) and not force:
        raise Conflict("demo.already_loaded")
    report = progress or (lambda _f, _s: None)
    actor = system_actor()
    counts = {"districts": 0, "industries": 0, "units": 0, "users": 0}

    existing = _names(uow)
    org_share = 1.0 if size == "org" else 0.2

    def report_org(fraction: float, stage: str) -> None:
        report(fraction * org_share, stage)

    report_org(0.0, "districts")
    district_ids = dict(existing["district"])

    def add_district(name: str, kind: str, parent: str | None) -> None:
        if name not in district_ids:
            d = org.create_district(
                uow,
                actor=actor,
                name=name,
                kind=kind,
                parent_id=district_ids.get(parent) if parent else None,
            )
            district_ids[name] = d.id
            counts["districts"] += 1

    for name in demo_org.DISTRICTS:
        add_district(name, "district", None)
    for town, district in demo_org.TOWNS.items():
        add_district(town, "town", district)
    for parent, communities in demo_org.COMMUNITIES.items():
        for name in communities:
            add_district(name, "community", parent)
    city_org.set_population(uow)  # residents: the dashboard's complaints per 10,000

    report_org(0.1, "industries")
    industry_ids = dict(existing["industry"])
    for name in demo_org.INDUSTRIES:
        if name not in industry_ids:
            industry_ids[name] = org.create_industry(uow, actor=actor, name=name).id
            counts["industries"] += 1

    unit_ids = dict(existing["unit"])
    units = demo_org.all_units()
    for i, (name, industry, district, supervisor) in enumerate(units):
        if name not in unit_ids:
            unit_ids[name] = org.create_unit(
                uow,
                actor=actor,
                name=name,
                industry_id=industry_ids[industry],
                district_id=district_ids.get(district) if district else None,
                supervisor_id=unit_ids.get(supervisor) if supervisor else None,
                first_responsible=_first_responsible(i),
            ).id
            counts["units"] += 1
        report_org(0.15 + 0.45 * (i + 1) / len(units), "units")

    usernames = {name for name, _ in existing["user"]}
    for i, (username, display, role, district, unit) in enumerate(demo_org.ACCOUNTS):
        if username not in usernames:
            users.create_user(
                uow,
                actor=actor,
                username=username,
                display_name=display,
                role=role,
                password=password,
                district_id=district_ids.get(district) if district else None,
                unit_id=unit_ids.get(unit) if unit else None,
            )
            counts["users"] += 1
        report_org(0.6 + 0.4 * (i + 1) / len(demo_org.ACCOUNTS), "users")
    if size != "org" and (counts["users"] or not force):
        # Field work and complaints share what is left of the bar by the time they take.
        field_end = org_share + (1 - org_share) * 0.6
        activity = demo_activity.load_activity(
            uow,
            size=size,
            password=password,
            progress=lambda f, stage: report(org_share + (field_end - org_share) * f, stage),
        )
        counts |= activity
        complaints = demo_complaints.load_complaints(
            uow,
            size=size,
            password=password,
            progress=lambda f, stage: report(field_end + (1 - field_end) * f, stage),
        )
        counts["liaisons"] += complaints.pop("liaisons")
        counts |= complaints
        counts |= demo_campaign.load_campaign(uow, size=size, password=password)
        counts |= demo_notices.load_notices(uow)
    report(1.0, "done")
    return counts


def _names(uow: UnitOfWork) -> dict[str, list[tuple[str, int]]]:
    s = uow.session
    return {
        "district": list(s.exec(select(District.name, District.id)).all()),
        "industry": list(s.exec(select(Industry.name, Industry.id)).all()),
        "unit": list(s.exec(select(Unit.name, Unit.id)).all()),
        "user": list(s.exec(select(User.username, User.id)).all()),
    }


_SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗"
_GIVEN = ["建国", "海燕", "志强", "丽娟", "文博", "红梅", "国庆", "晓东", "秀英", "永刚"]


def _first_responsible(i: int) -> str:
    return _SURNAMES[i % len(_SURNAMES)] + _GIVEN[(i * 7) % len(_GIVEN)]
