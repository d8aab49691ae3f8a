"""Reminders (催办, services/findings/urging.py and urge_mail.py): the office urges the units
of findings that wait for them, once a city day per finding; the unit's liaison (and no one
else's) sees them on the start page; counted per unit; e-mailed after the commit, and kept
when the mail server fails."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from config import Settings
from db.models import AuditEvent, FindingUrge, User
from i18n import translate
from services.core import clock
from services.core.errors import Conflict, PermissionDenied, ValidationFailed
from services.findings import urge_mail, urging
from services.identity import users
from tests.conftest import at_once, count_rows
from tests.factories import report
from tests.finding_batches import make_batches
from tests.service.test_audit import assert_audit_labels
from tests.smtp_sink import closed_port, smtp_sink


@pytest.fixture
def w(uow, make_user, admin, office, inspector, checklist):
    return make_batches(uow, make_user=make_user, admin=admin, office=office,
                        inspector=inspector, checklist=checklist)


def urge(uow, w, ids, *, actor=None, note="请于本周内完成", key=None, **kw):
    return uow.run(urging.urge, actor=actor or w.office, finding_ids=ids, note=note,
                   client_key=key or uuid.uuid4().hex, **kw)


def rows(uow):
    with uow.read() as r:
        return r.session.exec(select(FindingUrge).order_by(FindingUrge.id)).all()


def test_the_office_urges_findings_of_two_units_and_is_told_whom_to_mail(uow, w):
    outcome = urge(uow, w, [w.a1.id, w.a2.id, w.b1.id])
    assert not outcome.repeated
    stored = rows(uow)
    assert [(u.finding_id, u.unit_id, u.urged_by, u.urged_on, u.note) for u in stored] == [
        (f.id, f.unit_id, w.office.id, w.today, "请于本周内完成") for f in (w.a1, w.a2, w.b1)]
    assert all(u.emailed_at is None and u.email_error == "" for u in stored)
    mails = {m.unit: m for m in outcome.mails}
    assert set(mails) == {"A市供电公司", "B市供水公司"}
    assert [r.email for r in mails["A市供电公司"].recipients] == ["a@example.gov.cn"]
    assert mails["A市供电公司"].urge_ids == tuple(u.id for u in stored[:2])
    assert [i.description for i in mails["A市供电公司"].items] == [
        "窗口无人值守", "未执行一次性告知"]
    assert mails["B市供水公司"].recipients == ()  # liaison_b has no address
    with uow.read() as r:
        audited = r.session.exec(select(AuditEvent.entity_id).where(
            AuditEvent.action == "finding.urge", AuditEvent.entity == "finding_urge")).all()
    assert sorted(audited) == [u.id for u in stored]
    assert_audit_labels(uow)  # the audit page names the action in both languages


@pytest.mark.parametrize("who", ["leader", "inspector", "liaison_a", "admin"])
def test_only_the_office_may_urge(uow, w, who):
    with pytest.raises(PermissionDenied):
        urge(uow, w, [w.a1.id], actor=getattr(w, who))
    assert rows(uow) == []


def test_a_finding_not_waiting_for_its_unit_refuses_the_batch_by_name(uow, w):
    with pytest.raises(ValidationFailed) as err:
        urge(uow, w, [w.a1.id, w.a_open.id])
    assert (err.value.message_key, err.value.params["ids"]) == (
        "finding.batch_not_waiting", [w.a_open.id])
    assert rows(uow) == []


def test_a_finding_is_urged_once_a_city_day_whoever_urges(uow, w, make_user):
    urge(uow, w, [w.a1.id])
    with pytest.raises(Conflict) as err:
        urge(uow, w, [w.a2.id, w.a1.id, w.b1.id], note="再次催办")
    assert (err.value.message_key, err.value.params["ids"]) == ("finding.urged_today", [w.a1.id])
    colleague = make_user("office2", "office")
    with pytest.raises(Conflict):
        urge(uow, w, [w.a1.id], actor=colleague)
    assert len(rows(uow)) == 1  # nothing of the refused batches was kept
    # The next city day (Asia/Shanghai: midnight there is 16:00 UTC the day before).
    tomorrow = clock.start_of_day(w.today + timedelta(days=1)) + timedelta(minutes=1)
    urge(uow, w, [w.a1.id, w.a2.id], now=tomorrow)
    assert [u.urged_on for u in rows(uow)] == [w.today] + [w.today + timedelta(days=1)] * 2


def test_a_double_click_urges_once(uow, w):
    first = urge(uow, w, [w.a1.id, w.b1.id], key="k-1")
    again = urge(uow, w, [w.b1.id, w.a1.id], key="k-1")
    assert again.repeated and again.mails == []
    assert sorted(u.id for u in again.urges) == sorted(u.id for u in first.urges)
    assert len(rows(uow)) == 2
    with pytest.raises(Conflict):
        urge(uow, w, [w.a2.id], key="k-1")


def test_two_submits_at_the_same_moment_urge_once(uow, w):
    results = at_once([lambda: urge(uow, w, [w.a1.id, w.b1.id], key="same")] * 2)
    assert not [r for r in results if isinstance(r, Exception)]
    assert sorted(r.repeated for r in results) == [False, True]
    assert count_rows(uow, FindingUrge) == 2


def test_the_liaison_sees_the_reminders_of_its_own_unit_only(uow, w):
    urge(uow, w, [w.a1.id, w.b1.id], note="请尽快整改")
    later = clock.start_of_day(w.today + timedelta(days=1)) + timedelta(hours=2)
    urge(uow, w, [w.a1.id], note="第二次催办", now=later)
    mine = uow.query(urging.open_urges_for_unit, actor=w.liaison_a, unit_id=w.unit_a)
    assert [(o.finding_id, o.note, o.times, o.description, o.deadline) for o in mine] == [
        (w.a1.id, "第二次催办", 2, "窗口无人值守", w.a1.deadline)]
    theirs = uow.query(urging.open_urges_for_unit, actor=w.liaison_b, unit_id=w.unit_b)
    assert [o.finding_id for o in theirs] == [w.b1.id]
    with pytest.raises(PermissionDenied):  # another unit's reminders
        uow.query(urging.open_urges_for_unit, actor=w.liaison_b, unit_id=w.unit_a)
    with pytest.raises(PermissionDenied):
        uow.query(urging.open_urges_for_unit, actor=w.leader, unit_id=w.unit_a)
    report(uow, actor=w.liaison_b, finding=w.b1)  # reported: no longer waiting
    assert uow.query(urging.open_urges_for_unit, actor=w.liaison_b, unit_id=w.unit_b) == []


def test_reminders_are_counted_per_unit_in_a_period(uow, w):
    urge(uow, w, [w.a1.id, w.a2.id, w.b1.id])
    later = clock.start_of_day(w.today + timedelta(days=3)) + timedelta(hours=2)
    urge(uow, w, [w.a1.id], now=later)
    counts = uow.query(urging.count_by_unit, actor=w.office, since=w.today,
                       until=w.today + timedelta(days=3))
    assert [(c.unit, c.urges) for c in counts] == [("A市供电公司", 3), ("B市供水公司", 1)]
    today_only = uow.query(urging.count_by_unit, actor=w.leader, since=w.today, until=w.today)
    assert [(c.unit, c.urges) for c in today_only] == [("A市供电公司", 2), ("B市供水公司", 1)]
    picked = uow.query(urging.count_by_unit, actor=w.office, since=w.today, until=w.today,
                       unit_ids=[w.unit_b])
    assert [(c.unit, c.urges) for c in picked] == [("B市供水公司", 1)]
    with pytest.raises(ValidationFailed):
        uow.query(urging.count_by_unit, actor=w.office, since=w.today,
                  until=w.today - timedelta(days=1))
    with pytest.raises(PermissionDenied):
        uow.query(urging.count_by_unit, actor=w.liaison_a, since=w.today, until=w.today)


def _settings(port: int) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="效能办 <desk@example.gov.cn>",
                    smtp_starttls=False, smtp_timeout_seconds=5)


def test_the_reminder_is_mailed_to_the_liaison_and_recorded(uow, w):
    outcome = urge(uow, w, [w.a1.id, w.a2.id, w.b1.id])
    with smtp_sink() as sink:
        deliveries = urge_mail.deliver(outcome.mails, translate=translate,
                                       settings=_settings(sink.port))
    assert [(d.urge_ids, d.error) for d in deliveries] == [(outcome.mails[0].urge_ids, "")]
    [got] = sink.received
    assert got.recipients == ["a@example.gov.cn"]
    msg = got.message
    assert msg["Subject"] == "【效能办催办】A市供电公司：2 个问题请抓紧整改"
    assert "a@example.gov.cn" in msg["To"] and "Liaison_A" in msg["To"]
    body = msg.get_content()
    assert "窗口无人值守" in body and "未执行一次性告知" in body and "排队" not in body
    assert "请于本周内完成" in body and w.a1.deadline.isoformat() in body
    uow.run(urging.record_delivery, actor=w.office, deliveries=deliveries)
    mailed = {u.finding_id: u for u in rows(uow)}
    assert mailed[w.a1.id].emailed_at is not None and mailed[w.a1.id].email_error == ""
    assert mailed[w.b1.id].emailed_at is None  # nobody to mail


def test_a_liaison_reading_english_gets_the_mail_in_english(uow, w):
    uow.run(_set_language, user_id=w.liaison_a.id, language="en")
    outcome = urge(uow, w, [w.a1.id])
    with smtp_sink() as sink:
        urge_mail.deliver(outcome.mails, translate=translate, settings=_settings(sink.port))
    assert sink.received[0].message["Subject"] == (
        "[Efficiency office] A市供电公司: please rectify 1 finding(s)")


def _set_language(uow, *, user_id, language):
    uow.session.get(User, user_id).language = language


def test_a_mail_server_that_is_down_never_loses_the_reminder(uow, w):
    outcome = urge(uow, w, [w.a1.id])
    deliveries = urge_mail.deliver(outcome.mails, translate=translate,
                                   settings=_settings(closed_port()))
    assert deliveries[0].error.startswith("ConnectionRefusedError")
    uow.run(urging.record_delivery, actor=w.office, deliveries=deliveries)
    [kept] = rows(uow)
    assert kept.emailed_at is None and "ConnectionRefusedError" in kept.email_error
    assert uow.query(urging.open_urges_for_unit, actor=w.liaison_a, unit_id=w.unit_a)


def test_a_refused_mailbox_fails_only_its_units_mail(uow, w, make_user, admin):
    uow.run(users.update_user, actor=admin, user_id=w.liaison_b.id, version=w.liaison_b.version,
            display_name="B", role="unit", district_id=None, unit_id=w.unit_b,
            email="gone@example.gov.cn")
    outcome = urge(uow, w, [w.a1.id, w.b1.id])
    with smtp_sink() as sink:
        sink.refuse.add("gone@example.gov.cn")
        deliveries = urge_mail.deliver(outcome.mails, translate=translate,
                                       settings=_settings(sink.port))
    errors = {d.urge_ids: d.error for d in deliveries}
    by_unit = {m.unit: m.urge_ids for m in outcome.mails}
    assert errors[by_unit["A市供电公司"]] == ""
    assert errors[by_unit["B市供水公司"]].startswith("SMTPRecipientsRefused")
    assert [r.recipients for r in sink.received] == [["a@example.gov.cn"]]


def test_no_smtp_settings_sends_nothing(uow, w):
    outcome = urge(uow, w, [w.a1.id])
    assert urge_mail.deliver(outcome.mails, translate=translate, settings=Settings()) == []


def test_only_the_clerk_who_urged_records_the_mail(uow, w, make_user):
    outcome = urge(uow, w, [w.a1.id])
    other = make_user("office2", "office")
    with pytest.raises(PermissionDenied):
        uow.run(urging.record_delivery, actor=other,
                deliveries=[urging.Delivery(outcome.mails[0].urge_ids, "")])
    assert rows(uow)[0].emailed_at is None


@pytest.mark.parametrize("typed, stored", [
    ("liaison@example.gov.cn", "liaison@example.gov.cn"),
    ("  liaison@example.gov.cn ", "liaison@example.gov.cn"), ("", None)])
def test_an_administrator_sets_a_liaisons_address(uow, w, admin, typed, stored):
    saved = uow.run(users.update_user, actor=admin, user_id=w.liaison_b.id,
                    version=w.liaison_b.version, display_name="B", role="unit",
                    district_id=None, unit_id=w.unit_b, email=typed)
    assert saved.email == stored


@pytest.mark.parametrize("typed", ["not-an-address", "a@b", "a b@example.org", "@example.org",
                                   "x@example.org, y@example.org", "名字 <a@example.org>"])
def test_a_malformed_address_is_refused_and_the_old_one_kept(uow, w, admin, typed):
    with pytest.raises(ValidationFailed) as err:
        uow.run(users.update_user, actor=admin, user_id=w.liaison_a.id,
                version=w.liaison_a.version, display_name="A", role="unit", district_id=None,
                unit_id=w.unit_a, email=typed)
    assert (err.value.message_key, err.value.params["field"]) == ("error.email_invalid", "email")
    with uow.read() as r:
        assert r.session.get(User, w.liaison_a.id).email == "a@example.gov.cn"


def test_editing_a_user_without_naming_the_address_keeps_it(uow, w, admin):
    saved = uow.run(users.update_user, actor=admin, user_id=w.liaison_a.id,
                    version=w.liaison_a.version, display_name="A2", role="unit",
                    district_id=None, unit_id=w.unit_a)
    assert saved.email == "a@example.gov.cn"


def test_urged_at_is_stored_in_utc(uow, w):
    moment = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)  # 12-02 01:30 in the city
    urge(uow, w, [w.a1.id], now=moment)
    assert rows(uow)[0].urged_on.isoformat() == "2026-12-02"


def test_a_unit_name_with_a_line_break_still_makes_one_subject_line(uow, w):
    mail = urging.UrgeMail(
        unit_id=w.unit_a, unit="A单位\r\nBcc: x@evil.example", urge_ids=(1,),
        items=(urging.MailItem(1, "问题", None),), note="",
        recipients=(urging.Recipient("赵\n磊", "a@example.gov.cn", None),))
    [msg] = urge_mail.messages(mail, sender="desk@example.gov.cn", translate=translate,
                               default_language="zh-CN")
    assert msg["Bcc"] is None
    assert msg["Subject"] == "【效能办催办】A单位 Bcc: x@evil.example：1 个问题请抓紧整改"
