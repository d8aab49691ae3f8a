"""Field inspections: plans, the inspector's draft, submit, review, rectification."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from db.models import FindingStatusChange, Inspection, Photo, Role
from db.timeutil import utcnow
from demo import checklist as demo_checklist
from services.core import clock
from services.core.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    PhotoRejected,
    ValidationFailed,
)
from services.fieldwork import checklists, picker, visit_view
from services.fieldwork import plans as visit_plans
from services.fieldwork import visits as inspections
from services.findings import queries as finding_queries
from services.findings import rectification, review
from services.findings import status as finding_status
from services.photos import evidence as photos
from services.photos import sweep
from services.photos.store import PhotoStore
from tests.conftest import PHOTOS, count_rows, stored_files
from tests.factories import (
    answer_all,
    confirm,
    make_district,
    make_draft,
    make_finding,
    make_plan,
    make_unit,
    make_visit,
    report,
)


@pytest.fixture
def field(uow, admin, make_user, office, inspector, checklist):
    district = make_district(uow, actor=admin, name="雄关区")
    unit = make_unit(uow, actor=admin, name="雄关区便民服务中心", district=district)
    other = make_unit(uow, actor=admin, name="市供电公司")
    return {
        "unit": unit, "other": other, "template": checklist, "admin": admin, "office": office,
        "insp1": inspector, "insp2": make_user("insp2", Role.INSPECTOR),
        "leader": make_user("leader", Role.LEADER),
        "liaison": make_user("liaison", Role.UNIT, unit_id=unit.id),
        "liaison_other": make_user("liaison2", Role.UNIT, unit_id=other.id),
    }


def _plan(uow, f, **kw):
    return make_plan(uow, actor=f["office"], unit=f["unit"], template=f["template"],
                     inspectors=[f["insp1"]], **kw)


def _draft(uow, f, *, unit="unit", **kw):
    """insp1's visit just started at the field's unit (or `unit`: "other")."""
    return make_draft(uow, inspector=f["insp1"], unit=f[unit], template=f["template"], **kw)


def _answer_all(uow, f, insp, failing=()):
    return answer_all(uow, inspector=f["insp1"], visit=insp, failing=failing)


def _note(uow, f, insp, **kw):
    """A plain finding on insp1's draft."""
    return make_finding(uow, inspector=f["insp1"], visit=insp, description="记录", **kw)


def _visit_with_finding(uow, f, store, *, photo="jpg_gps_DSCN0010.jpg", severity="serious"):
    """insp1's submitted visit at the unit, everything passed, one finding (with a photo)."""
    insp, [finding] = make_visit(
        uow, inspector=f["insp1"], unit=f["unit"], template=f["template"],
        findings=[dict(category="discipline", severity=severity, description="窗口人员玩手机",
                       responsible_person="张某")],
        photo=(PHOTOS / photo).read_bytes() if photo else None, store=store, submit=True,
    )
    return insp, finding


# --- plans are confidential ---------------------------------------------------------------


def test_plan_is_seen_by_office_admin_and_assigned_inspector_only(uow, field):
    plan = _plan(uow, field)
    assert [p.id for p in uow.query(visit_plans.list_plans, actor=field["office"])] == [plan.id]
    assert [p.id for p in uow.query(visit_plans.list_plans, actor=field["admin"])] == [plan.id]
    assert [p.id for p in uow.query(visit_plans.list_plans, actor=field["insp1"])] == [plan.id]
    assert uow.query(visit_plans.list_plans, actor=field["insp2"]) == []
    with pytest.raises(NotFound):
        uow.query(visit_plans.get_plan, actor=field["insp2"], plan_id=plan.id)
    for role in ("leader", "liaison", "liaison_other"):
        with pytest.raises(PermissionDenied):
            uow.query(visit_plans.list_plans, actor=field[role])
        with pytest.raises(PermissionDenied):
            uow.query(visit_plans.get_plan, actor=field[role], plan_id=plan.id)


