"""The demo data is a believable year of work whose rows obey the same rules as real ones."""

import re
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlmodel import func, select

from db.models import (
    Complaint,
    ComplaintReply,
    ComplaintStatusChange,
    Finding,
    FindingStatusChange,
    Inspection,
    Notice,
    Photo,
    User,
)
from demo import activity as demo_activity
from demo import complaints as demo_complaints
from demo import loader as demo
from services.complaints import lifecycle
from services.core import clock
from services.core.errors import Conflict
from services.core.system import system_actor
from services.core.visibility import unit_in_scope
from services.findings import queries as finding_queries
from services.findings import status as finding_status
from services.photos.store import PhotoStore
from tests.conftest import PASSWORD

FIXED_NOW = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)


def test_small_demo_has_every_status_and_a_consistent_log(uow, tmp_path, monkeypatch):
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "demo_uploads"))
    # The demo's history ends "now": a fixed now makes its sample the same on every run
    # (at some hours of the day the small sample had no finding waiting for verification).
    monkeypatch.setattr(demo_activity, "utcnow", lambda: FIXED_NOW)
    import config

    config.get_settings.cache_clear()
    stages = []
    counts = uow.run(demo.load_demo, password=PASSWORD, size="small",
                            progress=lambda f, s: stages.append((f, s)))
    assert (counts["units"], counts["users"], counts["inspections"], counts["findings"]) == (
        77, 9, 24, 50)
    fractions = [f for f, _ in stages]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    with uow.read() as r:
        s = r.session
        findings = s.exec(select(Finding)).all()
        last = {}
        for change in s.exec(select(FindingStatusChange).order_by(FindingStatusChange.id)):
            if change.finding_id in last:
                assert change.from_status == last[change.finding_id]
            else:
                assert change.from_status is None and change.to_status == "draft"
            assert finding_status.LIFECYCLE.allowed(change.from_status, change.to_status)
            last[change.finding_id] = change.to_status
        assert {f.id: f.status for f in findings} == last
        assert s.exec(select(func.count()).select_from(Inspection)
                      .where(Inspection.status == "draft")).one() == 0
        keys = s.exec(select(Photo.display_key)).all()
    store = PhotoStore(tmp_path / "demo_uploads")
    assert keys and all(store.exists(k) for k in keys)
    cases = uow.query(finding_queries.list_cases, actor=system_actor())
    assert {c.status for c in cases} >= {"verified", "reported", "rectifying"}
    # Notices: two issued of each kind and one awaiting sign-off.
    with uow.read() as r:
        notices = r.session.exec(select(Notice)).all()
    issued = sorted((n.kind, n.number_seq) for n in notices if n.status == "issued")
    assert counts["notices"] == 7 and len(issued) == 6
    assert {k for k, _ in issued} == {"criticism", "commendation", "situation"}
    # One 文号 series for kinds printed under the same prefix: 1 to 6, none twice.
    assert sorted(seq for _, seq in issued) == [1, 2, 3, 4, 5, 6]
    assert [n.status for n in notices if n.status != "issued"] == ["awaiting"]
    assert all(n.figures for n in notices if n.kind == "situation")
    with pytest.raises(Conflict):
        uow.run(demo.load_demo, password=PASSWORD, size="small")


