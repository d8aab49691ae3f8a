"""A notice (通报) as a Word document laid out per GB/T 9704-2012 (党政机关公文格式).

The layout, in the standard's terms: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right
26 mm (a 156 x 225 mm type area); body in 3号 (16 pt) 仿宋_GB2312 on a grid of 22 lines of 28
characters (an exact line pitch of 225 mm / 22 and the characters spread to fill 156 mm);
the issuer mark (版头) in red 小标宋 with the red separator line under the document number;
the title in 2号 (22 pt) 小标宋; level headings 一、 in 黑体, （一） in 楷体_GB2312, 1. and
（1） in 仿宋; page numbers in 4号 (14 pt) 宋体 as "— 1 —", right on odd and left on even
pages; the record block (版记: 抄送, 印发机关 and 印发日期) at the end between lines.

Fonts are named for both East Asian and Latin text, so Word on the office's PCs picks the
ones installed there. python-docx does the document, its sections, paragraphs and runs; what
it has no API for (East Asian font names, the document grid, paragraph borders, the PAGE
field) is set on the underlying XML, each in one small helper here."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

FANGSONG, HEITI, KAITI, SONG = "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
XIAOBIAOSONG = "方正小标宋简体"
LATIN = "Times New Roman"
BODY_PT, TITLE_PT, PAGE_NUMBER_PT, MARK_PT = 16, 22, 14, 26
RED = RGBColor(0xE6, 0x00, 0x12)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINES, CHARS = 22, 28
TYPE_AREA_HEIGHT_MM, TYPE_AREA_WIDTH_MM = 225, 156
# 225 mm / 22 lines is 28.99 pt; Word keeps line spacing in twentieths of a point, and the
# 28.95 pt that official templates use (579 twips) keeps 22 lines on the page.
LINE_PITCH = Pt(28.95)
TITLE_MAX_CHARS = 60  # three lines of the 2号 title at most (about 20 characters a line)


@dataclass(frozen=True)
class FindingItem:
    unit: str
    what: str  # what was found
    when: date
    where: str = ""


@dataclass(frozen=True)
class NoticeText:
    """Everything the document shows, as plain text (the caller has checked and masked it:
    complainants are never named in a notice)."""

    issuer_mark: str  # 版头, e.g. 嘉峪关市效能风暴行动领导小组办公室文件
    number: str  # 嘉效办〔2026〕12号
    title: str
    recipients: tuple[str, ...]  # 主送
    opening: str
    # District -> unit -> findings, in the order they are to be read.
    findings: tuple[tuple[str, tuple[tuple[str, tuple[FindingItem, ...]], ...]], ...] = ()
    requirements: tuple[str, ...] = ()  # 整改要求, one paragraph each
    deadline: date | None = None
    attachments: tuple[str, ...] = ()  # 附件 names
    issuing_office: str = ""
    issued_on: date | None = None
    cc: tuple[str, ...] = ()  # 抄送
    printed_by: str = ""  # 印发机关
    printed_on: date | None = None
    photos: tuple[tuple[bytes, str], ...] = field(default=())  # (JPEG bytes, caption)
    kind: str = "criticism"  # criticism, commendation or situation (NoticeKind)
    commended: tuple[tuple[str, str], ...] = ()  # commendation: (unit, why)
    figures: tuple[str, ...] = ()  # situation report: the period's figures, a line each
    extract_of: str = ""  # a liaison's extract: the unit whose part this is


def chinese_date(day: date) -> str:
    """年月日 in Arabic numerals, no leading zeros (GB/T 9704-2012, 7.3.5.3)."""
    return f"{day.year}年{day.month}月{day.day}日"


CHINESE_NUMERALS = "一二三四五六七八九十"


def ordinal(n: int) -> str:
    """1 -> 一, 12 -> 十二, 21 -> 二十一 (for 一、 and （一） headings; up to 99)."""
    tens, ones = divmod(n, 10)
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    head = "" if tens == 1 else CHINESE_NUMERALS[tens - 1]
    return head + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "")


def _fonts(run, east_asian: str, size_pt: float, *, bold: bool = False,
           color: RGBColor | None = None) -> None:
    run.font.name = LATIN  # python-docx: the ascii and hAnsi fonts
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)  # no API for the East Asian font


# What XML 1.0 (and so Word) cannot hold: C0 controls but tab, line feed, carriage return.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_controls(value: object) -> str:
    return _CONTROLS.sub("", "" if value is None else str(value))


def _run(paragraph, text: str):
    return paragraph.add_run(without_controls(text))


def _paragraph(doc, text: str = "", *, font: str = FANGSONG, size: float = BODY_PT,
               align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True, bold: bool = False,
               color: RGBColor | None = None, exact: bool = True):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_before = fmt.space_after = Pt(0)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
    if indent:
        fmt.first_line_indent = Pt(BODY_PT * 2)  # two characters
    if text:
        _fonts(_run(p, text), font, size, bold=bold, color=color)
    return p


def _bottom_border(paragraph, *, color: str, eighths_pt: int) -> None:
    """A line under the paragraph (no python-docx API for paragraph borders)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    line = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", str(eighths_pt)), ("space", "1"),
                       ("color", color)):
        line.set(qn(f"w:{key}"), value)
    borders.append(line)
    ppr.append(borders)


