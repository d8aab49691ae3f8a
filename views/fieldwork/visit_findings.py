"""The findings of a visit being recorded: one per failing checklist item at a tap, free
findings, each with its photos from files or the camera (see views.fieldwork.visit)."""

from __future__ import annotations

import uuid

import streamlit as st

from services.core.errors import DomainError
from services.fieldwork import checklists, visit_view
from services.fieldwork import visits as inspections
from services.photos import evidence as photos
from ui import context
from ui.context import t
from ui.feedback import error_text, reported
from ui.photo_views import PHOTO_TYPES, thumbnails
from ui.text import plain
from ui.widgets import forget_form

NEW_FINDING_KEY = "visit_new_finding_key"
PHOTO_ERRORS_KEY = "visit_photo_errors"


def findings(actor, view: visit_view.VisitView, answers: dict[int, str]) -> None:
    st.subheader(t("visit.findings"))
    _photo_errors()
    linked = {f.item_id for f in view.findings if f.item_id}
    failing = [i for i in view.template.items if checklists.fails(i, answers.get(i.id))]
    for item in failing:
        if item.id in linked:
            continue
        if st.button(t("visit.make_finding", item=plain(item.text)), key=f"mk_{view.id}_{item.id}",
                     width="stretch"):
            with reported():
                # One finding per failing item, whatever the number of taps.
                context.run(inspections.save_finding, actor=actor, inspection_id=view.id,
                    client_key=f"item-{view.id}-{item.id}",
                    category=checklists.suggested_category(item), severity="general",
                    description=item.text, item_id=item.id,
                )
                st.rerun()
    for n, finding in enumerate(view.findings, start=1):
        _finding_card(actor, view, finding, n)
    _new_finding(actor, view)


def _finding_fields(prefix: str, finding=None) -> dict:
    cats, sevs = inspections.CATEGORIES, inspections.SEVERITIES
    return {
        "category": st.selectbox(
            t("field.category"), cats, key=f"{prefix}_cat",
            index=cats.index(finding.category) if finding else 0,
            format_func=lambda c: t("category." + c)),
        "severity": st.segmented_control(
            t("field.severity"), sevs, key=f"{prefix}_sev",
            default=finding.severity if finding else "general",
            format_func=lambda s: t("severity." + s)) or "general",
        "description": st.text_area(t("field.description"), key=f"{prefix}_desc",
                                    value=finding.description if finding else "",
                                    max_chars=4000),
        "responsible_person": st.text_input(
            t("field.responsible_person"), key=f"{prefix}_resp",
            value=finding.responsible_person if finding else "", max_chars=100),
    }


def _finding_card(actor, view, finding, n: int) -> None:
    with st.container(border=True):
        st.markdown(f"**{t('visit.finding_n', n=n)}** · {t('category.' + finding.category)}"
                    f" · {t('severity.' + finding.severity)}")
        with st.form(f"finding_{finding.id}"):
            fields = _finding_fields(f"f{finding.id}", finding)
            saved = st.form_submit_button(t("visit.save_finding"), width="stretch")
        if saved:
            with reported():
                context.run(inspections.save_finding, actor=actor, inspection_id=view.id,
                    client_key=finding.client_key, item_id=finding.item_id, **fields)
                context.flash("success", "common.saved")
                st.rerun()
        removed = thumbnails(finding.photos, key=f"th_{finding.id}", removable=True)
        if removed is not None:
            with reported():
                context.run(photos.remove_photo, actor=actor, photo_id=removed)
                st.rerun()
        _photo_inputs(actor, finding.id)
        with st.popover(t("visit.delete_finding")):
            st.write(t("visit.delete_finding_confirm"))
            if st.button(t("visit.delete_finding"), key=f"del_{finding.id}", type="primary"):
                with reported():
                    context.run(inspections.delete_finding, actor=actor,
                                               finding_id=finding.id)
                    st.rerun()


def _photo_inputs(actor, finding_id: int) -> None:
    """Files (several at once) or the camera. Each photo is stored as soon as it arrives;
    a refused one is named in a message and the others are kept."""
    round_key = f"photo_round_{finding_id}"
    n = st.session_state.setdefault(round_key, 0)
    files = st.file_uploader(t("visit.add_photos"), type=PHOTO_TYPES, accept_multiple_files=True,
                             key=f"up_{finding_id}_{n}")
    shot = None
    if st.toggle(t("visit.use_camera"), key=f"camtoggle_{finding_id}"):
        shot = st.camera_input(t("visit.take_photo"), key=f"cam_{finding_id}_{n}")
    incoming = [*(files or []), *([shot] if shot else [])]
    if not incoming:
        return
    errors = []
    for upload in incoming:
        try:
            context.run(photos.add_finding_photo, actor=actor, finding_id=finding_id,
                                     data=upload.getvalue())
        except DomainError as err:
            errors.append(f"{plain(upload.name)}: {error_text(err)}")
    st.session_state[PHOTO_ERRORS_KEY] = errors
    st.session_state[round_key] = n + 1  # new widget keys: the inputs come back empty
    st.rerun()


def _photo_errors() -> None:
    for message in st.session_state.pop(PHOTO_ERRORS_KEY, []):
        st.error(message)


def _new_finding(actor, view) -> None:
    client_key = st.session_state.setdefault(NEW_FINDING_KEY, uuid.uuid4().hex)
    with st.expander(t("visit.new_finding"), expanded=not view.findings):
        with st.form("finding_new"):
            fields = _finding_fields("fnew")
            added = st.form_submit_button(t("visit.add_finding"), type="primary",
                                          width="stretch")
        if added:
            with reported():
                context.run(inspections.save_finding, actor=actor, inspection_id=view.id,
                                         client_key=client_key, **fields)
                st.session_state.pop(NEW_FINDING_KEY, None)
                forget_form("fnew")  # only now: after a refusal the input stays to be fixed
                context.flash("success", "visit.finding_added")
                st.rerun()