def test_only_the_office_plans_and_only_inspectors_are_assigned(uow, field):
    with pytest.raises(PermissionDenied):
        _plan(uow, {**field, "office": field["insp1"]})
    with pytest.raises(ValidationFailed) as err:
        uow.run(
            visit_plans.save_plan, actor=field["office"], unit_id=field["unit"].id,
            kind="unannounced",
            window_start=date.today(), window_end=date.today(),
            template_id=field["template"].id, inspector_ids=[field["leader"].id])
    assert err.value.message_key == "plan.not_an_inspector"
    with pytest.raises(ValidationFailed):
        uow.run(
            visit_plans.save_plan, actor=field["office"], unit_id=field["unit"].id,
            kind="unannounced",
            window_start=date.today(), window_end=date.today() - timedelta(days=1),
            template_id=field["template"].id, inspector_ids=[field["insp1"].id])


def test_a_unit_user_never_reaches_a_plan_through_the_inspection_either(uow, field, store):
    plan = _plan(uow, field)
    insp = uow.run(inspections.start_visit, actor=field["insp1"], client_key="k1", plan_id=plan.id)
    with pytest.raises(PermissionDenied):
        uow.query(visit_view.get_visit, actor=field["liaison"], inspection_id=insp.id)
    with pytest.raises(NotFound):
        uow.run(inspections.start_visit, actor=field["insp2"], client_key="k2", plan_id=plan.id)


# --- the inspector's draft ------------------------------------------------------------------


def test_start_from_a_plan_is_idempotent_and_takes_the_plan_details(uow, field):
    plan = _plan(uow, field)
    first = uow.run(
        inspections.start_visit, actor=field["insp1"], client_key="tap", plan_id=plan.id)
    again = uow.run(
        inspections.start_visit, actor=field["insp1"], client_key="tap", plan_id=plan.id)
    assert first.id == again.id
    assert (first.unit_id, first.kind) == (field["unit"].id, "unannounced")
    assert [d.id for d in uow.query(visit_view.list_drafts, actor=field["insp1"])] == [first.id]
    assert uow.query(visit_view.list_drafts, actor=field["insp2"]) == []


def test_answers_are_validated_and_saved_step_by_step(uow, field):
    insp = _draft(uow, field)
    view = uow.query(visit_view.get_visit, actor=field["insp1"], inspection_id=insp.id)
    yes_no = next(i for i in view.template.items if i.answer_type == "yes_no")
    number = next(i for i in view.template.items if i.answer_type == "number")
    uow.run(inspections.save_answers, actor=field["insp1"], inspection_id=insp.id,
                             answers={yes_no.id: "no"})
    with pytest.raises(ValidationFailed) as err:
        uow.run(inspections.save_answers, actor=field["insp1"], inspection_id=insp.id,
                                 answers={number.id: "三个"})
    assert err.value.message_key == "inspection.answer_not_number"
    # What was saved before is still there, as after a reload.
    again = uow.query(visit_view.get_visit, actor=field["insp1"], inspection_id=insp.id)
    assert again.answers == {yes_no.id: "no"}
    assert [i.id for i in again.failing_items()] == [yes_no.id]
    with pytest.raises(PermissionDenied):
        uow.run(inspections.save_answers, actor=field["insp2"], inspection_id=insp.id,
                                 answers={yes_no.id: "yes"})


def test_submit_needs_every_answer_and_a_photo_where_a_failing_item_requires_one(
    uow, field, store
):
    insp = _draft(uow, field)
    with pytest.raises(ValidationFailed) as err:
        uow.run(inspections.submit_visit, actor=field["insp1"], inspection_id=insp.id)
    assert err.value.message_key == "inspection.unanswered"
    needs_photo = next(i for i in demo_checklist.ITEMS if i.photo_required_on_fail).text
    view = _answer_all(uow, field, insp, failing=(needs_photo,))
    item = next(i for i in view.template.items if i.text == needs_photo)
    with pytest.raises(ValidationFailed) as err:
        uow.run(inspections.submit_visit, actor=field["insp1"], inspection_id=insp.id)
    assert err.value.message_key == "inspection.photo_required"
    make_finding(uow, inspector=field["insp1"], visit=insp, category="eight_systems",
                 description="未公示服务承诺", item_id=item.id,
                 photo=(PHOTOS / "jpg_Canon_40D.jpg").read_bytes(), store=store)
    assert uow.run(inspections.submit_visit, actor=field["insp1"],
                                    inspection_id=insp.id).status == "submitted"


