"""催办: the office reminds the units of the picked findings. The reminder shows on the
liaison's start page and, where SMTP is configured, goes to their e-mail, sent after the
commit: a failed e-mail is said here and recorded, and never loses the reminder."""

from __future__ import annotations

import uuid

import streamlit as st

from config import get_settings
from db.models import User
from i18n import translate
from services.core import clock
from services.core.permissions import can
from services.findings import register, urge_mail, urging
from ui import context
from ui.context import t
from ui.feedback import reported
from ui.text import plain
from ui.widgets import next_round, round_of

KEY = "fr_urge"
ROUNDS = f"{KEY}_round"


def render(actor: User, picked: list[register.RegisterRow]) -> None:
    if not can(actor, "finding.review"):
        return
    with st.expander(t("bulk_ui.urge"), icon=":material/notifications_active:"):
        form = f"{KEY}_r{round_of(ROUNDS)}"
        client_key = st.session_state.setdefault(f"{form}_client_key", uuid.uuid4().hex)
        with st.form(form):
            note = st.text_area(t("bulk_ui.urge_note"), key=f"{form}_note", height=68,
                                max_chars=urging.NOTE_MAX)
            sent = st.form_submit_button(t("bulk_ui.urge_submit", n=len(picked)),
                                         type="primary")
        if sent:
            with reported():
                outcome = context.run(urging.urge, actor=actor,
                                      finding_ids=[r.id for r in picked], note=note,
                                      client_key=client_key)
                if not outcome.repeated:
                    next_round(ROUNDS)  # the next reminder is a new request
                _said(actor, outcome)
        _counts(actor, picked)


def _said(actor: User, outcome: urging.UrgeOutcome) -> None:
    """What happened, with the e-mail sent now that the reminders are committed."""
    if outcome.repeated:
        st.info(t("bulk_ui.urge_repeated"))
        return
    st.success(t("bulk_ui.urged", n=len(outcome.urges)))
    if not get_settings().mail_configured:
        st.caption(t("bulk_ui.mail_off"))
        return
    names = {mail.urge_ids: mail.unit for mail in outcome.mails}
    deliveries = urge_mail.deliver(outcome.mails, translate=translate)
    if deliveries:
        context.run(urging.record_delivery, actor=actor, deliveries=deliveries)
    sent = [plain(names[d.urge_ids]) for d in deliveries if not d.error]
    if sent:
        st.success(t("bulk_ui.mail_sent", units=sent))
    for d in deliveries:
        if d.error:
            st.error(t("bulk_ui.mail_failed", unit=plain(names[d.urge_ids]),
                       error=plain(d.error)))
    missing = [plain(mail.unit) for mail in outcome.mails if not mail.recipients]
    if missing:
        st.info(t("bulk_ui.mail_no_address", units=missing))


def _counts(actor: User, picked: list[register.RegisterRow]) -> None:
    """How often the picked findings' units were reminded lately: before urging again."""
    today = clock.today()
    counts = context.query(urging.recent_counts, actor=actor, today=today,
                           unit_ids={r.unit_id for r in picked})
    if not counts:
        st.caption(t("bulk_ui.no_counts", days=urging.RECENT_DAYS))
        return
    st.caption(t("bulk_ui.counts", days=urging.RECENT_DAYS, counts=[
        t("bulk_ui.count_item", unit=plain(c.unit), n=c.urges) for c in counts]))
