"""The Word export of a notice, read back with python-docx: GB/T 9704-2012's page, grid,
fonts and parts, and every finding, recipient and date the notice carries."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from services.notices.document import (
    FindingItem,
    NoticeText,
    chinese_date,
    ordinal,
    render_docx,
)

NOTICE = NoticeText(
    issuer_mark="嘉峪关市效能风暴行动领导小组办公室文件",
    number="嘉效办〔2026〕12号",
    title="关于部分单位工作作风问题的通报",
    recipients=("各区人民政府", "市直各部门"),
    opening="近期，市效能办组织督查组对部分单位进行了明察暗访，现将发现的问题通报如下。",
    findings=(("雄关区", (("雄关区政务服务中心", (
        FindingItem("雄关区政务服务中心", "窗口工作人员上班时间玩手机", date(2026, 11, 3),
                    "综合受理窗口"),
        FindingItem("雄关区政务服务中心", "未落实一次性告知制", date(2026, 11, 5)),)),)),
              ("镜铁区", (("镜铁区供热站", (
                  FindingItem("镜铁区供热站", "热线电话长期无人接听", date(2026, 11, 10)),)),))),
    requirements=("各单位要举一反三，立即整改。",),
    deadline=date(2026, 12, 10),
    attachments=("问题清单",),
    issuing_office="嘉峪关市效能风暴行动领导小组办公室",
    issued_on=date(2026, 11, 26),
    cc=("市委办公室", "市人大常委会办公室"),
    printed_by="嘉峪关市效能风暴行动领导小组办公室",
    printed_on=date(2026, 11, 26),
)


def _read(notice: NoticeText = NOTICE):
    return Document(io.BytesIO(render_docx(notice)))


def test_the_page_is_a4_with_the_standards_margins_and_grid() -> None:
    section = _read().sections[0]
    def mm(length) -> float:  # Word keeps lengths in twips: within a tenth of a millimetre
        return round(length.mm, 1)
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert int(grid.get(qn("w:linePitch"))) == 579  # 28.95 pt: 22 lines in 225 mm


def test_the_parts_and_every_finding_are_there() -> None:
    text = "\n".join(p.text for p in _read().paragraphs)
    for part in ("嘉峪关市效能风暴行动领导小组办公室文件", "嘉效办〔2026〕12号",
                 "关于部分单位工作作风问题的通报", "各区人民政府、市直各部门：",
                 "一、发现的问题", "（一）雄关区", "（二）镜铁区", "1. 雄关区政务服务中心",
                 "2026年11月3日在综合受理窗口发现：窗口工作人员上班时间玩手机",
                 "未落实一次性告知制", "热线电话长期无人接听", "二、整改要求",
                 "请于2026年12月10日前完成整改", "附件：问题清单", "2026年11月26日",
                 "抄送：市委办公室，市人大常委会办公室。", "2026年11月26日印发"):
        assert part in text, part


def test_fonts_are_named_for_east_asian_and_latin_text() -> None:
    doc = _read()
    by_text = {p.text: p for p in doc.paragraphs}

    def fonts(paragraph):
        run = paragraph.runs[0]
        return run.font.name, run._element.rPr.rFonts.get(qn("w:eastAsia")), run.font.size
    assert fonts(by_text["关于部分单位工作作风问题的通报"]) == (
        "Times New Roman", "方正小标宋简体", Pt(22))
    assert fonts(by_text["一、发现的问题"])[1:] == ("黑体", Pt(16))
    assert fonts(by_text["（一）雄关区"])[1] == "楷体_GB2312"
    assert fonts(by_text[NOTICE.opening])[1:] == ("仿宋_GB2312", Pt(16))
    mark = by_text[NOTICE.issuer_mark].runs[0]
    assert str(mark.font.color.rgb) == "E60012"  # red
    body = by_text[NOTICE.opening].paragraph_format
    assert body.line_spacing == Pt(28.95) and body.line_spacing_rule == 4  # exactly


def test_page_numbers_between_dashes_right_on_odd_left_on_even_pages() -> None:
    doc = _read()
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0  # right, left
    for footer in (odd, even):
        xml = footer._p.xml
        assert "PAGE" in xml and footer.text.startswith("— ") and footer.text.endswith(" —")
        assert footer.runs[0].font.size == Pt(14)


def test_a_title_longer_than_the_layout_allows_is_refused() -> None:
    from dataclasses import replace
    with pytest.raises(ValueError):
        render_docx(replace(NOTICE, title="关于" * 40))


def test_dates_and_numerals() -> None:
    assert chinese_date(date(2026, 1, 5)) == "2026年1月5日"  # no leading zeros
    assert [ordinal(n) for n in (1, 10, 11, 20, 21)] == ["一", "十", "十一", "二十", "二十一"]


def test_photos_are_placed_with_their_captions() -> None:
    from dataclasses import replace

    from PIL import Image
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(picture, "JPEG")
    doc = _read(replace(NOTICE, photos=((picture.getvalue(), "图1 综合受理窗口"),)))
    assert len(doc.inline_shapes) == 1
    assert "图1 综合受理窗口" in [p.text for p in doc.paragraphs]