def _grid(section) -> None:
    """The document grid: LINES lines of CHARS characters in the type area, as Word writes
    it for 文档网格 "每行 28 字、每页 22 行" (LibreOffice draws such a grid with wider
    cells: check the layout in Word, which the office uses)."""
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
    # charSpace: the extra space per character, in 1/4096 pt, so 28 fill the line.
    extra = (TYPE_AREA_WIDTH_MM / 25.4 * 72 / CHARS - BODY_PT) * 4096
    grid.set(qn("w:charSpace"), str(round(extra)))


def _page_number(paragraph) -> None:
    """— PAGE — in 4号 宋体 (the PAGE field has no python-docx API)."""
    _fonts(paragraph.add_run("— "), SONG, PAGE_NUMBER_PT)
    run = paragraph.add_run()
    _fonts(run, SONG, PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text.strip() == "PAGE":
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._element.append(code)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._element.append(shown)
    _fonts(paragraph.add_run(" —"), SONG, PAGE_NUMBER_PT)


def _setup(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.footer_distance = Mm(28) - Mm(7)  # the number 7 mm below the type area's edge
    _grid(section)
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _page_number(even)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    _default_size(doc)


def _default_size(doc) -> None:
    """The document default font size is what the character grid counts in: at the
    template's 11 pt, each 3号 character took two grid cells (14 a line, not 28)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        size = rpr.find(qn(tag))
        if size is None:
            size = OxmlElement(tag)
            rpr.append(size)
        size.set(qn("w:val"), str(BODY_PT * 2))


def _head(doc, notice: NoticeText) -> None:
    _paragraph(doc, notice.issuer_mark, font=XIAOBIAOSONG, size=MARK_PT,
               align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=RED, exact=False)
    _paragraph(doc, exact=True, indent=False)
    number = _paragraph(doc, notice.number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _bottom_border(number, color="E60012", eighths_pt=8)  # the red separator line
    _paragraph(doc, indent=False)
    _paragraph(doc, notice.title, font=XIAOBIAOSONG, size=TITLE_PT,
               align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(doc, indent=False)
    if notice.recipients:
        _paragraph(doc, "、".join(notice.recipients) + "：", indent=False)


# Each kind's sections in order, by heading; a section with nothing to say is left out.
REQUIREMENTS_HEADING = {"criticism": "整改要求", "commendation": "希望与要求",
                        "situation": "下一步工作要求"}


def _findings(doc, notice: NoticeText) -> None:
    for n, (district, units) in enumerate(notice.findings, start=1):
        _paragraph(doc, f"（{ordinal(n)}）{district}", font=KAITI)
        for m, (unit, items) in enumerate(units, start=1):
            _paragraph(doc, f"{m}. {unit}")
            for k, item in enumerate(items, start=1):
                where = f"在{item.where}" if item.where else ""
                _paragraph(doc, f"（{k}）{chinese_date(item.when)}{where}发现：{item.what}")


def deadline_sentence(notice: NoticeText) -> str:
    return (f"请于{chinese_date(notice.deadline)}前完成整改，并将整改情况书面报送"
            f"{notice.issuing_office or '发文机关'}。")


def attachment_lines(notice: NoticeText) -> list[str]:
    """附件：1. 名称, then the others aligned under the first name."""
    if not notice.attachments:
        return []
    first, *rest = notice.attachments
    numbered = len(notice.attachments) > 1
    return [f"附件：{'1. ' if numbered else ''}{first}",
            *(f"　　　{n}. {name}" for n, name in enumerate(rest, start=2))]


def _requirements(doc, notice: NoticeText) -> None:
    for line in notice.requirements:
        _paragraph(doc, line)
    if notice.deadline:
        _paragraph(doc, deadline_sentence(notice))


def _commended(doc, notice: NoticeText) -> None:
    for m, (unit, why) in enumerate(notice.commended, start=1):
        _paragraph(doc, f"{m}. {unit}：{why}")


def _figures(doc, notice: NoticeText) -> None:
    for line in notice.figures:
        _paragraph(doc, line)


FIGURES_HEADING, COMMENDED_HEADING, FINDINGS_HEADING = "总体情况", "表扬的单位及事迹", "发现的问题"


def _sections(notice: NoticeText) -> list[tuple[str, object]]:
    parts = [(FIGURES_HEADING, _figures if notice.figures else None),
             (COMMENDED_HEADING, _commended if notice.commended else None),
             (FINDINGS_HEADING, _findings if notice.findings else None),
             (REQUIREMENTS_HEADING.get(notice.kind, "有关要求"),
              _requirements if notice.requirements or notice.deadline else None)]
    return [(heading, write) for heading, write in parts if write is not None]


def section_headings(notice: NoticeText) -> list[str]:
    """The level-one headings the notice has, in order (the app's preview follows them)."""
    return [heading for heading, _ in _sections(notice)]


def _body(doc, notice: NoticeText) -> None:
    if notice.extract_of:
        _paragraph(doc, f"（{notice.extract_of}部分摘录）", font=KAITI,
                   align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    if notice.opening:
        _paragraph(doc, notice.opening)
    for number, (heading, write) in enumerate(_sections(notice), start=1):
        _paragraph(doc, f"{ordinal(number)}、{heading}", font=HEITI)
        write(doc, notice)
    for picture, caption in notice.photos:
        doc.add_picture(io.BytesIO(picture), width=Mm(120))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _paragraph(doc, caption, font=KAITI, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    if notice.attachments:
        _paragraph(doc)
        for line in attachment_lines(notice):
            _paragraph(doc, line)


def _signature(doc, notice: NoticeText) -> None:
    _paragraph(doc)
    if notice.issuing_office:
        _paragraph(doc, notice.issuing_office, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    if notice.issued_on:
        _paragraph(doc, chinese_date(notice.issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT,
                   indent=False)


def _record(doc, notice: NoticeText) -> None:
    """版记: 抄送, then 印发机关 and 印发日期, between lines (the first and last thicker)."""
    _paragraph(doc)
    top = _paragraph(doc, indent=False)
    top.paragraph_format.keep_with_next = True  # the block stays on one page
    _bottom_border(top, color="000000", eighths_pt=8)
    if notice.cc:
        cc = _paragraph(doc, "抄送：" + "，".join(notice.cc) + "。", size=14, indent=False)
        cc.paragraph_format.keep_with_next = True
        _bottom_border(cc, color="000000", eighths_pt=4)
    printed = _paragraph(doc, indent=False, size=14)
    _fonts(_run(printed, notice.printed_by or notice.issuing_office), FANGSONG, 14)
    if notice.printed_on:
        _fonts(printed.add_run("\t" + chinese_date(notice.printed_on) + "印发"), FANGSONG, 14)
        printed.paragraph_format.tab_stops.add_tab_stop(Mm(TYPE_AREA_WIDTH_MM),
                                                        alignment=WD_TAB_ALIGNMENT.RIGHT)
    _bottom_border(printed, color="000000", eighths_pt=8)


def render_docx(notice: NoticeText) -> bytes:
    if len(notice.title) > TITLE_MAX_CHARS:
        raise ValueError("title longer than the layout allows")
    doc = Document()
    _setup(doc)
    _head(doc, notice)
    _body(doc, notice)
    _signature(doc, notice)
    _record(doc, notice)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
