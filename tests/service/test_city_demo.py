"""`manage.py demo --scale city` at a tiny scale: the sizes asked for, logs that obey the
finding lifecycle, complaints' follow-ups that agree with the complaint workflow, times inside
the span, references that resolve, the last two weeks' spike, a refused second run and a moved
data version."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from statistics import median

import pytest
from sqlalchemy import text
from sqlmodel import func, select

from db.models import (
    Complaint,
    ComplaintCategory,
    ComplaintFollowUp,
    District,
    Finding,
    FindingStatusChange,
    Inspection,
    ProgressReport,
    Rectification,
    Role,
    Unit,
    User,
)
from db.timeutil import as_of
from demo.city import loader as city
from demo.city import org as city_org
from i18n import translate
from services.core import data_version
from services.core.errors import Conflict
from services.findings import status as finding_status
from tests.conftest import PASSWORD

NOW = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
SIZES = city.Sizes(units=40, complaints=2_000, inspections=200, findings=600, years=3)


def test_city_scale_data_is_what_was_asked_and_obeys_the_rules(uow) -> None:
    with uow.read() as r:
        version = data_version.current(r.session)
    with as_of(NOW):
        counts, stages = uow.run(city.load_city, password=PASSWORD, sizes=SIZES)
    assert (counts["units"], counts["complaints"], counts["inspections"], counts["findings"]) \
        == (40, 2_000, 200, 600)
    assert counts["tasks"] == 25 and counts["progress_reports"] > 25 * 30
    assert stages["total"] >= 0
    with uow.read() as r:
        s = r.session
        assert data_version.current(s) > version
        _findings_follow_their_logs(s)
        _complaints_lie_in_the_span(s)
        assert _follow_ups_agree_with_the_workflow(s) == counts["complaint_follow_ups"]
        _references_resolve(s)
        _spike_is_there(s)
        assert s.exec(select(func.count()).select_from(District).where(
            District.population.is_not(None))).one() == 6
        months = s.exec(select(func.min(ProgressReport.month))).one()
        assert months.year == NOW.year - 3

    with as_of(NOW), pytest.raises(Conflict) as refused:
        uow.run(city.load_city, password=PASSWORD, sizes=SIZES)
    assert refused.value.message_key == "demo.city_already_loaded"
    assert "--force" in translate(refused.value.message_key, "en")


def _findings_follow_their_logs(s) -> None:
    logs = defaultdict(list)
    for row in s.exec(select(FindingStatusChange).order_by(FindingStatusChange.id)).all():
        logs[row.finding_id].append(row)
    findings = {f.id: f for f in s.exec(select(Finding)).all()}
    assert set(logs) == set(findings)
    statuses = Counter()
    for fid, log in logs.items():
        f = findings[fid]
        assert f.status == log[-1].to_status
        current = None
        for row in log:
            assert row.from_status == current
            assert finding_status.LIFECYCLE.allowed(current, row.to_status), (current, row)
            current = row.to_status
        assert [r.at for r in log] == sorted(r.at for r in log)
        assert log[0].at >= f.created_at and log[-1].at <= NOW
        assert (f.confirmed_at is not None) == any(r.to_status == "rectifying" for r in log)
        statuses[f.status] += 1
    assert {"open", "rectifying", "reported", "verified", "rejected"} <= set(statuses)
    assert any(r.to_status == "reopened" for log in logs.values() for r in log)
    for rect in s.exec(select(Rectification)).all():
        f = findings[rect.finding_id]
        assert f.confirmed_at < rect.submitted_at <= NOW
        assert rect.verified_at is None or rect.submitted_at < rect.verified_at <= NOW
    drafts = s.exec(select(func.count()).select_from(Inspection).where(
        Inspection.status == "draft")).one()
    assert 0 <= drafts < 20


def _complaints_lie_in_the_span(s) -> None:
    first, last = s.exec(select(func.min(Complaint.received_at),
                                func.max(Complaint.received_at))).one()
    assert first >= NOW - timedelta(days=3 * 366 + 31) and last <= NOW
    assert first < NOW - timedelta(days=3 * 365 - 40)  # the whole span is used
    share = s.exec(select(func.count()).select_from(Complaint).where(
        Complaint.escalated)).one() / 2_000
    assert 0.005 < share < 0.05
    for c in s.exec(select(Complaint)).all():
        for later in (c.assigned_at, c.signed_at, c.replied_at, c.closed_at):
            assert later is None or c.received_at <= later <= NOW
        assert c.duplicate_of_id is None or c.duplicate_of_id < c.id


def _follow_ups_agree_with_the_workflow(s) -> int:
    """A satisfied or basically satisfied follow-up closes a complaint a unit answered; an
    unsatisfied one (with its reason) reopens it: some closed ones went through that first."""
    calls = defaultdict(list)
    rows = s.exec(select(ComplaintFollowUp).order_by(ComplaintFollowUp.id)).all()
    for row in rows:
        calls[row.complaint_id].append(row)
    office = set(s.exec(select(User.id).where(User.role == Role.OFFICE)).all())
    complaints = {c.id: c for c in s.exec(select(Complaint)).all()}
    retried = closed = 0
    for c in complaints.values():
        log = calls.get(c.id, [])
        assert [r.at for r in log] == sorted(r.at for r in log)
        for r in log:
            assert c.replied_at is not None and c.replied_at <= r.at <= NOW, (c, r)
            assert r.by in office and r.method in ("phone", "visit", "sms", "letter", "other")
            assert (r.satisfaction == "unsatisfied") == bool(r.note)
        assert all(r.satisfaction == "unsatisfied" for r in log[:-1])
        if c.status == "closed" and c.sent_to_unit_id is not None:
            closed += 1
            retried += len(log) > 1
            assert log[-1].satisfaction in ("satisfied", "basically")
            assert (log[-1].satisfaction, log[-1].at) == (c.satisfaction, c.closed_at)
            assert len(log) == 1 or log[-2].at < c.closed_at
        elif c.status == "reopened":
            assert log[-1].satisfaction == c.satisfaction == "unsatisfied"
            assert len(log) == 1 and c.updated_at >= log[-1].at
        else:
            assert log == [] and c.satisfaction is None, c
    assert closed > 1_000 and 0.03 < retried / closed < 0.2
    assert sum(r.method == "phone" for r in rows) > 0.6 * len(rows)
    return len(rows)


def _references_resolve(s) -> None:
    if s.get_bind().dialect.name == "sqlite":
        assert s.exec(text("PRAGMA foreign_key_check")).all() == []
    # PostgreSQL checked every reference as the rows went in (COPY fires the FK triggers).
    units = s.exec(select(func.count()).select_from(Finding).join(
        Unit, Unit.id == Finding.unit_id)).one()
    assert units == 600


def _spike_is_there(s) -> None:
    """A robust z-score of the last two weeks against the eight before flags the surge of
    one category in one district."""
    district = s.exec(select(District.id).where(
        District.name == city_org.SPIKE_DISTRICT)).one()
    places = city_org.places(s)
    category = s.exec(select(ComplaintCategory.id).where(
        ComplaintCategory.name == city_org.SPIKE_CATEGORY)).one()
    times = [at for at, d in s.exec(select(Complaint.received_at, Complaint.district_id).where(
        Complaint.category_id == category)).all() if d and places.place[d] == district]
    weeks = Counter(int((NOW - at).days // 7) for at in times)
    history = [weeks[w] for w in range(2, 10)]
    mad = median(abs(x - median(history)) for x in history) or 1
    assert (weeks[0] - median(history)) / (1.4826 * mad) > 3.5
    unit = s.exec(select(Unit.id).where(Unit.name == city_org.SPIKE_UNIT)).one()
    recent = s.exec(select(func.count()).select_from(Complaint).where(
        Complaint.unit_id == unit, Complaint.received_at > NOW - timedelta(days=14))).one()
    assert recent >= 15