def test_double_submit_and_retried_finding_save_create_one_of_each(uow, field, store):
    insp = _draft(uow, field, kind="spot_check")
    _answer_all(uow, field, insp)
    for _ in range(2):  # a retry after a time-out sends the same client key
        uow.run(inspections.save_finding, actor=field["insp1"], inspection_id=insp.id,
                                 client_key="same", category="attitude", severity="general",
                                 description="态度生硬")
    first = uow.run(inspections.submit_visit, actor=field["insp1"], inspection_id=insp.id)
    second = uow.run(inspections.submit_visit, actor=field["insp1"], inspection_id=insp.id)
    assert first.id == second.id
    view = uow.query(visit_view.get_visit, actor=field["office"], inspection_id=insp.id)
    assert len(view.findings) == 1 and view.findings[0].status == "open"
    assert count_rows(uow, Inspection) == 1
    with uow.read() as r:
        log = r.session.exec(select(FindingStatusChange.to_status)
                             .order_by(FindingStatusChange.id)).all()
    assert log == ["draft", "open"]
    with pytest.raises(ValidationFailed):
        uow.run(inspections.save_answers, actor=field["insp1"], inspection_id=insp.id, answers={})


def test_drafts_are_private_to_their_inspector(uow, field):
    insp = _draft(uow, field)
    for role in ("insp2", "office", "leader", "liaison"):
        with pytest.raises(PermissionDenied):
            uow.query(visit_view.get_visit, actor=field[role], inspection_id=insp.id)


def test_recent_units_come_first(uow, field):
    for unit in ("other", "unit"):
        _draft(uow, field, unit=unit)
    assert [n for _, n in uow.query(picker.recent_units, actor=field["insp1"])] == [
        "雄关区便民服务中心", "市供电公司"]


# --- photos ---------------------------------------------------------------------------------


def _after_the_grace_period(uow, store: PhotoStore) -> list:
    """The files left once the sweep has run a day later."""
    uow.query(sweep.sweep, store, grace=timedelta(hours=24), now=utcnow() + timedelta(hours=25))
    return stored_files(store)


def test_a_rejected_photo_stores_nothing_and_keeps_the_finding(uow, field, store):
    insp = _draft(uow, field)
    finding = _note(uow, field, insp)
    with pytest.raises(PhotoRejected) as err:
        uow.run(photos.add_finding_photo, actor=field["insp1"], finding_id=finding.id,
                                 data=b"not an image at all", store=store)
    assert err.value.message_key == "photo.unsupported_format"
    assert stored_files(store) == []
    view = uow.query(visit_view.get_visit, actor=field["insp1"], inspection_id=insp.id)
    assert [f.description for f in view.findings] == ["记录"]


def test_a_failure_after_the_files_are_written_leaves_no_orphan_after_the_sweep(
    uow, field, store, monkeypatch
):
    finding = _note(uow, field, _draft(uow, field))

    def broken_audit(*args, **kwargs):
        raise RuntimeError("connection dropped")

    monkeypatch.setattr(type(uow), "audit", broken_audit)
    with pytest.raises(RuntimeError):
        uow.run(photos.add_finding_photo, actor=field["insp1"], finding_id=finding.id,
                                 data=(PHOTOS / "jpg_gps_DSCN0021.jpg").read_bytes(),
                                 store=store)
    monkeypatch.undo()
    assert count_rows(uow, Photo) == 0
    assert _after_the_grace_period(uow, store) == []


