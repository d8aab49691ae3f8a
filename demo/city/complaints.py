"""Complaints by the hundred thousand, drawn column by column with numpy (a million in a few
seconds), for `manage.py demo --scale city` and the complaint benchmarks
(benchmarks/load_complaints.py). No status log, replies or audit rows: the register's own
columns carry the story (assigned, signed, replied and closed times, satisfaction).

What the rows look like: received over the span (busier in winter, summer and on working
days, during office hours), ids growing with received_at as in a real register; units with
different volumes and districts whose residents complain more; channels weighted; 2 %
escalated, 2 % linked duplicates of an earlier complaint about the same unit (same caller);
statuses by age: older ones mostly closed, a few still open and so overdue; reply times by
the unit's district (a slow one answers late more often); the follow-up's satisfaction on
closed and reopened ones (their follow-up rows: demo/city/follow_ups.py); hotline rows with a
ticket number. Optional spikes put extra complaints into the last two
weeks: one category in one district's units, and one unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo.city.bulk import NAT, nullable

DAY = 86_400
CHANNELS = {"hotline": 35, "phone": 30, "online": 15, "visit": 8, "letter": 6,
            "provincial": 5, "other": 1}
OPEN_STATUSES = ["received", "assigned", "signed", "replied", "reopened", "returned"]
OPEN_WEIGHTS = [10, 20, 35, 25, 5, 5]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "海燕", "志强", "丽娟", "文博", "红梅", "国庆", "晓东", "秀英", "永刚"]
ROADS = ["新华路", "雄关路", "五一路", "胜利路", "建设路", "兰新路", "长城路", "迎宾路"]
CONTENT = {
    "工作不到位": ["多次反映的问题至今没有解决", "供暖温度不达标，多次反映无人处理",
                  "热线电话长期无人接听"],
    "服务态度差": ["窗口工作人员态度生硬，让我反复跑了三趟", "工作人员爱答不理，只顾玩手机"],
    "工作方式不当": ["一次性告知不到位，材料反复补交", "推诿扯皮，互相踢皮球"],
    "办事拖拉": ["办理营业执照超过承诺时限仍未办结", "申请递交两个月还在审核"],
    "乱收费": ["乱收费，收费项目未公示", "办证被要求缴纳不合理的费用"],
}
OTHER = ["工作时间无人在岗", "办事指南过期未更新"]


@dataclass(frozen=True)
class Units:
    """Who complaints are about: per unit its id, the district a complaint about it lands
    in (-1: a city-level unit, whose complainants live anywhere), its share of the volume
    and how slowly it answers (1: as the city does)."""

    ids: np.ndarray
    districts: np.ndarray
    weights: np.ndarray
    slowness: np.ndarray


@dataclass(frozen=True)
class Spikes:
    """Extra complaints in the last 14 days: `category` in the units `district_units`
    (indexes into Units), and about the unit at `unit`."""

    category: int  # index into the categories
    district_units: np.ndarray
    district_rows: int
    unit: int
    unit_rows: int


def columns(rng: np.random.Generator, *, n: int, first_id: int, start: int, now: int,
            utc_offset: int, units: Units, districts: np.ndarray, district_weights: np.ndarray,
            categories: list[tuple[int, str, int]], office_id: int, tag: str,
            spikes: Spikes | None = None) -> dict[str, np.ndarray | list]:
    """`n` complaints received in [start, now] (epoch seconds); `districts` (with weights)
    where complainants about city-level units and unit-less complaints live; categories
    as (id, name, days to answer). Returns the table's columns in id order."""
    extra = (spikes.district_rows + spikes.unit_rows) if spikes else 0
    base = max(0, n - extra)
    received = _received(rng, base, start, now, utc_offset)
    unit = rng.choice(len(units.ids), size=base, p=units.weights / units.weights.sum())
    category = rng.choice(len(categories), size=base, p=_category_p(len(categories)))
    if spikes and extra:
        recent = max(start, now - 14 * DAY)
        received = np.concatenate([received, rng.integers(recent, now, extra)])
        unit = np.concatenate([unit, rng.choice(spikes.district_units, spikes.district_rows),
                               np.full(spikes.unit_rows, spikes.unit)])
        category = np.concatenate([
            category, np.full(spikes.district_rows, spikes.category),
            rng.choice(len(categories), spikes.unit_rows, p=_category_p(len(categories)))])
    spike = np.arange(len(received)) >= base  # always about their unit
    order = np.argsort(received, kind="stable")
    spike = spike[order]
    received, unit, category = received[order], unit[order], category[order]
    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    # 2 % are a caller's repeat about the same matter: linked to an earlier complaint.
    dup = rng.random(n) < 0.02
    dup[: min(n, 10)] = False
    dup_idx = np.flatnonzero(dup)
    orig_idx = dup_idx - rng.integers(1, np.minimum(dup_idx, 2000) + 1)
    unit[dup_idx], category[dup_idx] = unit[orig_idx], category[orig_idx]
    duplicate_of = np.full(n, -1, dtype=np.int64)
    duplicate_of[dup_idx] = ids[orig_idx]

    no_unit = rng.random(n) < 0.1  # about 10 % name only a place
    no_unit[spike] = False
    no_unit[dup_idx] = no_unit[orig_idx]
    district = units.districts[unit].copy()
    city_level = district < 0
    district[city_level] = rng.choice(districts, int(city_level.sum()),
                                      p=district_weights / district_weights.sum())
    unit_id = np.where(no_unit, -1, units.ids[unit])

    cat_ids = np.array([c[0] for c in categories], dtype=np.int64)
    cat_days = np.array([c[2] for c in categories], dtype=np.int64)
    days_to_answer = cat_days[category]
    age_days = (now - received) / DAY
    status = _status(rng, age_days, no_unit)
    has = {s: status == s for s in ("received", "returned", "closed", "replied", "reopened")}
    handled_by_unit = ~no_unit & ~has["received"]
    # Each step follows the one before; for a recent complaint the steps squeeze into the
    # time there was, so nothing lies in the future.
    room = (now - received).astype(float)
    assigned = np.where(handled_by_unit, received + np.minimum(
        rng.integers(3600, 48 * 3600, n), room * 0.2).astype(np.int64), NAT)
    signed_mask = handled_by_unit & ~has["returned"] & (status != "assigned")
    signed = np.where(signed_mask, assigned + np.minimum(
        rng.integers(1800, 24 * 3600, n), room * 0.2).astype(np.int64), NAT)
    # Replies take a share of the time allowed, stretched in slow districts: past the
    # deadline more often there.
    delay = rng.uniform(0.15, 1.05, n) * days_to_answer * units.slowness[unit] * DAY
    replied_mask = signed_mask & (has["replied"] | has["reopened"] | has["closed"])
    replied = np.where(replied_mask, np.maximum(signed, received + np.minimum(
        delay, room * 0.7).astype(np.int64)), NAT)
    closed_after = np.where(replied_mask, replied, received)
    closed = np.where(has["closed"], closed_after + np.minimum(
        rng.integers(12 * 3600, 5 * DAY, n), (now - closed_after) * 0.9).astype(np.int64), NAT)
    # The follow-up (回访) closes a replied complaint (satisfied or basically) or reopens it
    # (unsatisfied). About 8 % of the closed ones, more in the slow district, were first
    # unsatisfied a few days after the reply, answered again, and closed days later. Drawn
    # from a generator of their own: every other column stays as it was before these.
    more = rng.spawn(1)[0]
    slow = units.slowness[unit] > 1.2
    since_reply = np.where(replied_mask, now - closed_after, 0)
    retried = has["closed"] & replied_mask & (since_reply > 3 * DAY) & (
        more.random(n) < np.where(slow, 0.13, 0.07))
    reopened = has["reopened"] | retried
    unsatisfied_at = np.where(reopened, closed_after + np.minimum(
        more.integers(DAY, 4 * DAY, n), np.where(retried, 0.3, 0.9) * since_reply
    ).astype(np.int64), NAT)
    closed = np.where(retried, unsatisfied_at + np.minimum(
        more.integers(2 * DAY, 10 * DAY, n), (now - unsatisfied_at) * 0.9).astype(np.int64),
        closed)
    satisfied = rng.choice(2, n, p=[0.76, 0.24])
    satisfied = np.where(slow, np.minimum(satisfied + (rng.random(n) < 0.15), 1), satisfied)
    satisfaction = np.where(has["reopened"], "unsatisfied",
                            np.array(["satisfied", "basically"])[satisfied])

    local_day = (received + utc_offset) // DAY
    channel_names = np.array(list(CHANNELS))
    channel_p = np.array(list(CHANNELS.values()), dtype=float)
    channel = channel_names[rng.choice(len(CHANNELS), n, p=channel_p / channel_p.sum())]
    hotline = channel == "hotline"
    escalated = rng.random(n) < 0.02
    anonymous = rng.random(n) < 0.05
    phone = (13_000_000_000 + rng.integers(0, 10**9, n)).astype(str)
    phone[dup_idx] = phone[orig_idx]
    names = np.array([s + g for s in SURNAMES for g in GIVEN])[rng.integers(0, 200, n)]
    addresses = np.array([f"{r}{k}号" for r in ROADS for k in range(1, 301)])
    address = addresses[rng.integers(0, len(addresses), n)]
    texts = [CONTENT.get(c[1], OTHER) for c in categories]
    pick = rng.integers(0, 6, n)
    content = [texts[c][p % len(texts[c])] for c, p in zip(category.tolist(), pick.tolist(),
                                                             strict=True)]
    updated = np.maximum.reduce([received, assigned, signed, replied, closed, unsatisfied_at])
    sent = np.where(handled_by_unit & ~has["returned"], unit_id, -1)
    blank = np.where(anonymous, "", phone)
    return {
        "id": ids,
        "source": np.where(hotline, "12345", "manual"),
        "external_id": nullable(~hotline, np.char.add(f"{tag}-", ids.astype(str))),
        "channel": channel,
        "received_at": received,
        "anonymous": anonymous,
        "complainant_name": np.where(anonymous, "", names),
        "complainant_phone": blank,
        "phone_digits": blank,
        "complainant_address": np.where(anonymous, "", address),
        "unit_id": nullable(unit_id < 0, unit_id),
        "sent_to_unit_id": nullable(sent < 0, sent),
        "district_id": district,
        "category_id": cat_ids[category],
        "content": content,
        "escalated": escalated,
        "escalation_level": np.where(escalated, np.where(rng.random(n) < 0.7, "city",
                                                         "province"), "none"),
        "deadline": local_day + days_to_answer,
        "status": status,
        "assigned_at": assigned,
        "signed_at": signed,
        "replied_at": replied,
        "closed_at": closed,
        "satisfaction": nullable(~(has["closed"] | has["reopened"]) | no_unit, satisfaction),
        "duplicate_of_id": nullable(duplicate_of < 0, duplicate_of),
        "created_by": np.full(n, office_id, dtype=np.int64),
        "created_at": received,
        "updated_at": updated,
        "version": np.ones(n, dtype=np.int64),
        # Not a column: the unsatisfied follow-up's time (NaT: none), for follow_ups.py.
        "_unsatisfied_at": unsatisfied_at,
    }


