"""Adversarial review of notices (通报, issue 10), on SQLite and PostgreSQL: who may call each
write, what a liaison of another unit (or of one unit, reading an extract) may learn, what
reaches a notice from a complaint, odd typed text, double clicks and a notice's findings or
recipients changing before it is issued."""

from __future__ import annotations

import io
import uuid
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from sqlmodel import select

from db.models import Finding, Notice, NoticeCounter
from demo import checklist as demo_checklist
from services.complaints import workflow as complaints
from services.core.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from services.findings import from_complaint
from services.notices import compose, export, figures, queries, workflow
from services.org import structure
from tests.conftest import count_rows
from tests.factories import confirm, make_complaint, make_template, make_visit
from tests.service.test_notices import (  # noqa: F401
    ISSUED_AT,
    draft,
    issue,
    issued_notice,
    latest,
    to_signed,
    world,
)

PHOTOS = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "photos"


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


# --- who may call each write ----------------------------------------------------------------


def test_no_other_role_composes_submits_issues_corrects_or_publishes(uow, world):  # noqa: F811
    w = world
    n = draft(uow, w)
    done = issued_notice(uow, w)
    for who in ("leader", "inspector", "liaison_a", "admin"):
        actor = w[who]
        calls = [
            lambda a=actor: uow.run(compose.update_draft, actor=a, notice_id=n.id,
                                    version=n.version, kind="criticism", title="改",
                                    unit_ids=[w["a"].id], finding_ids=w["confirmed_a"]),
            lambda a=actor: uow.run(compose.add_findings, actor=a, notice_id=n.id,
                                    version=n.version, finding_ids=[w["confirmed_b"]]),
            lambda a=actor: uow.run(workflow.submit, actor=a, notice_id=n.id,
                                    version=n.version),
            lambda a=actor: uow.run(workflow.correct, actor=a, notice_id=done.id,
                                    client_key=uuid.uuid4().hex),
            lambda a=actor: uow.run(workflow.publish, actor=a, notice_id=done.id,
                                    on=date(2026, 3, 3)),
            lambda a=actor: uow.query(queries.finding_labels, actor=a,
                                      finding_ids=w["confirmed_a"]),
            lambda a=actor: uow.query(queries.finding_units, actor=a,
                                      finding_ids=w["confirmed_a"]),
        ]
        for call in calls:
            with pytest.raises(PermissionDenied):
                call()
    submitted = uow.run(workflow.submit, actor=w["office"], notice_id=n.id, version=n.version)
    for who in ("office", "admin", "inspector", "liaison_a"):
        with pytest.raises(PermissionDenied):
            uow.run(workflow.return_to_draft, actor=w[who], notice_id=n.id,
                    version=submitted.version, comments="不行")
    after = latest(uow, n.id)
    assert (after.status, after.version, after.published_to_media) == (
        "awaiting", submitted.version, False)
    assert latest(uow, done.id).published_to_media is False


def test_a_liaison_of_another_unit_reads_nothing_by_id_number_or_docx(uow, world):  # noqa: F811
    w = world
    to_a = issued_notice(uow, w, title="给A")
    still = draft(uow, w, title="草稿")
    for notice_id in (to_a.id, still.id):
        for call in (queries.get_notice, export.export_docx, export.render):
            with pytest.raises(NotFound):
                uow.query(call, actor=w["liaison_b"], notice_id=notice_id)
    with pytest.raises(NotFound):
        uow.query(export.find_issued, actor=w["liaison_b"], number="嘉效办〔2026〕1号")
    with pytest.raises(NotFound):  # a leader does not read drafts, nor their docx
        uow.query(export.export_docx, actor=w["leader"], notice_id=still.id)
    with pytest.raises(PermissionDenied):
        uow.query(export.export_docx, actor=w["inspector"], notice_id=to_a.id)


# --- extracts -------------------------------------------------------------------------------


def test_an_extract_names_no_other_unit_among_its_recipients(uow, world):  # noqa: F811
    """An extract is sent so that a unit reads its own part only: the main recipients'
    line ("市供电公司、市自来水公司：") would still tell it who else was criticised."""
    w = world
    n = issue(uow, w, to_signed(uow, w, draft(
        uow, w, send_extracts=True, units=[w["a"].id, w["b"].id],
        findings=[w["confirmed_a"][0], w["confirmed_b"]], title="关于有关单位效能问题的通报")))
    view = uow.query(queries.get_notice, actor=w["liaison_b"], notice_id=n.id)
    assert view.recipients == ["市自来水公司"]
    text = _text(uow.query(export.export_docx, actor=w["liaison_b"], notice_id=n.id))
    assert "市供电公司" not in text and "问题0" not in text
    office = uow.query(queries.get_notice, actor=w["office"], notice_id=n.id)
    assert office.recipients == ["市供电公司", "市自来水公司"]


