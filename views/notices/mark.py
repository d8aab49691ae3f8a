"""加入通报: the findings picked in the register go into a new criticism notice (the form
opens with them and their units) or into a draft already started. A criticism lists only
confirmed findings: picked ones still awaiting review are left out here, by number, rather
than refused after the whole form has been filled in."""

from __future__ import annotations

import streamlit as st

from db.models import NoticeKind, User
from services.core.permissions import can
from services.findings import register
from services.findings.status import CONFIRMED
from services.notices import compose, queries, rules
from ui import context, links
from ui.context import t
from ui.feedback import reported
from views.notices import state

NEW = 0


def render(actor: User, picked: list[register.RegisterRow]) -> None:
    if not can(actor, "notice.compose"):
        return
    with st.expander(t("register_ui.action_notice"), icon=":material/campaign:"):
        # Only confirmed findings go into a notice: say which picks are left out, by number.
        if left_out := [str(r.id) for r in picked if r.status not in CONFIRMED]:
            st.warning(t("notices_ui.not_confirmed", ids="、".join(left_out)))
        finding_ids = [r.id for r in picked if r.status in CONFIRMED]
        if finding_ids:
            _form(actor, finding_ids)


def _form(actor: User, finding_ids: list[int]) -> None:
    drafts = {r.id: r for r in context.query(queries.list_notices, actor=actor,
                                             status=rules.DRAFT)
              if r.kind != NoticeKind.COMMENDATION}  # it lists no problems
    options = [NEW, *drafts]
    target = st.selectbox(
        t("notices_ui.add_to"), options, key="fr_notice_target",
        format_func=lambda i: t("notices_ui.add_to_new") if i == NEW
        else t("notices_ui.add_to_draft", title=drafts[i].title))
    if st.button(t("notices_ui.add_picked", n=len(finding_ids)), key="fr_notice_add",
                 icon=":material/playlist_add:"):
        if target == NEW:
            state.start_new(NoticeKind.CRITICISM, finding_ids)
            links.go("notices")
        with reported():
            row = drafts[target]
            context.run(compose.add_findings, actor=actor, notice_id=row.id,
                        version=row.version, finding_ids=finding_ids)
            context.flash("success", "notices_ui.added")
            links.go("notices", id=row.id)