def test_the_same_photo_twice_is_stored_once_and_removal_keeps_the_other(uow, field, store):
    insp = _draft(uow, field)
    finding, other = _note(uow, field, insp), _note(uow, field, insp)
    data = (PHOTOS / "jpg_orientation_landscape_6.jpg").read_bytes()
    first = uow.run(photos.add_finding_photo, actor=field["insp1"], finding_id=finding.id,
                                     data=data, store=store)
    resent = uow.run(photos.add_finding_photo, actor=field["insp1"], finding_id=finding.id,
                                      data=data, store=store)
    assert resent.id == first.id  # a re-sent upload is the same photo
    second = uow.run(photos.add_finding_photo, actor=field["insp1"], finding_id=other.id,
                                      data=data, store=store)
    assert first.original_key == second.original_key and first.id != second.id
    originals = [p for p in stored_files(store)
                 if p.endswith(".jpg") and "-" not in p.rsplit("/", 1)[-1]]
    assert len(originals) == 1
    uow.run(photos.remove_photo, actor=field["insp1"], photo_id=first.id)
    assert len(_after_the_grace_period(uow, store)) == 3
    assert uow.query(photos.photo_bytes, actor=field["insp1"], photo_id=second.id, variant="thumb",
                              store=store)[:2] == b"\xff\xd8"
    uow.run(photos.remove_photo, actor=field["insp1"], photo_id=second.id)
    assert _after_the_grace_period(uow, store) == []


def test_photo_is_shown_only_to_users_who_may_see_its_finding(uow, field, store):
    insp, finding = _visit_with_finding(uow, field, store)
    [photo_row] = uow.query(visit_view.get_visit, actor=field["office"],
                                        inspection_id=insp.id).findings[0].photos
    for role in ("office", "insp2", "admin"):
        assert uow.query(photos.photo_bytes, actor=field[role], photo_id=photo_row.id,
                                  store=store)[:2] == b"\xff\xd8"
    # Not confirmed yet: neither the unit nor a leader sees it.
    for role in ("liaison", "leader"):
        with pytest.raises(NotFound):
            uow.query(photos.photo_bytes, actor=field[role], photo_id=photo_row.id, store=store)
    assert uow.query(finding_queries.list_cases, actor=field["leader"]) == []
    uow.run(review.confirm_finding, actor=field["office"], finding_id=finding.id)
    for role in ("liaison", "leader"):
        assert uow.query(photos.photo_bytes, actor=field[role], photo_id=photo_row.id, store=store)
    # Where the photo was taken stays with the office.
    [unit_case] = uow.query(finding_queries.list_cases, actor=field["liaison"])
    assert unit_case.photos[0].gps_lat is None and unit_case.photos[0].gps_lon is None
    [office_case] = uow.query(finding_queries.list_cases, actor=field["office"])
    assert office_case.photos[0].gps_lat is not None
    with pytest.raises(NotFound):
        uow.query(photos.photo_bytes, actor=field["liaison_other"], photo_id=photo_row.id,
                           store=store)
    with pytest.raises(PermissionDenied):
        uow.query(photos.photo_bytes, actor=field["liaison"], photo_id=photo_row.id,
                           variant="original", store=store)
    original = uow.query(photos.photo_bytes, actor=field["office"], photo_id=photo_row.id,
                                  variant="original", store=store)
    assert original == (PHOTOS / "jpg_gps_DSCN0010.jpg").read_bytes()


def test_photo_row_keeps_evidence_metadata(uow, field, store):
    insp, _ = _visit_with_finding(uow, field, store)
    [ref] = uow.query(visit_view.get_visit, actor=field["office"],
                                  inspection_id=insp.id).findings[0].photos
    assert ref.gps_lat == pytest.approx(43.4674, abs=0.01)
    assert ref.gps_lon == pytest.approx(11.8851, abs=0.01)
    assert ref.taken_at is not None


# --- review, rectification, verification ----------------------------------------------------


@pytest.mark.parametrize(("severity", "days"), [("general", 15), ("serious", 7), ("severe", 3)])
def test_confirm_sets_the_deadline_by_severity(uow, field, store, severity, days):
    insp, finding = _visit_with_finding(uow, field, store, photo=None, severity=severity)
    confirmed = uow.run(review.confirm_finding, actor=field["office"], finding_id=finding.id)
    assert confirmed.deadline == clock.today() + timedelta(days=days)
    assert uow.query(visit_view.get_visit, actor=field["office"],
                                 inspection_id=insp.id).status == "reviewed"


