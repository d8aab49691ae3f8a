"""Notices (通报), on SQLite and PostgreSQL: the office drafts, a leader signs off, the office
issues under the next number of the kind and year (嘉效办〔2026〕1号); an issued notice is never
edited, a correction is a new notice; a unit's liaison reads only the issued notices
addressed to its unit; bad input is refused and nothing is issued by half."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from db.models import AuditEvent, Finding, Notice, NoticeCounter, Role
from demo import checklist as demo_checklist
from services.core.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from services.core.uow import UnitOfWork
from services.findings import rectification
from services.notices import compose, queries, rules, workflow
from tests.conftest import at_once, count_rows
from tests.factories import confirm, make_template, make_unit, make_visit, report
from tests.service.test_audit import assert_audit_labels

ISSUED_AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def world(uow, admin, office, inspector, make_user):
    """Two units, a leader, each unit's liaison, and three confirmed findings at unit A
    plus one at unit B; one finding of A is only submitted (not confirmed)."""
    a = make_unit(uow, actor=admin, name="市供电公司")
    b = make_unit(uow, actor=admin, name="市自来水公司")
    tpl = make_template(uow, actor=office, name="表", items=demo_checklist.ITEMS[:1])
    _, fa = make_visit(uow, inspector=inspector, unit=a, template=tpl,
                       findings=[{"description": f"问题{i}"} for i in range(4)], submit=True)
    _, fb = make_visit(uow, inspector=inspector, unit=b, template=tpl,
                       findings=[{"description": "水压不足"}], submit=True)
    for f in (*fa[:3], *fb):
        confirm(uow, actor=office, finding=f)
    return {
        "a": a, "b": b, "office": office, "admin": admin, "inspector": inspector,
        "leader": make_user("leader1", Role.LEADER),
        "liaison_a": make_user("liaison_a", Role.UNIT, unit_id=a.id),
        "liaison_b": make_user("liaison_b", Role.UNIT, unit_id=b.id),
        "confirmed_a": [f.id for f in fa[:3]], "unconfirmed_a": fa[3].id,
        "confirmed_b": fb[0].id,
    }


def draft(uow, w, *, kind="criticism", units=None, findings=None, title="关于市供电公司问题的通报",
          key=None, **kw):
    return uow.run(compose.create_draft, actor=w["office"], client_key=key or uuid.uuid4().hex,
                   kind=kind, title=title,
                   unit_ids=units if units is not None else [w["a"].id],
                   finding_ids=findings if findings is not None else w["confirmed_a"][:2], **kw)


def latest(uow, notice_id) -> Notice:
    with uow.read() as r:
        return r.session.get(Notice, notice_id)


def to_signed(uow, w, notice):
    n = uow.run(workflow.submit, actor=w["office"], notice_id=notice.id, version=notice.version)
    return uow.run(workflow.sign, actor=w["leader"], notice_id=n.id, version=n.version)


def issue(uow, w, notice, now=ISSUED_AT):
    return uow.run(workflow.issue, actor=w["office"], notice_id=notice.id,
                   version=latest(uow, notice.id).version, now=now)


def issued_notice(uow, w, **kw):
    return issue(uow, w, to_signed(uow, w, draft(uow, w, **kw)))


# --- workflow ------------------------------------------------------------------------------


def test_draft_submit_return_sign_issue(uow, world):
    w = world
    n = draft(uow, w, cc="市纪委监委", printing_office="市效能办",
              printing_date=date(2026, 3, 2), opening="近期督查发现", requirements="限期整改",
              rectification_deadline=date(2026, 3, 20))
    assert (n.status, n.number_seq) == ("draft", None)
    assert n.issuing_office == "嘉峪关市效能风暴行动领导小组办公室"
    n = uow.run(workflow.submit, actor=w["office"], notice_id=n.id, version=n.version)
    assert n.status == "awaiting"
    n = uow.run(workflow.return_to_draft, actor=w["leader"], notice_id=n.id, version=n.version,
                comments="请补充整改时限")
    assert n.status == "draft"
    n = uow.run(compose.update_draft, actor=w["office"], notice_id=n.id, version=n.version,
                kind="criticism", title="关于市供电公司效能问题的通报", unit_ids=[w["a"].id],
                finding_ids=w["confirmed_a"])
    n = to_signed(uow, w, n)
    assert (n.status, n.signed_by) == ("signed", w["leader"].id)
    assert n.signed_at is not None
    n = issue(uow, w, n)
    assert (n.status, n.number_year, n.number_seq) == ("issued", 2026, 1)
    assert rules.number_text(n) == "嘉效办〔2026〕1号"
    view = uow.query(queries.get_notice, actor=w["office"], notice_id=n.id)
    assert view.number == "嘉效办〔2026〕1号"
    assert view.recipients == ["市供电公司"]
    assert sorted(f.id for f in view.findings) == sorted(w["confirmed_a"])
    assert [(r.from_status, r.to_status) for r in view.log] == [
        (None, "draft"), ("draft", "awaiting"), ("awaiting", "draft"), ("draft", "awaiting"),
        ("awaiting", "signed"), ("signed", "issued")]
    assert view.log[2].note == "请补充整改时限" and view.log[4].actor == "Leader1"
    with uow.read() as r:
        circulated = r.session.exec(select(Finding.id, Finding.circulated_at)).all()
    assert {i for i, at in circulated if at is not None} == set(w["confirmed_a"])
    with uow.read() as r:
        actions = r.session.exec(select(AuditEvent.action)
                                 .where(AuditEvent.entity == "notice")).all()
    assert actions == ["notice.create", "notice.submit", "notice.return", "notice.update",
                       "notice.submit", "notice.sign", "notice.issue"]
    assert_audit_labels(uow)


def test_only_a_leader_signs_and_only_the_office_composes_and_issues(uow, world):
    w = world
    n = draft(uow, w)
    for who in ("leader", "inspector", "liaison_a", "admin"):
        with pytest.raises(PermissionDenied):
            draft(uow, {**w, "office": w[who]})
    n = uow.run(workflow.submit, actor=w["office"], notice_id=n.id, version=n.version)
    for who in ("office", "admin", "inspector", "liaison_a"):
        with pytest.raises(PermissionDenied):
            uow.run(workflow.sign, actor=w[who], notice_id=n.id, version=n.version)
    n = uow.run(workflow.sign, actor=w["leader"], notice_id=n.id, version=n.version)
    with pytest.raises(PermissionDenied):
        uow.run(workflow.issue, actor=w["leader"], notice_id=n.id, version=n.version)


def test_a_draft_is_not_signed_and_an_unsigned_notice_is_not_issued(uow, world):
    w = world
    n = draft(uow, w)
    with pytest.raises(InvalidTransition):
        uow.run(workflow.sign, actor=w["leader"], notice_id=n.id, version=n.version)
    with pytest.raises(Conflict, match="notice.not_signed"):
        uow.run(workflow.issue, actor=w["office"], notice_id=n.id, version=n.version)
    n = uow.run(workflow.submit, actor=w["office"], notice_id=n.id, version=n.version)
    with pytest.raises(Conflict, match="notice.not_signed"):
        uow.run(workflow.issue, actor=w["office"], notice_id=n.id, version=n.version)
    with pytest.raises(Conflict, match="notice.not_draft"):
        uow.run(compose.update_draft, actor=w["office"], notice_id=n.id, version=n.version,
                kind="criticism", title="改", unit_ids=[w["a"].id], finding_ids=w["confirmed_a"])
    assert latest(uow, n.id).number_seq is None


def test_a_stale_edit_is_refused(uow, world):
    w = world
    n = draft(uow, w)
    uow.run(compose.update_draft, actor=w["office"], notice_id=n.id, version=n.version,
            kind="criticism", title="新标题", unit_ids=[w["a"].id], finding_ids=w["confirmed_a"])
    with pytest.raises(Conflict, match="error.stale_edit"):
        uow.run(compose.update_draft, actor=w["office"], notice_id=n.id, version=n.version,
                kind="criticism", title="旧副本", unit_ids=[w["a"].id],
                finding_ids=w["confirmed_a"])
    with pytest.raises(Conflict, match="error.stale_edit"):
        uow.run(workflow.submit, actor=w["office"], notice_id=n.id, version=n.version)
    assert latest(uow, n.id).title == "新标题"


def test_the_same_client_key_gives_one_draft(uow, world):
    w = world
    first = draft(uow, w, key="tap-1")
    again = draft(uow, w, key="tap-1")
    assert first.id == again.id
    assert count_rows(uow, Notice) == 1
    assert count_rows(uow, AuditEvent, AuditEvent.action == "notice.create") == 1


# --- numbers -------------------------------------------------------------------------------


def test_numbers_run_per_series_and_year_without_leading_zeros(uow, world):
    """Under the default settings every kind is printed as 嘉效办: one series, so a
    commendation and a situation report never repeat a criticism's 文号."""
    w = world
    numbers = [rules.number_text(issued_notice(uow, w)) for _ in range(10)]
    assert numbers == [f"嘉效办〔2026〕{i}号" for i in range(1, 11)]
    praise = issued_notice(uow, w, kind="commendation", findings=[], title="表扬",
                           reasons={w["a"].id: "窗口服务零投诉"})
    situation = issued_notice(uow, w, kind="situation", findings=[], title="情况",
                              period_from=date(2026, 1, 1), period_to=date(2026, 1, 31))
    assert (rules.number_text(praise), rules.number_text(situation)) == (
        "嘉效办〔2026〕11号", "嘉效办〔2026〕12号")
    # The city's new year starts at 16:00 UTC on 31 December.
    next_year = issue(uow, w, to_signed(uow, w, draft(uow, w)),
                      now=datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    assert rules.number_text(next_year) == "嘉效办〔2027〕1号"
    with uow.read() as r:
        counters = r.session.exec(select(NoticeCounter.kind, NoticeCounter.year,
                                         NoticeCounter.last_seq)).all()
    assert sorted(counters) == [("criticism", 2026, 12), ("criticism", 2027, 1)]


def test_the_prefix_comes_from_the_settings(uow, world, monkeypatch):
    monkeypatch.setenv("NOTICE_PREFIX_COMMENDATION", "嘉效表")
    from config import get_settings
    get_settings.cache_clear()
    n = issued_notice(uow, world, kind="commendation", findings=[], title="表扬",
                      reasons={world["a"].id: "窗口服务零投诉"})
    assert rules.number_text(n) == "嘉效表〔2026〕1号"
    assert rules.number_text(issued_notice(uow, world)) == "嘉效办〔2026〕1号"
    # A prefix of its own: its own series; the others still share theirs.
    situation = issued_notice(uow, world, kind="situation", findings=[], title="情况",
                              period_from=date(2026, 1, 1), period_to=date(2026, 1, 31))
    assert rules.number_text(situation) == "嘉效办〔2026〕2号"
    # A later change of the settings never renumbers what was issued.
    monkeypatch.setenv("NOTICE_PREFIX_COMMENDATION", "嘉效奖")
    monkeypatch.setenv("NOTICE_PREFIX_SITUATION", "嘉效情")
    get_settings.cache_clear()
    assert rules.number_text(latest(uow, n.id)) == "嘉效表〔2026〕1号"
    assert rules.number_text(latest(uow, situation.id)) == "嘉效办〔2026〕2号"


def issue_two_at_once(engine, uow, w) -> list:
    signed = [to_signed(uow, w, draft(uow, w)) for _ in range(2)]
    return at_once([
        lambda n=n: UnitOfWork(engine).run(workflow.issue, actor=w["office"], notice_id=n.id,
                                           version=n.version, now=ISSUED_AT)
        for n in signed
    ])


def test_two_notices_issued_at_once_get_consecutive_numbers(engine, uow, world):
    # The year's first two: both find no counter yet, one makes it, the other waits on it.
    results = issue_two_at_once(engine, uow, world)
    assert sorted(getattr(r, "number_seq", r) for r in results) == [1, 2]
    assert sorted(latest(uow, r.id).number_seq for r in results) == [1, 2]
    # Again, now that the counter exists: both wait on its row lock in turn.
    results = issue_two_at_once(engine, uow, world)
    assert sorted(getattr(r, "number_seq", r) for r in results) == [3, 4]


# --- immutability and corrections ----------------------------------------------------------


def test_an_issued_notice_is_never_edited(uow, world):
    w = world
    n = issued_notice(uow, w)
    with pytest.raises(Conflict, match="notice.issued_readonly"):
        uow.run(compose.update_draft, actor=w["office"], notice_id=n.id, version=n.version,
                kind="criticism", title="改", unit_ids=[w["a"].id], finding_ids=w["confirmed_a"])
    for call, who in ((workflow.submit, "office"), (workflow.sign, "leader"),
                      (workflow.issue, "office")):
        with pytest.raises(Conflict, match="notice.issued_readonly"):
            uow.run(call, actor=w[who], notice_id=n.id, version=n.version)
    with pytest.raises(Conflict, match="notice.issued_readonly"):
        uow.run(workflow.return_to_draft, actor=w["leader"], notice_id=n.id, version=n.version,
                comments="重来")
    after = latest(uow, n.id)
    assert (after.status, after.number_seq, after.version) == ("issued", 1, n.version)


def test_a_correction_is_a_new_notice_referring_to_the_issued_one(uow, world):
    w = world
    n = issued_notice(uow, w)
    fix = uow.run(workflow.correct, actor=w["office"], notice_id=n.id, client_key="fix-1")
    assert (fix.status, fix.corrects_id, fix.title, fix.number_seq) == (
        "draft", n.id, n.title, None)
    view = uow.query(queries.get_notice, actor=w["office"], notice_id=fix.id)
    assert view.recipients == ["市供电公司"] and len(view.findings) == 2
    assert rules.number_text(issue(uow, w, to_signed(uow, w, fix))) == "嘉效办〔2026〕2号"
    unissued = draft(uow, w)
    with pytest.raises(ValidationFailed, match="notice.corrects_not_issued"):
        uow.run(workflow.correct, actor=w["office"], notice_id=unissued.id, client_key="fix-2")


def test_publication_to_the_media_is_recorded_once_on_an_issued_notice(uow, world):
    w = world
    unissued = draft(uow, w)
    with pytest.raises(Conflict, match="notice.not_issued"):
        uow.run(workflow.publish, actor=w["office"], notice_id=unissued.id, on=date(2026, 3, 3))
    n = issued_notice(uow, w)
    n = uow.run(workflow.publish, actor=w["office"], notice_id=n.id, on=date(2026, 3, 3))
    assert (n.published_to_media, n.published_on, n.title) == (True, date(2026, 3, 3),
                                                                 "关于市供电公司问题的通报")
    with pytest.raises(Conflict, match="notice.already_published"):
        uow.run(workflow.publish, actor=w["office"], notice_id=n.id, on=date(2026, 3, 4))
    assert_audit_labels(uow)


# --- who sees which notice -----------------------------------------------------------------


def test_who_sees_which_notice(uow, world):
    w = world
    to_a = issued_notice(uow, w, title="给A")
    to_b = issued_notice(uow, w, units=[w["b"].id], findings=[w["confirmed_b"]], title="给B")
    waiting = uow.run(workflow.submit, actor=w["office"], notice_id=draft(uow, w).id,
                      version=1)
    still_draft = draft(uow, w, units=[w["a"].id, w["b"].id])

    def ids(who):
        return {r.id for r in uow.query(queries.list_notices, actor=w[who])}

    everything = {to_a.id, to_b.id, waiting.id, still_draft.id}
    assert ids("office") == ids("admin") == everything
    assert ids("leader") == {to_a.id, to_b.id, waiting.id}
    assert ids("liaison_a") == {to_a.id}
    assert ids("liaison_b") == {to_b.id}
    with pytest.raises(PermissionDenied):
        uow.query(queries.list_notices, actor=w["inspector"])
    with pytest.raises(NotFound):
        uow.query(queries.get_notice, actor=w["liaison_a"], notice_id=to_b.id)
    with pytest.raises(NotFound):
        uow.query(queries.get_notice, actor=w["liaison_a"], notice_id=still_draft.id)
    with pytest.raises(NotFound):
        uow.query(queries.get_notice, actor=w["leader"], notice_id=still_draft.id)
    view = uow.query(queries.get_notice, actor=w["liaison_b"], notice_id=to_b.id)
    assert [f.description for f in view.findings] == ["水压不足"]


# --- bad input -----------------------------------------------------------------------------


def test_bad_input_is_refused_with_a_clear_key(uow, world):
    w = world
    cases = [
        ({"findings": []}, "notice.no_findings"),
        ({"units": []}, "notice.no_recipients"),
        ({"units": [999999]}, "notice.bad_recipient"),
        ({"findings": [w["unconfirmed_a"]]}, "notice.bad_finding"),
        ({"findings": [999999]}, "notice.bad_finding"),
        ({"title": "标" * 61}, "error.too_long"),
        ({"title": "  "}, "error.required"),
        ({"kind": "memo"}, "notice.bad_kind"),
    ]
    for args, key in cases:
        with pytest.raises(ValidationFailed) as err:
            draft(uow, w, **args)
        assert err.value.message_key == key, args
    assert draft(uow, w, title="标" * 60).title == "标" * 60
    assert count_rows(uow, Notice) == 1


def test_a_finding_reopened_or_verified_since_selection_stops_the_issue(uow, world):
    w = world
    reopened, verified, kept = w["confirmed_a"]
    for fid in (reopened, verified):
        report(uow, actor=w["liaison_a"], finding=fid)
    n = to_signed(uow, w, draft(uow, w, findings=[reopened, verified, kept]))
    uow.run(rectification.verify, actor=w["office"], finding_id=reopened, accept=False,
            note="未整改到位")
    uow.run(rectification.verify, actor=w["office"], finding_id=verified, accept=True)
    with pytest.raises(Conflict) as err:
        issue(uow, w, n)
    assert err.value.message_key == "notice.findings_changed"
    assert err.value.params["ids"] == sorted([reopened, verified])
    after = latest(uow, n.id)
    assert (after.status, after.number_seq) == ("signed", None)
    assert count_rows(uow, NoticeCounter, NoticeCounter.last_seq > 0) == 0
    assert count_rows(uow, Finding, Finding.circulated_at.is_not(None)) == 0
    # Reported since selection is ordinary progress: still issued.
    m = to_signed(uow, w, draft(uow, w, findings=[kept]))
    report(uow, actor=w["liaison_a"], finding=kept)
    assert issue(uow, w, m).number_seq == 1


def test_a_finding_opened_from_a_complaint_never_names_the_complainant(uow, world):
    from services.complaints import workflow as complaints
    from services.findings import from_complaint
    from tests.factories import make_complaint

    w = world
    c = make_complaint(uow, office=w["office"], unit=w["a"], name="张三丰", phone="13812341234")
    uow.run(complaints.assign, actor=w["office"], complaint_id=c.id, version=None,
            unit_id=w["a"].id)
    finding = uow.run(from_complaint.open_from_complaint, actor=w["office"], complaint_id=c.id,
                      category="attitude", description="窗口态度生硬")
    n = issued_notice(uow, w, findings=[finding.id])
    for who in ("office", "leader", "liaison_a"):
        view = uow.query(queries.get_notice, actor=w[who], notice_id=n.id)
        shown = repr(view)
        assert "窗口态度生硬" in shown
        assert "张三丰" not in shown and "13812341234" not in shown
    with uow.read() as r:
        audits = repr(r.session.exec(select(AuditEvent.after)
                                     .where(AuditEvent.entity == "notice")).all())
    assert "张三丰" not in audits
