"""Early warning: a category or a unit far above its own eight weeks before is flagged, with
the numbers behind it; a steady series, a small count and a linked duplicate are not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from db.models import Complaint
from services.dashboard import warnings
from services.dashboard.period import Period
from tests.dashboard_fixtures import TODAY, filters, local

JUNE = Period(date(2026, 6, 1), date(2026, 6, 30))  # week 0: 06-24..06-30


def test_robust_z_by_hand() -> None:
    # median 1; deviations 0 1 1 0 0 1 0 0, MAD 0: the scale falls back to sqrt(1) = 1.
    assert warnings.robust_z(9, [1, 0, 2, 1, 1, 0, 1, 1]) == (8.0, 1, 0)
    # median 10, MAD 2: scale max(2 / 0.6745, sqrt 10) = 3.16..; (20 - 10) / 3.16 = 3.16
    z, median, mad = warnings.robust_z(20, [8, 10, 12, 10, 8, 12, 10, 10])
    assert (median, mad) == (10, 1.0) and z == pytest.approx(10 / 10 ** 0.5)


def _weeks(uow, city, unit, place, category, counts, duplicate_of=None):
    """counts: oldest week first, nine weeks ending 2026-06-30; each complaint at noon of
    the week's last day."""
    end = JUNE.end
    with uow:
        for back, n in enumerate(reversed(counts)):
            day = end - timedelta(days=7 * back)
            for _ in range(n):
                uow.session.add(Complaint(
                    channel="phone", received_at=local(day), unit_id=unit, district_id=place,
                    category_id=category, content="预警", deadline=day,
                    duplicate_of_id=duplicate_of))
        uow.commit()


def test_a_spike_is_flagged_with_its_numbers(uow, city) -> None:
    _weeks(uow, city, city["ua1"], city["town"], city["cat2"], [1, 0, 2, 1, 1, 0, 1, 1, 9])
    _weeks(uow, city, city["ub"], city["b"], city["cat1"], [6] * 9)  # steady: no alarm
    _weeks(uow, city, city["ua"], city["a"], city["cat1"], [0] * 8 + [4])  # too few
    found = uow.query(warnings.spikes, actor=city["office"], filters=filters(period=JUNE),
                      today=TODAY)
    assert [(s.kind, s.name, s.count, s.median, s.z) for s in found] == [
        ("category", "测试类别二", 9, 1, 8.0), ("unit", "新城镇供水站", 9, 1, 8.0)]
    assert found[0].baseline == (1, 0, 2, 1, 1, 0, 1, 1)
    assert found[0].week_start == date(2026, 6, 24)


def test_duplicates_and_other_districts_do_not_make_a_spike(uow, city) -> None:
    _weeks(uow, city, city["ua1"], city["town"], city["cat2"], [1] * 9)
    first = uow.query(lambda tx: tx.session.exec(select(Complaint.id).where(
        Complaint.content == "预警")).first())
    _weeks(uow, city, city["ua1"], city["town"], city["cat2"], [0] * 8 + [9],
           duplicate_of=first)
    assert uow.query(warnings.spikes, actor=city["office"], filters=filters(period=JUNE),
                     today=TODAY) == []
    _weeks(uow, city, city["ua1"], city["town"], city["cat2"], [0] * 8 + [9])
    elsewhere = uow.query(warnings.spikes, actor=city["office"], filters=filters(
        period=JUNE, district_id=city["b"]), today=TODAY)
    assert elsewhere == []
    liaison = uow.query(warnings.spikes, actor=city["liaison_a"],
                        filters=filters(period=JUNE), today=TODAY)
    assert liaison == []  # not their unit's complaints