def test_a_commendation_extract_shows_only_the_units_own_reason(uow, world):  # noqa: F811
    w = world
    n = issue(uow, w, to_signed(uow, w, draft(
        uow, w, kind="commendation", send_extracts=True, units=[w["a"].id, w["b"].id],
        findings=[], title="表扬", reasons={w["a"].id: "窗口零投诉", w["b"].id: "办结率高"})))
    text = _text(uow.query(export.export_docx, actor=w["liaison_a"], notice_id=n.id))
    assert "窗口零投诉" in text and "办结率高" not in text and "市自来水公司" not in text


def test_a_liaison_reading_a_whole_notice_gets_its_photos(uow, world, store):  # noqa: F811
    """Sent whole (no extracts), the notice's photos are part of what the unit receives:
    they are not "missing" because the photo of another unit's finding is not the
    liaison's to open in the register."""
    w = world
    tpl = make_template(uow, actor=w["office"], name="表2", items=demo_checklist.ITEMS[:1])
    made = [make_visit(uow, inspector=w["inspector"], unit=unit, template=tpl,
                       findings=[{"description": what}], store=store, submit=True,
                       photo=(PHOTOS / "jpg_gps_DSCN0010.jpg").read_bytes()).findings[0]
            for unit, what in ((w["a"], "台账缺失"), (w["b"], "窗口无人"))]
    for f in made:
        confirm(uow, actor=w["office"], finding=f)
    n = issue(uow, w, to_signed(uow, w, draft(
        uow, w, units=[w["a"].id, w["b"].id], findings=[f.id for f in made],
        with_photos=True)))
    rendered = uow.query(export.render, actor=w["liaison_b"], notice_id=n.id, store=store)
    assert rendered.missing_photos == ()
    assert [c for _, c in rendered.text.photos] == ["图1 市供电公司", "图2 市自来水公司"]
    extract = issue(uow, w, to_signed(uow, w, draft(
        uow, w, units=[w["a"].id, w["b"].id], findings=[f.id for f in made],
        with_photos=True, send_extracts=True)))
    rendered = uow.query(export.render, actor=w["liaison_b"], notice_id=extract.id,
                         store=store)
    assert [c for _, c in rendered.text.photos] == ["图1 市自来水公司"]


# --- complainants ---------------------------------------------------------------------------


def test_a_complaints_text_copied_into_a_finding_names_no_complainant(uow, world):  # noqa: F811
    """The office opens a finding from a complaint with the complaint's text as its
    description (the form starts with it); a complainant who gave their name and number in
    that text is not named by the notice, on screen or in the .docx."""
    w = world
    said = "我是张三丰，电话13812341234，住雄关区新华路12号，窗口工作人员态度生硬"
    c = make_complaint(uow, office=w["office"], unit=w["a"], content=said)
    uow.run(complaints.assign, actor=w["office"], complaint_id=c.id, version=None,
            unit_id=w["a"].id)
    finding = uow.run(from_complaint.open_from_complaint, actor=w["office"], complaint_id=c.id,
                      category="attitude", description=said)
    n = issued_notice(uow, w, findings=[finding.id, w["confirmed_a"][0]])
    for who in ("office", "leader", "liaison_a"):
        view = uow.query(queries.get_notice, actor=w[who], notice_id=n.id)
        text = repr(view) + _text(uow.query(export.export_docx, actor=w[who], notice_id=n.id))
        assert "窗口工作人员态度生硬" in text and "问题0" in text
        for secret in ("张三丰", "13812341234", "新华路12号"):
            assert secret not in text, (who, secret)


# --- typed text -----------------------------------------------------------------------------


def test_control_characters_are_dropped_and_the_docx_still_renders(uow, world):  # noqa: F811
    w = world
    n = draft(uow, w, title="关于\x07市供电公司\x00问题的通报\x1b",
              opening="开头\x0b第二句\n第二段",
              cc="市纪委\x0c监委", attachments="附件一\x01")
    saved = latest(uow, n.id)
    assert saved.title == "关于市供电公司问题的通报"
    assert saved.opening == "开头第二句\n第二段" and saved.cc == "市纪委监委"
    text = _text(uow.query(export.export_docx, actor=w["office"], notice_id=n.id))
    assert "关于市供电公司问题的通报" in text
    with pytest.raises(ValidationFailed) as err:
        draft(uow, w, title="\x00\x07 \t")
    assert err.value.message_key == "error.required"
    with pytest.raises(ValidationFailed) as err:  # a title is one line
        draft(uow, w, title="第一行\n第二行")
    assert err.value.message_key == "notice.title_one_line"