def test_reject_needs_a_reason_and_only_the_office_reviews(uow, field, store):
    _, finding = _visit_with_finding(uow, field, store, photo=None)
    with pytest.raises(PermissionDenied):
        uow.run(review.confirm_finding, actor=field["insp1"], finding_id=finding.id)
    with pytest.raises(ValidationFailed):
        uow.run(review.reject_finding, actor=field["office"], finding_id=finding.id, reason=" ")
    uow.run(review.reject_finding, actor=field["office"], finding_id=finding.id, reason="证据不足")
    with pytest.raises(InvalidTransition):
        uow.run(review.confirm_finding, actor=field["office"], finding_id=finding.id)
    assert uow.query(finding_queries.list_cases, actor=field["liaison"]) == []


def test_rectification_round_trip_with_reopen_and_a_full_status_log(uow, field, store):
    _, finding = _visit_with_finding(uow, field, store)
    assert [c.id for c in uow.query(review.list_pending, actor=field["office"])]
    uow.run(review.confirm_finding, actor=field["office"], finding_id=finding.id)
    assert uow.query(review.list_pending, actor=field["office"]) == []
    [case] = uow.query(finding_queries.list_cases, actor=field["liaison"])
    assert case.status == "rectifying" and not case.overdue
    assert uow.query(finding_queries.list_cases, actor=field["liaison_other"]) == []

    photo = (PHOTOS / "jpg_orientation_portrait_6.jpg").read_bytes()
    for _ in range(2):  # double tap
        uow.run(
            rectification.submit_rectification, actor=field["liaison"], finding_id=finding.id,
            client_key="r1",
            text="已整改，加强管理", photo_files=[photo], store=store)
    with pytest.raises(ValidationFailed):
        uow.run(
            rectification.submit_rectification, actor=field["liaison"], finding_id=finding.id,
            client_key="r2", text="again",
            store=store)
    with pytest.raises(ValidationFailed):
        uow.run(rectification.verify, actor=field["office"], finding_id=finding.id, accept=False)
    uow.run(rectification.verify, actor=field["insp2"], finding_id=finding.id, accept=False,
                         note="现场复查仍有人玩手机")
    uow.run(
        rectification.submit_rectification, actor=field["liaison"], finding_id=finding.id,
        client_key="r3",
        text="已再次整改", store=store)
    uow.run(rectification.verify, actor=field["office"], finding_id=finding.id, accept=True)

    [case] = uow.query(finding_queries.list_cases, actor=field["office"])
    assert case.status == "verified"
    assert [(h.from_status, h.to_status) for h in case.history] == [
        (None, "draft"), ("draft", "open"), ("open", "rectifying"), ("rectifying", "reported"),
        ("reported", "reopened"), ("reopened", "reported"), ("reported", "verified"),
    ]
    assert case.history[4].note == "现场复查仍有人玩手机" and case.history[4].actor == "Insp2"
    assert [r.outcome for r in case.rectifications] == ["reopened", "verified"]
    assert len(case.rectifications[0].photos) == 1


def test_a_rectification_with_a_bad_photo_is_refused_whole(uow, field, store):
    _, finding = _visit_with_finding(uow, field, store, photo=None)
    confirm(uow, actor=field["office"], finding=finding)
    good = (PHOTOS / "jpg_gps_DSCN0021.jpg").read_bytes()
    with pytest.raises(PhotoRejected):
        uow.run(
            rectification.submit_rectification, actor=field["liaison"], finding_id=finding.id,
            client_key="x",
            text="已整改", photo_files=[good, b"GIF89a" + b"\0" * 20], store=store)
    assert stored_files(store) == []
    [case] = uow.query(finding_queries.list_cases, actor=field["liaison"])
    assert case.status == "rectifying"


def test_overdue_is_computed_from_the_deadline():
    today = date(2026, 11, 25)
    assert finding_status.is_overdue("rectifying", date(2026, 11, 24), today)
    assert not finding_status.is_overdue("rectifying", date(2026, 11, 25), today)
    assert not finding_status.is_overdue("reported", date(2026, 11, 1), today)
    assert finding_status.is_overdue("reopened", date(2026, 11, 1), today)


