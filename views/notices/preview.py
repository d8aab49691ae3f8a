"""A notice as it will read on paper, in the app: the same text the Word document prints
(services/notices/export.render), laid out in the document's order. Every part is shown
through plain(): titles, findings and reasons are typed text."""

from __future__ import annotations

import streamlit as st

from services.notices import document
from services.notices.document import NoticeText, chinese_date, ordinal
from ui.text import plain

# Centred, and headings without Streamlit's link icon: paper has none.
_CENTER = {"text_alignment": "center", "anchors": False}


def _line(text: str, **kw) -> None:
    st.markdown(plain(text), **kw)


def show(text: NoticeText) -> None:
    with st.container(border=True):
        st.markdown(f"### :red[{plain(text.issuer_mark)}]", **_CENTER)
        _line(text.number, **_CENTER)
        st.divider()
        st.markdown(f"#### {plain(text.title)}", **_CENTER)
        if text.extract_of:
            _line(f"（{text.extract_of}部分摘录）", **_CENTER)
        if text.recipients:
            _line("、".join(text.recipients) + "：")
        if text.opening:
            _line(text.opening)
        sections = document.section_headings(text)
        for number, heading in enumerate(sections, start=1):
            st.markdown(f"**{plain(f'{ordinal(number)}、{heading}')}**")
            _section(text, heading)
        for line in document.attachment_lines(text):
            _line(line)
        for picture, caption in text.photos:
            st.image(picture, caption=plain(caption), width=360)
        _line(text.issuing_office, text_alignment="right")
        if text.issued_on:
            _line(chinese_date(text.issued_on), text_alignment="right")
        st.divider()
        if text.cc:
            _line("抄送：" + "，".join(text.cc) + "。")
        printed = f"{text.printed_by}　{chinese_date(text.printed_on)}印发" if text.printed_on \
            else text.printed_by
        _line(printed)


def _section(text: NoticeText, heading: str) -> None:
    if heading == document.FIGURES_HEADING:
        for line in text.figures:
            _line(line)
    elif heading == document.COMMENDED_HEADING:
        for m, (unit, why) in enumerate(text.commended, start=1):
            _line(f"{m}. {unit}：{why}")
    elif heading == document.FINDINGS_HEADING:
        for n, (district, units) in enumerate(text.findings, start=1):
            _line(f"（{ordinal(n)}）{district}")
            for m, (unit, items) in enumerate(units, start=1):
                _line(f"{m}. {unit}")
                for k, item in enumerate(items, start=1):
                    _line(f"（{k}）{chinese_date(item.when)}发现：{item.what}")
    else:
        for line in text.requirements:
            _line(line)
        if text.deadline:
            _line(document.deadline_sentence(text))