def test_a_finding_typed_with_control_characters_still_exports(uow, world):  # noqa: F811
    w = world
    tpl = make_template(uow, actor=w["office"], name="表3", items=demo_checklist.ITEMS[:1])
    _, found = make_visit(uow, inspector=w["inspector"], unit=w["a"], template=tpl,
                          findings=[{"description": "台账\x08缺失"}], submit=True)
    confirm(uow, actor=w["office"], finding=found[0])
    n = draft(uow, w, findings=[found[0].id])
    text = _text(uow.query(export.export_docx, actor=w["office"], notice_id=n.id))
    assert "台账缺失" in text


def test_markdown_in_typed_text_is_kept_as_typed(uow, world):  # noqa: F811
    w = world
    typed = "**加粗** <b>x</b> [链接](http://evil.example/x.png)"
    n = draft(uow, w, title="关于**问题**的<b>通报</b>", opening=typed, cc=typed)
    saved = latest(uow, n.id)
    assert saved.title == "关于**问题**的<b>通报</b>" and saved.opening == typed
    text = _text(uow.query(export.export_docx, actor=w["office"], notice_id=n.id))
    assert "关于**问题**的<b>通报</b>" in text and "[链接](http://evil.example/x.png)" in text


def test_long_parts_are_refused_and_nothing_is_saved(uow, world):  # noqa: F811
    w = world
    for args, name in (({"attachments": "附" * (compose.ATTACHMENTS_MAX + 1)}, "attachments"),
                       ({"cc": "抄" * (compose.CC_MAX + 1)}, "cc"),
                       ({"opening": "开" * (compose.TEXT_MAX + 1)}, "opening")):
        with pytest.raises(ValidationFailed) as err:
            draft(uow, w, **args)
        assert err.value.message_key == "error.too_long", name
    assert count_rows(uow, Notice) == 0


# --- double clicks, stale copies, changes before the issue ----------------------------------


def test_double_submit_sign_issue_and_publish_act_once(uow, world):  # noqa: F811
    w = world
    n = draft(uow, w)
    first = uow.run(workflow.submit, actor=w["office"], notice_id=n.id, version=n.version)
    with pytest.raises(Conflict):  # the second click carries the copy it was shown
        uow.run(workflow.submit, actor=w["office"], notice_id=n.id, version=n.version)
    signed = uow.run(workflow.sign, actor=w["leader"], notice_id=n.id, version=first.version)
    with pytest.raises(Conflict):
        uow.run(workflow.sign, actor=w["leader"], notice_id=n.id, version=first.version)
    done = issue(uow, w, signed)
    with pytest.raises(Conflict):
        uow.run(workflow.issue, actor=w["office"], notice_id=n.id, version=signed.version)
    with pytest.raises(Conflict):
        uow.run(workflow.issue, actor=w["office"], notice_id=n.id, version=None)
    with uow.read() as r:
        assert r.session.exec(select(NoticeCounter.last_seq)).all() == [1]
    assert latest(uow, done.id).number_seq == 1
    uow.run(workflow.publish, actor=w["office"], notice_id=n.id, on=date(2026, 3, 3))
    with pytest.raises(Conflict, match="already_published"):
        uow.run(workflow.publish, actor=w["office"], notice_id=n.id, on=date(2026, 3, 4))
    assert latest(uow, n.id).published_on == date(2026, 3, 3)


def test_publication_is_not_dated_before_the_issue_nor_in_the_future(uow, world):  # noqa: F811
    w = world
    n = issued_notice(uow, w)  # issued 2026-03-02
    for day in (date(2026, 3, 1), date(2999, 1, 1)):
        with pytest.raises(ValidationFailed) as err:
            uow.run(workflow.publish, actor=w["office"], notice_id=n.id, on=day)
        assert err.value.message_key == "notice.bad_publish_day"
    assert latest(uow, n.id).published_to_media is False


def test_a_recipient_deactivated_after_selection_stops_the_issue(uow, world):  # noqa: F811
    w = world
    n = to_signed(uow, w, draft(uow, w, units=[w["a"].id, w["b"].id],
                                findings=[w["confirmed_a"][0], w["confirmed_b"]]))
    uow.run(structure.set_unit_active, actor=w["admin"], unit_id=w["b"].id, active=False)
    with pytest.raises(ValidationFailed) as err:
        issue(uow, w, n)
    assert err.value.message_key == "notice.bad_recipient"
    assert err.value.params["ids"] == [w["b"].id]
    after = latest(uow, n.id)
    assert (after.status, after.number_seq) == ("signed", None)
    assert count_rows(uow, NoticeCounter, NoticeCounter.last_seq > 0) == 0
    assert count_rows(uow, Finding, Finding.circulated_at.is_not(None)) == 0