def test_demo_history_is_in_order_and_by_the_right_people(uow, tmp_path, monkeypatch):
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "demo_uploads"))
    import config

    config.get_settings.cache_clear()
    uow.run(demo.load_demo, password=PASSWORD, size="small")
    from db.models import Rectification

    with uow.read() as r:
        s = r.session
        for f in s.exec(select(Finding)).all():
            log = s.exec(select(FindingStatusChange).where(FindingStatusChange.finding_id == f.id)
                         .order_by(FindingStatusChange.id)).all()
            assert [c.at for c in log] == sorted(c.at for c in log)
            confirmed = [c for c in log if c.to_status == "rectifying"]
            if confirmed:
                local_day = confirmed[0].at.astimezone(config.get_settings().zone).date()
                assert f.deadline >= local_day
        reporters = s.exec(select(User.role).join(Rectification,
                                                  Rectification.submitted_by == User.id)).all()
        assert reporters and set(reporters) == {"unit"}
        # Scoped inspectors visit their district's units, or ones a plan assigns to them.
        scoped = s.exec(select(User).where(User.role == "inspector",
                                           User.district_id.is_not(None))).all()
        assert len(scoped) == 2
        visits = s.exec(select(Inspection).where(
            Inspection.inspector_id.in_([u.id for u in scoped]))).all()
        assert visits
        by_id = {u.id: u for u in scoped}
        assert all(unit_in_scope(s, by_id[v.inspector_id], v.unit_id) for v in visits)


PHONE = re.compile(r"^(1[3-9]\d{9}|0937-6\d{6})$")


def test_demo_complaints_are_a_believable_year(uow, tmp_path, monkeypatch):
    """What the office, the leaders and the liaisons will see in the small demo's 300
    complaints: every stage, some overdue, some escalated past the city, linked repeats,
    answers written by the liaison of the unit concerned, plausible phone numbers."""
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "demo_uploads"))
    monkeypatch.setattr(demo_activity, "utcnow", lambda: FIXED_NOW)
    monkeypatch.setattr(demo_complaints, "utcnow", lambda: FIXED_NOW)
    import config

    config.get_settings.cache_clear()
    counts = uow.run(demo.load_demo, password=PASSWORD, size="small")
    assert counts["complaints"] == 300
    today = clock.today(FIXED_NOW)
    with uow.read() as r:
        s = r.session
        complaints = s.exec(select(Complaint)).all()
        assert len(complaints) == 300
        by_status = Counter(c.status for c in complaints)
        assert by_status["closed"] > 200
        assert {"signed", "replied", "closed"} <= set(by_status)
        overdue = [c for c in complaints if lifecycle.is_overdue(c.status, c.deadline, today)]
        assert 3 <= len(overdue) <= 60
        escalated = [c for c in complaints if c.escalated]
        assert 5 <= len(escalated) <= 30
        assert {c.escalation_level for c in escalated} >= {"city", "province"}
        linked = [c for c in complaints if c.duplicate_of_id is not None]
        assert linked
        by_id = {c.id: c for c in complaints}
        for copy in linked:
            original = by_id[copy.duplicate_of_id]
            assert copy.phone_digits == original.phone_digits != ""
            assert original.content in copy.content
            assert original.received_at < copy.received_at
        reopened = s.exec(select(ComplaintStatusChange.complaint_id)
                          .where(ComplaintStatusChange.to_status == "reopened")).all()
        assert reopened
        assert all(c.anonymous or PHONE.match(c.complainant_phone) for c in complaints)
        assert sum(c.anonymous for c in complaints) < 30
        replies = s.exec(select(ComplaintReply, User)
                         .join(User, User.id == ComplaintReply.by)).all()
        assert len(replies) > 200
        for answer, author in replies:
            assert author.role == "unit" and author.unit_id == answer.unit_id
            assert answer.unit_id == by_id[answer.complaint_id].unit_id
            assert answer.at <= FIXED_NOW
        # The three demo liaisons have answers of their own to show.
        demo_liaisons = {u.username for _, u in replies} & {"unit_gdj", "unit_zwzx", "unit_xg"}
        assert demo_liaisons
        # Every complaint's log runs in time order through allowed moves, ending in its
        # status.
        last = {}
        for change in s.exec(select(ComplaintStatusChange).order_by(ComplaintStatusChange.id)):
            assert lifecycle.LIFECYCLE.allowed(last.get(change.complaint_id), change.to_status)
            last[change.complaint_id] = change.to_status
        assert last == {c.id: c.status for c in complaints}