def test_checklist_edit_keeps_answered_items_inactive(uow, field):
    tpl = uow.query(
        checklists.get_template, actor=field["office"], template_id=field["template"].id)
    kept = [checklists.ItemSpec(i.section, i.text, i.answer_type, i.photo_required_on_fail, i.id)
            for i in tpl.items[:3]]
    new = checklists.ItemSpec("新增", "窗口是否有叫号系统")
    uow.run(checklists.save_template, actor=field["office"], name=tpl.name, description="改",
                             items=[*kept, new], template_id=tpl.id, version=tpl.version)
    after = uow.query(checklists.get_template, actor=field["office"], template_id=tpl.id)
    assert [i.text for i in after.items] == [*(k.text for k in kept), "窗口是否有叫号系统"]
    with pytest.raises(PermissionDenied):
        uow.run(checklists.save_template, actor=field["insp1"], name="x", description="",
                                 items=[new])


def test_a_visit_without_findings_needs_no_review(uow, field):
    insp = _draft(uow, field)
    _answer_all(uow, field, insp)
    done = uow.run(inspections.submit_visit, actor=field["insp1"], inspection_id=insp.id)
    assert done.status == "reviewed"
    assert uow.query(review.list_pending, actor=field["office"]) == []


def test_templates_are_read_only_by_roles_that_use_them(uow, field):
    assert uow.query(checklists.list_templates, actor=field["insp1"])
    assert uow.query(checklists.list_templates, actor=field["office"])
    for role in ("leader", "liaison"):
        with pytest.raises(PermissionDenied):
            uow.query(checklists.list_templates, actor=field[role])


def test_cancelling_a_plan_someone_just_edited_is_refused(uow, field):
    from services.core.errors import Conflict

    plan = _plan(uow, field)
    _plan(uow, field, plan_id=plan.id, version=plan.version, note="改了时间")
    with pytest.raises(Conflict):
        uow.run(visit_plans.cancel_plan, actor=field["office"], plan_id=plan.id,
                                version=plan.version)
    fresh = uow.query(visit_plans.get_plan, actor=field["office"], plan_id=plan.id)
    assert uow.run(visit_plans.cancel_plan, actor=field["office"], plan_id=plan.id,
                                   version=fresh.version).status == "cancelled"
    with pytest.raises(PermissionDenied):
        uow.query(visit_plans.list_inspectors, actor=field["insp1"])
    assert [n for _, n in uow.query(visit_plans.list_inspectors, actor=field["office"])] == [
        "Insp1", "Insp2"]


def test_an_inspector_discards_a_draft_with_everything_in_it(uow, field, store):
    plan = _plan(uow, field)
    insp = make_draft(uow, inspector=field["insp1"], plan=plan)
    _answer_all(uow, field, insp)
    make_finding(uow, inspector=field["insp1"], visit=insp, description="误记",
                 photo=(PHOTOS / "jpg_gps_DSCN0021.jpg").read_bytes(), store=store)
    with pytest.raises(PermissionDenied):
        uow.run(inspections.discard_draft, actor=field["insp2"], inspection_id=insp.id)
    uow.run(inspections.discard_draft, actor=field["insp1"], inspection_id=insp.id)
    assert uow.query(visit_view.list_drafts, actor=field["insp1"]) == []
    assert _after_the_grace_period(uow, store) == []
    assert uow.query(
        visit_plans.get_plan, actor=field["office"], plan_id=plan.id).status == "planned"


def test_editing_a_checklist_does_not_rewrite_past_visits(uow, field, store):
    insp, _ = _visit_with_finding(uow, field, store, photo=None)
    before = uow.query(visit_view.get_visit, actor=field["office"], inspection_id=insp.id)
    tpl = uow.query(
        checklists.get_template, actor=field["office"], template_id=field["template"].id)
    first, second, *rest = tpl.items
    reworded = checklists.ItemSpec(first.section, "首问责任制（新表述）", first.answer_type,
                                   first.photo_required_on_fail, first.id)
    kept = [checklists.ItemSpec(i.section, i.text, i.answer_type, i.photo_required_on_fail, i.id)
            for i in rest]  # the second item is removed
    uow.run(checklists.save_template, actor=field["office"], name=tpl.name, description="",
                             items=[reworded, *kept], template_id=tpl.id, version=tpl.version)
    after = uow.query(visit_view.get_visit, actor=field["office"], inspection_id=insp.id)
    assert [i.text for i in after.template.items] == [i.text for i in before.template.items]
    assert after.answers == before.answers
    now = uow.query(checklists.get_template, actor=field["office"], template_id=tpl.id)
    assert now.items[0].text == "首问责任制（新表述）" and now.items[0].id != first.id
    assert second.id not in {i.id for i in now.items}