def test_a_correction_of_a_correction_refers_to_the_one_it_corrects(uow, world):  # noqa: F811
    w = world
    first = issued_notice(uow, w)
    fix = uow.run(workflow.correct, actor=w["office"], notice_id=first.id,
                  client_key=uuid.uuid4().hex)
    with pytest.raises(ValidationFailed, match="corrects_not_issued"):  # not issued yet
        uow.run(workflow.correct, actor=w["office"], notice_id=fix.id,
                client_key=uuid.uuid4().hex)
    fix = issue(uow, w, to_signed(uow, w, fix))
    again = uow.run(workflow.correct, actor=w["office"], notice_id=fix.id,
                    client_key=uuid.uuid4().hex)
    assert (again.corrects_id, again.status) == (fix.id, "draft")
    assert latest(uow, first.id).status == "issued"


# --- a situation report's period ------------------------------------------------------------


def test_a_period_running_past_today_states_the_days_counted(uow, world):  # noqa: F811
    w = world
    text = uow.query(figures.situation_figures, actor=w["office"], start=date(2026, 1, 1),
                     end=date(2026, 12, 31), today=date(2026, 3, 15))
    assert text.startswith("2026年1月1日至2026年3月15日，")
    with pytest.raises(ValidationFailed) as err:
        uow.query(figures.situation_figures, actor=w["office"], start=date(2026, 4, 1),
                  end=date(2026, 4, 30), today=date(2026, 3, 15))
    assert err.value.message_key == "notice.bad_period"


def test_a_signed_notice_refused_at_issue_can_be_withdrawn_mended_and_signed_again(
        uow, world):  # noqa: F811
    """The refusal says "mend the notice, then issue it": a signed notice must have a way
    back to its draft, or it stays stuck forever. The office withdraws it (the sign-off
    goes: what changes must be signed again), mends it, and it goes round once more."""
    w = world
    reopened, kept = w["confirmed_a"][:2]
    from tests.factories import report
    report(uow, actor=w["liaison_a"], finding=reopened)
    n = to_signed(uow, w, draft(uow, w, findings=[reopened, kept]))
    from services.findings import rectification
    uow.run(rectification.verify, actor=w["office"], finding_id=reopened, accept=False,
            note="未整改到位")
    with pytest.raises(Conflict, match="findings_changed"):
        issue(uow, w, n)
    for who in ("leader", "liaison_a", "inspector", "admin"):
        with pytest.raises(PermissionDenied):
            uow.run(workflow.withdraw, actor=w[who], notice_id=n.id,
                    version=latest(uow, n.id).version)
    stale = latest(uow, n.id).version - 1
    with pytest.raises(Conflict):
        uow.run(workflow.withdraw, actor=w["office"], notice_id=n.id, version=stale)
    back = uow.run(workflow.withdraw, actor=w["office"], notice_id=n.id,
                   version=latest(uow, n.id).version)
    assert (back.status, back.signed_by, back.signed_at) == ("draft", None, None)
    with pytest.raises(InvalidTransition):  # a draft is not withdrawn
        uow.run(workflow.withdraw, actor=w["office"], notice_id=n.id, version=back.version)
    mended = uow.run(compose.update_draft, actor=w["office"], notice_id=n.id,
                     version=back.version, kind="criticism", title="关于市供电公司问题的通报",
                     unit_ids=[w["a"].id], finding_ids=[kept])
    done = issue(uow, w, to_signed(uow, w, mended))
    assert (done.status, done.number_seq) == ("issued", 1)
    with pytest.raises(Conflict, match="issued_readonly"):
        uow.run(workflow.withdraw, actor=w["office"], notice_id=n.id, version=None)


def test_findings_picked_in_the_register_do_not_join_a_commendation(uow, world):  # noqa: F811
    """A commendation lists commended units with their reasons, never problems found: a
    finding added to it would put its unit among the commended with no reason given."""
    w = world
    praise = draft(uow, w, kind="commendation", units=[w["b"].id], findings=[], title="表扬",
                   reasons={w["b"].id: "办结率高"})
    with pytest.raises(ValidationFailed) as err:
        uow.run(compose.add_findings, actor=w["office"], notice_id=praise.id,
                version=praise.version, finding_ids=[w["confirmed_a"][0]])
    assert err.value.message_key == "notice.findings_not_commended"
    held = uow.query(lambda r: compose.content_of(r, latest(uow, praise.id)))
    assert (held.unit_ids, held.finding_ids) == ((w["b"].id,), ())
