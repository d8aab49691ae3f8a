"""The meeting deck, printed by the machine's Chromium: a PDF (cover + one page a panel, the
Chinese searchable, typed text shown as text) and a ZIP of 1920 x 1080 PNG images; and the
errors a page shows when there is no browser, it hangs or it fails."""

from __future__ import annotations

import io
import os
import stat
import time
import zipfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image
from pypdf import PdfReader

import config
from views.dashboard import deck
from views.dashboard.deck import pdf_text, slides

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no /usr/bin/chromium (CI installs Debian's chromium)")

# Executed, this would leave the word PWNED on the page; shown as text, it never spells it.
SCRIPT = "<script>document.body.innerHTML='PW'+'NED'</script>"
TITLE = "效能督查台 · 会议材料"


@pytest.fixture
def settings(monkeypatch, tmp_path):
    """Fresh settings for each test, and temporary files in a folder the test can see."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    config.get_settings.cache_clear()
    yield monkeypatch
    config.get_settings.cache_clear()


def _panels() -> list[deck.Panel]:
    table = pd.DataFrame({"单位": ["雄关区政务服务中心", SCRIPT, "长城区供水公司"],
                          "问题数": [12, 7, 3], "整改率": [0.5, 0.75, None]})
    figure = go.Figure(go.Bar(x=table["单位"], y=table["问题数"]))
    figure.update_layout(title="各单位问题数量")
    return [deck.Panel("各单位问题数量", figure, None, note="来源：" + SCRIPT),
            deck.Panel("问题明细表", None, table)]


@pytest.fixture(scope="module")
def pdf() -> bytes:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (CI installs Debian's chromium)")
    return deck.to_pdf(_panels(), title=TITLE, subtitle="筛选：全部区县\n数据时间：2026-06-30")


@needs_chromium
def test_the_pdf_has_a_cover_and_a_page_per_panel_with_searchable_chinese(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1 + 2
    texts = [page.extract_text() for page in reader.pages]
    assert TITLE in texts[0] and "数据时间：2026-06-30" in texts[0]
    assert "各单位问题数量" in texts[1]
    # The table's units, 长 and 门 included (drawn with the radicals' glyphs by Noto CJK).
    assert "雄关区政务服务中心" in texts[2] and "长城区供水公司" in texts[2]
    assert "问题明细表" in texts[2]
    box = reader.pages[0].mediabox
    assert round(float(box.width) / float(box.height), 2) == round(16 / 9, 2)


@needs_chromium
def test_typed_text_is_shown_as_text_in_the_pdf_never_run(pdf):
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "PWNED" not in text
    assert text.count("<script>document.body.innerHTML=") >= 3  # note, table, chart axis


@needs_chromium
def test_the_zip_has_one_full_hd_png_per_panel(settings, tmp_path):
    data = deck.to_png_zip(_panels(), title=TITLE)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names == ["01-各单位问题数量.png", "02-问题明细表.png"]
        for name in names:
            with Image.open(io.BytesIO(archive.read(name))) as image:
                assert image.format == "PNG" and image.size == (1920, 1080)
                # Something is drawn: not a blank white slide.
                assert image.convert("L").getextrema()[0] < 100
    assert list((tmp_path / "tmp").iterdir()) == []  # the browser's files are gone


def test_no_browser_at_the_configured_path_is_its_own_error(settings):
    settings.setenv("CHROMIUM_PATH", "/nonexistent/chromium")
    with pytest.raises(deck.BrowserMissing) as caught:
        deck.to_pdf(_panels(), title=TITLE)
    assert caught.value.message_key == "deck.no_browser"
    assert caught.value.params == {"path": "/nonexistent/chromium"}


def _fake_browser(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-chromium"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def _group_alive(pgid: int) -> bool:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


def test_a_browser_that_hangs_is_killed_with_its_children(settings, tmp_path):
    pid_file = tmp_path / "pid"
    settings.setenv("CHROMIUM_PATH", _fake_browser(
        tmp_path, f'echo $$ > "{pid_file}"; sleep 30 & sleep 30'))
    settings.setenv("CHROMIUM_TIMEOUT_SECONDS", "1")
    started = time.monotonic()
    with pytest.raises(deck.DeckError) as caught:
        deck.to_pdf(_panels(), title=TITLE)
    assert caught.value.message_key == "deck.timeout"
    assert time.monotonic() - started < 10
    assert not _group_alive(int(pid_file.read_text()))
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("body", ["exit 3", "exit 0"])
def test_a_browser_that_fails_or_writes_nothing_says_the_export_failed(settings, tmp_path,
                                                                       body):
    settings.setenv("CHROMIUM_PATH", _fake_browser(tmp_path, body))
    with pytest.raises(deck.DeckError) as caught:
        deck.to_png_zip(_panels())
    assert caught.value.message_key == "deck.failed"
    assert list((tmp_path / "tmp").iterdir()) == []


def test_without_a_setting_debians_chromium_comes_first(settings):
    settings.delenv("CHROMIUM_PATH", raising=False)
    if CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK):
        assert deck.find_browser() == str(CHROMIUM)


def test_the_page_escapes_typed_text_and_keeps_it_out_of_the_script():
    html = slides.page(_panels(), title=SCRIPT, subtitle=SCRIPT, cover=True)
    assert html.count("<script") == 2  # plotly.js and the one that draws, both with the nonce
    assert "&lt;script&gt;document.body" in html
    assert "\\u003cscript\\u003edocument.body" in html  # the chart's labels, as JSON


def test_a_long_table_shows_its_first_rows_and_how_many_more():
    html = slides.table_html(pd.DataFrame({"n": range(slides.MAX_ROWS + 5)}))
    assert html.count("<tr>") == 1 + slides.MAX_ROWS and "(+5)" in html


def test_cmap_radicals_are_named_by_their_ideographs():
    cmap = ("2 beginbfchar\n<01> <2ED3>\n<02> <2F8C>\nendbfchar\n"
            "1 beginbfrange\n<03> <05> <2ED3>\n<06> <07> <4E00>\nendbfrange\n")
    fixed = pdf_text.fix_cmap(cmap)
    assert "<01> <957F>" in fixed  # ⻓ -> 长
    assert "<02> <864D>" in fixed  # ⾌ -> 虍 (Kangxi radicals: NFKC)
    assert "<03> <05> [<957F> <95E8> <2ED5>]" in fixed  # ⻓ ⻔ -> 长 门
    assert "<06> <07> <4E00>" in fixed