def test_counts_and_overdue_filter_come_from_the_database(uow, field, store, monkeypatch):
    findings = [_visit_with_finding(uow, field, store, photo=None, severity=sev)[1]
                for sev in ("general", "severe")]
    for f in findings:
        confirm(uow, actor=field["office"], finding=f)
    assert uow.query(finding_queries.count_cases, actor=field["office"]) == (2, 0)
    # Four days later the severe one (3 days) is overdue, the general one (15) is not.
    later = clock.today() + timedelta(days=4)
    monkeypatch.setattr(clock, "today", lambda now=None: later)
    assert uow.query(finding_queries.count_cases, actor=field["office"]) == (2, 1)
    [late] = uow.query(finding_queries.list_cases, actor=field["office"], overdue_only=True)
    assert late.severity == "severe" and late.overdue
    assert uow.query(finding_queries.count_cases, actor=field["liaison_other"]) == (0, 0)
    report(uow, actor=field["liaison"], finding=late.id, text="迟到的整改", store=store)
    monkeypatch.undo()
    [case] = uow.query(finding_queries.list_cases, actor=field["office"], finding_id=late.id)
    assert not case.reported_late  # reported today, before its deadline


def test_a_reopened_finding_gets_a_new_deadline(uow, field, store):
    _, finding = _visit_with_finding(uow, field, store, photo=None, severity="serious")
    confirm(uow, actor=field["office"], finding=finding)
    report(uow, actor=field["liaison"], finding=finding, text="整改", store=store)
    with pytest.raises(ValidationFailed):
        uow.run(rectification.verify, actor=field["office"], finding_id=finding.id, accept=False,
                             note="未整改", deadline=clock.today() - timedelta(days=1))
    reopened = uow.run(rectification.verify, actor=field["office"], finding_id=finding.id,
                                    accept=False, note="未整改到位")
    assert reopened.deadline == clock.today() + timedelta(days=7)


FIELD_WRITES = {
    "visit_plans.save_plan": "plan.create", "visit_plans.cancel_plan": "plan.cancel",
    "checklists.save_template": "checklist.update", "inspections.start_visit": "inspection.start",
    "inspections.save_answers": "inspection.answers",
    "inspections.save_details": "inspection.details",
    "inspections.save_finding": "finding.create", "photos.add_finding_photo": "photo.add",
    "photos.remove_photo": "photo.remove", "inspections.delete_finding": "finding.delete",
    "inspections.discard_draft": "inspection.discard",
    "inspections.submit_visit": "inspection.submit", "review.confirm_finding": "finding.confirm",
    "review.reject_finding": "finding.reject",
    "rectification.submit_rectification": "rectification.submit",
    "rectification.verify": "finding.verify",
}


