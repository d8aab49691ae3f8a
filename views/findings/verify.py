"""Verification of rectification (整改核验): the office or an inspector checks what a unit
reported and closes the finding (销号) or sends it back (重新整改); the second tab, every
confirmed finding, is `views.findings.confirmed`."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from db.models import User
from services.core import clock
from services.findings import queries as finding_queries
from services.findings import rectification, review
from services.findings import status as finding_status
from ui import context, paging
from ui.context import local_time, t
from ui.feedback import saving
from ui.page import page
from ui.photo_views import thumbnails
from ui.text import plain
from ui.widgets import forget_form, seen_version
from views.findings.confirmed import render_confirmed
from views.findings.source import source

WAITING = (finding_status.REPORTED,)
PICK_KEY = "vf_pick"


@page("verify", title="verify.title", tablet=True)
def render(actor: User) -> None:
    todo, everything = st.tabs([t("verify.tab_todo"), t("verify.tab_all")])
    with todo:
        _todo(actor)
    with everything:
        render_confirmed(actor)


# --- waiting for verification -----------------------------------------------------------


def _todo(actor) -> None:
    total, _ = context.query(finding_queries.count_cases, actor=actor, statuses=WAITING)
    offset = paging.offset("vf_todo", total)
    cases = context.query(finding_queries.list_cases, actor=actor, statuses=WAITING,
                          offset=offset, limit=paging.PAGE_SIZE)
    _decided_meanwhile(actor, {c.id for c in cases})
    if not cases:
        st.success(t("verify.nothing"))
        return
    st.caption(t("verify.count", n=total))
    paging.controls("vf_todo", total)
    # One case at a time: each shows photos, and a tablet should not load them all.
    by_id = {c.id: c for c in cases}
    if st.session_state.get(PICK_KEY) not in by_id:
        # Decided, or on another page: show its first case, and say so in the picker too
        # (dropping the key left the browser showing the case just closed).
        st.session_state[PICK_KEY] = next(iter(by_id))
    pick = st.selectbox(
        t("verify.pick"), list(by_id), key=PICK_KEY,
        format_func=lambda i: f"{by_id[i].unit} · {t('category.' + by_id[i].category)}"
        f" · {by_id[i].description[:30]}",
    )
    with st.container(border=True):
        _case(actor, by_id[pick])


def _form_key(finding_id: int) -> str:
    return f"vf_{finding_id}_"


def _decided_meanwhile(actor, shown: set[int]) -> None:
    """A case this user had open that is no longer waiting, without their own decision
    (their own one forgets the form): someone else verified or reopened it first. A case
    opened on another page of the list is asked for, not taken as gone."""
    seen = re.compile(r"^vf_(\d+)___version$")
    opened = [int(m.group(1)) for key in list(st.session_state)
              if (m := seen.match(str(key))) and int(m.group(1)) not in shown]
    gone = context.query(_no_longer_waiting, actor=actor, finding_ids=opened) if opened else []
    if gone:
        st.warning(t("verify.decided_meanwhile", n=len(gone)))
    for finding_id in gone:
        forget_form(_form_key(finding_id))


def _no_longer_waiting(uow, *, actor, finding_ids: list[int]) -> list[int]:
    # One read for the few cases this user opened and paged away from.
    count = finding_queries.count_cases
    return [i for i in finding_ids
            if count(uow, actor=actor, statuses=WAITING, finding_id=i)[0] == 0]


def _case(actor, case: finding_queries.FindingCase) -> None:
    k = _form_key(case.id)
    badges = [
        f":{_severity_color(case.severity)}-badge[{t('severity.' + case.severity)}]",
        f":violet-badge[{t('finding_status.' + case.status)}]",
    ]
    if case.overdue:
        badges.append(f":red-badge[{t('verify.overdue')}]")
    elif case.reported_late:
        badges.append(f":red-badge[{t('verify.reported_late')}]")
    st.markdown(f"**{plain(case.unit)}** · {t('category.' + case.category)} · "
                + " ".join(badges))
    st.caption(
        t("verify.meta", source=source(case), deadline=case.deadline or t("common.none"))
    )

    st.markdown(f"**{t('verify.finding')}**")
    st.markdown(plain(case.description))
    if case.responsible_person:
        st.caption(t("review.responsible", name=plain(case.responsible_person)))
    thumbnails(case.photos, key=f"{k}photos")

    if case.rectifications:
        latest = case.rectifications[-1]
        heading = t("verify.latest_report", who=plain(latest.submitted_by),
                    when=local_time(latest.submitted_at))
        st.markdown(f"**{heading}**")
        st.markdown(plain(latest.text))
        thumbnails(latest.photos, key=f"{k}rect_photos")
        earlier = case.rectifications[:-1]
        if earlier:
            with st.expander(t("verify.earlier_reports", n=len(earlier))):
                for rect in reversed(earlier):
                    st.markdown(f"**{local_time(rect.submitted_at)} · "
                                f"{plain(rect.submitted_by)}**")
                    st.markdown(plain(rect.text))
                    if rect.outcome:
                        st.caption(t("finding_status." + rect.outcome)
                                   + (f"：{plain(rect.verify_note)}" if rect.verify_note else ""))
                    thumbnails(rect.photos, key=f"{k}r{rect.id}")
    has_photos = case.photos or any(r.photos for r in case.rectifications)
    if has_photos and st.toggle(t("review.show_large"), key=f"{k}large"):
        st.caption(t("verify.finding"))
        thumbnails(case.photos, key=f"{k}photos_big", large=True)
        if case.rectifications:
            st.caption(t("verify.rect_photos"))
            thumbnails(case.rectifications[-1].photos, key=f"{k}rect_big", large=True)

    with st.expander(t("verify.history")):
        _history(case)

    _decide(actor, case, k)


def _severity_color(severity: str) -> str:
    return {"general": "blue", "serious": "orange", "severe": "red"}.get(severity, "gray")


def _history(case: finding_queries.FindingCase) -> None:
    st.dataframe(
        pd.DataFrame(
            {
                "at": [local_time(h.at) for h in case.history],
                "change": [
                    (t("finding_status." + h.from_status) + " → " if h.from_status else "")
                    + t("finding_status." + h.to_status)
                    for h in case.history
                ],
                "actor": [h.actor or "" for h in case.history],
                "note": [h.note for h in case.history],
            }
        ),
        hide_index=True,
        key=f"vf_{case.id}_history",
        column_config={
            "at": st.column_config.TextColumn(t("verify.history_at")),
            "change": st.column_config.TextColumn(t("verify.history_change")),
            "actor": st.column_config.TextColumn(t("verify.history_actor")),
            "note": st.column_config.TextColumn(t("field.note")),
        },
    )


def _decide(actor, case: finding_queries.FindingCase, k: str) -> None:
    version = seen_version(k, case.version)
    note = st.text_area(t("verify.note"), key=f"{k}note", max_chars=2000,
                        placeholder=t("verify.note_hint"))
    new_deadline = st.date_input(
        t("verify.reopen_deadline"), value=review.default_deadline(case.severity),
        min_value=clock.today(), key=f"{k}deadline",
    )
    accept_col, reopen_col = st.columns(2)
    if accept_col.button(t("verify.accept"), key=f"{k}accept", type="primary", width="stretch"):
        with saving(k, "verify.accepted"):
            context.run(rectification.verify, actor=actor, finding_id=case.id, accept=True,
                                 note=note, version=version)
    if reopen_col.button(t("verify.reopen"), key=f"{k}reopen", width="stretch"):
        with saving(k, "verify.reopened"):
            context.run(rectification.verify, actor=actor, finding_id=case.id, accept=False,
                                 note=note, version=version, deadline=new_deadline)
