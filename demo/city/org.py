"""The city's organisation at scale: residents of each district and town, about 2,000 more
units (grass-roots stations, branches, schools, clinics) spread over the districts, towns and
communities by population, a liaison account for every unit and teams of inspectors."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from sqlmodel import select, update

from db.models import District, Industry, Role, Unit, User
from demo.city.bulk import Writer, next_id
from services.identity import passwords

# Residents of each district and town (the dashboard's complaints per 10,000 residents).
POPULATION = {"雄关区": 1_150_000, "镜铁区": 880_000, "长城区": 520_000,
              "峪泉镇": 140_000, "文殊镇": 120_000, "新城镇": 95_000}
WORSE = "长城区"  # its residents complain more than the others, per head
SLOW = "镜铁区"  # its units answer and fix late more often
SPIKE_DISTRICT, SPIKE_CATEGORY = "雄关区", "乱收费"  # the last two weeks' surge
SPIKE_UNIT = "峪泉镇卫生院"
INSPECTOR_MARKER = "inspector_c01"  # present once the city data set has been loaded
INSPECTORS = {None: 6, "雄关区": 8, "镜铁区": 8, "长城区": 6}
# (kind of unit, industry, supervising department)
KINDS = [
    ("便民服务站", "公共服务", "市政务服务中心"),
    ("社区卫生服务站", "医疗卫生", "市卫生健康委员会"),
    ("幼儿园", "教育", "市教育局"),
    ("小学", "教育", "市教育局"),
    ("警务室", "政府部门", "市公安局"),
    ("供电营业厅", "供电", "市供电公司"),
    ("换热站", "供暖", "市热力公司"),
    ("供水营业所", "供水", "市供水公司"),
    ("移动营业厅", "通讯", "中国移动嘉峪关分公司"),
    ("工商银行网点", "金融保险", "工商银行嘉峪关分行"),
    ("农业银行网点", "金融保险", "农业银行嘉峪关分行"),
    ("公交站务点", "交通运输", "市公交公司"),
    ("市场监管站", "市场监管", "市市场监督管理局"),
    ("税务服务点", "政府部门", "市税务局"),
    ("社保服务站", "政府部门", "市人力资源和社会保障局"),
    ("不动产登记点", "公共服务", "市自然资源局"),
]


@dataclass(frozen=True)
class Places:
    """Each district row's nearest district-or-town ("place") and its top-level district."""

    names: dict[int, str]
    place: dict[int, int]
    top: dict[int, int]


def places(session) -> Places:
    rows = session.exec(select(District.id, District.name, District.kind,
                               District.parent_id)).all()
    parent = {r.id: r.parent_id for r in rows}
    kind = {r.id: r.kind for r in rows}

    def up(d: int, stop) -> int:
        while not stop(d) and parent[d] is not None:
            d = parent[d]
        return d

    return Places({r.id: r.name for r in rows},
                  {r.id: up(r.id, lambda d: kind[d] in ("district", "town")) for r in rows},
                  {r.id: up(r.id, lambda d: False) for r in rows})


def set_population(uow) -> int:
    for name, residents in POPULATION.items():
        uow.session.execute(update(District).where(District.name == name)
                            .values(population=residents, version=District.version + 1))
    return len(POPULATION)


def add_units(uow, writer: Writer, rng: random.Random, count: int) -> int:
    s = uow.session
    where = places(s)
    weight = {d: POPULATION[where.names[where.place[d]]] / (1 + (where.place[d] != d) * 3)
              for d in where.names if where.names[where.place[d]] in POPULATION}
    industries = dict(s.exec(select(Industry.name, Industry.id)).all())
    existing = dict(s.exec(select(Unit.name, Unit.id)).all())
    districts = list(weight)
    cols = {k: [] for k in ("id", "name", "district_id", "industry_id", "supervisor_id",
                            "first_responsible", "active", "version")}
    uid, seen = next_id(uow, Unit.__table__), {}
    for _ in range(count):
        district = rng.choices(districts, weights=[weight[d] for d in districts])[0] \
            if rng.random() > 0.04 else None
        kind, industry, supervisor = rng.choice(KINDS)
        place = where.names[district] if district else "市直"
        key = (place, kind)
        seen[key] = seen.get(key, 0) + 1
        name = f"{place}第{seen[key]}{kind}"
        if name in existing:
            continue
        for key_, value in (("id", uid), ("name", name), ("district_id", district),
                            ("industry_id", industries.get(industry)),
                            ("supervisor_id", existing.get(supervisor)),
                            ("first_responsible", rng.choice("王李张刘陈杨黄赵") + "主任"),
                            ("active", True), ("version", 1)):
            cols[key_].append(value)
        uid += 1
    return writer.write(Unit.__table__, cols) if cols["id"] else 0


def add_people(uow, writer: Writer, password: str) -> int:
    """A liaison for every unit that has none, and the city's inspection teams."""
    s = uow.session
    districts = dict(s.exec(select(District.name, District.id)).all())
    have = set(s.exec(select(User.unit_id).where(User.role == Role.UNIT)).all())
    taken = set(s.exec(select(User.username)).all())
    units = s.exec(select(Unit.id, Unit.name).order_by(Unit.id)).all()
    hashed = passwords.hash_password(password)
    rows = []
    for unit_id, name in units:
        if unit_id not in have and f"unit_{unit_id:03d}" not in taken:
            rows.append((f"unit_{unit_id:03d}", f"{name} 联络员", Role.UNIT, None, unit_id))
    n = 0
    for district, count in INSPECTORS.items():
        for _ in range(count):
            n += 1
            rows.append((f"inspector_c{n:02d}", f"督察组 {district or '市'}第{n}组",
                         Role.INSPECTOR, districts.get(district) if district else None, None))
    rows = [r for r in rows if r[0] not in taken]
    if not rows:
        return 0
    uid = next_id(uow, User.__table__)
    cols = {"id": list(range(uid, uid + len(rows)))}
    for k, key in enumerate(("username", "display_name", "role", "district_id", "unit_id")):
        cols[key] = [r[k] for r in rows]
    cols |= {"password_hash": [hashed] * len(rows), "active": [True] * len(rows),
             "created_at": np.full(len(rows), _epoch_now()), "version": [1] * len(rows),
             "credential_version": [1] * len(rows)}
    return writer.write(User.__table__, cols)


def _epoch_now() -> int:
    from db.timeutil import utcnow

    return int(utcnow().timestamp())