def _received(rng: np.random.Generator, n: int, start: int, now: int,
              utc_offset: int) -> np.ndarray:
    """Local days weighted by season and weekday, local office hours mostly."""
    first_day = (start + utc_offset) // DAY
    last_day = (now + utc_offset) // DAY
    days = np.arange(first_day, last_day + 1)
    month = days.astype("datetime64[D]").astype("datetime64[M]").astype(int) % 12 + 1
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; 0 is Monday
    weight = np.where(np.isin(month, [1, 2, 6, 7, 8, 12]), 1.25, 0.85)
    weight = weight * np.where(weekday >= 5, 0.55, 1.0)
    day = rng.choice(days, n, p=weight / weight.sum())
    hour = rng.choice(24, n, p=_hours())
    local = day * DAY + hour * 3600 + rng.integers(0, 3600, n)
    moment = local - utc_offset
    late = moment > now
    moment[late] = now - rng.integers(60, 6 * 3600, int(late.sum()))
    return np.maximum(moment, start)


def _hours() -> np.ndarray:
    w = np.array([1, 1, 1, 1, 1, 1, 2, 4, 10, 14, 14, 12, 8, 10, 13, 13, 11, 9, 6, 5, 4, 3, 2,
                  1], dtype=float)
    return w / w.sum()


def _category_p(k: int) -> np.ndarray:
    w = np.array([30, 20, 15, 20, 8, 7][:k] + [7] * max(0, k - 6), dtype=float)
    return w / w.sum()


def _status(rng: np.random.Generator, age_days: np.ndarray, no_unit: np.ndarray) -> np.ndarray:
    n = len(age_days)
    # Recent complaints are still being handled; a few old ones never were (overdue).
    open_share = np.where(age_days < 7, 0.9, np.where(age_days < 30, 0.5, 0.02))
    is_open = rng.random(n) < open_share
    picked = np.array(OPEN_STATUSES)[rng.choice(len(OPEN_STATUSES), n,
                                                p=np.array(OPEN_WEIGHTS) / 100)]
    status = np.where(is_open, picked, "closed")
    # Complaints naming no unit: the office settles them itself within days.
    return np.where(no_unit, np.where(age_days < 3, "received", "closed"), status)