def test_every_field_write_is_audited_and_labelled(uow, field, store):
    import inspect as pyinspect

    from db.models import AuditEvent
    from tests.service.test_audit import assert_audit_labels

    modules = {"visit_plans": visit_plans, "checklists": checklists, "inspections": inspections,
               "photos": photos, "review": review, "rectification": rectification}
    public = {
        f"{alias}.{name}"
        for alias, m in modules.items()
        for name, fn in pyinspect.getmembers(m, pyinspect.isfunction)
        if fn.__module__ == m.__name__ and name.startswith(
            ("save_", "cancel_", "start_", "add_", "remove_", "delete_", "discard_", "submit_",
             "confirm_", "reject_", "verify"))
    }
    assert public == set(FIELD_WRITES)

    def actions():
        with uow.read() as r:
            return list(r.session.exec(select(AuditEvent.action).order_by(AuditEvent.id)))

    seen = set()

    def step(name, call):
        before = len(actions())
        result = call()
        assert FIELD_WRITES[name] in actions()[before:], name
        seen.add(name)
        return result

    f, insp1 = field, field["insp1"]
    plan = step("visit_plans.save_plan", lambda: _plan(uow, f))
    step("visit_plans.cancel_plan", lambda: uow.run(
        visit_plans.cancel_plan, actor=f["office"], plan_id=plan.id))
    tpl = uow.query(checklists.get_template, actor=f["office"], template_id=f["template"].id)
    step("checklists.save_template", lambda: uow.run(
        checklists.save_template, actor=f["office"], name=tpl.name, description="新说明",
        items=[checklists.ItemSpec(i.section, i.text, i.answer_type, i.photo_required_on_fail,
                                   i.id) for i in tpl.items],
        template_id=tpl.id, version=tpl.version))
    throwaway = _draft(uow, f)
    step("inspections.discard_draft", lambda: uow.run(
        inspections.discard_draft, actor=insp1, inspection_id=throwaway.id))
    insp = step("inspections.start_visit", lambda: uow.run(
        inspections.start_visit, actor=insp1, client_key="s", unit_id=f["unit"].id, kind="open",
        template_id=tpl.id))
    step("inspections.save_answers", lambda: _answer_all(uow, f, insp))
    step("inspections.save_details", lambda: uow.run(
        inspections.save_details, actor=insp1, inspection_id=insp.id, summary="小结"))
    keep, drop, rejected = (
        step("inspections.save_finding", lambda k=k: uow.run(
            inspections.save_finding, actor=insp1, inspection_id=insp.id, client_key=k,
            category="other",
            severity="general", description="问题"))
        for k in ("keep", "drop", "rejected")
    )
    photo = step("photos.add_finding_photo", lambda: uow.run(
        photos.add_finding_photo, actor=insp1, finding_id=keep.id,
        data=(PHOTOS / "jpg_Canon_40D.jpg").read_bytes(), store=store))
    step("photos.remove_photo", lambda: uow.run(
        photos.remove_photo, actor=insp1, photo_id=photo.id))
    step("inspections.delete_finding", lambda: uow.run(
        inspections.delete_finding, actor=insp1, finding_id=drop.id))
    step("inspections.submit_visit", lambda: uow.run(
        inspections.submit_visit, actor=insp1, inspection_id=insp.id))
    step("review.confirm_finding", lambda: uow.run(
        review.confirm_finding, actor=f["office"], finding_id=keep.id))
    step("review.reject_finding", lambda: uow.run(
        review.reject_finding, actor=f["office"], finding_id=rejected.id, reason="不成立"))
    step("rectification.submit_rectification", lambda: uow.run(
        rectification.submit_rectification, actor=f["liaison"], finding_id=keep.id, client_key="rr",
        text="已整改",
        store=store))
    step("rectification.verify", lambda: uow.run(
        rectification.verify, actor=f["office"], finding_id=keep.id, accept=True))
    assert seen == set(FIELD_WRITES)
    assert_audit_labels(uow)


def test_a_rectification_that_fails_to_save_leaves_no_files_after_the_sweep(
    uow, field, store, monkeypatch
):
    _, finding = _visit_with_finding(uow, field, store, photo=None)
    confirm(uow, actor=field["office"], finding=finding)

    def broken_audit(*args, **kwargs):
        raise RuntimeError("connection dropped")

    monkeypatch.setattr(type(uow), "audit", broken_audit)
    with pytest.raises(RuntimeError):
        uow.run(
            rectification.submit_rectification, actor=field["liaison"], finding_id=finding.id,
            client_key="z", text="已整改",
            photo_files=[(PHOTOS / "jpg_gps_DSCN0010.jpg").read_bytes()], store=store)
    monkeypatch.undo()
    [case] = uow.query(finding_queries.list_cases, actor=field["liaison"])
    assert case.status == "rectifying" and case.rectifications == ()
    assert _after_the_grace_period(uow, store) == []
