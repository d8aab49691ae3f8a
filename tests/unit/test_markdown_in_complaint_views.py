"""Attack: tests/unit/test_markdown_guard.py scans app.py, pages/ and ui/, but the pages
live in views/ (there is no pages/ folder), so the guard checks no page at all. Run over
views/, it finds the routing suggestion's buttons: a unit's or a category's name goes
unescaped into a button label (Markdown: links and images load in the office's browser).
A unit can be named by a hotline file (import with --create-missing-units)."""

from __future__ import annotations

import ast

import tests.unit.test_markdown_guard as guard

# Not typed text: a dict of counts, a reason code.
BENIGN = {"report.summary", "result.summary", "routing.reason"}


def test_the_guard_scans_the_page_modules():
    assert any("views" in p.relative_to(guard.ROOT).parts for p in guard.SOURCES), (
        "the guard reads no page module")


def test_no_typed_name_reaches_a_markdown_label_in_views():
    out = []
    for path in sorted((guard.ROOT / "views").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            for arg in guard._markdown_arguments(call):
                out += [f"{path.relative_to(guard.ROOT)}:{a.lineno}: {ast.unparse(a)}"
                        for a in guard._unescaped(arg) if ast.unparse(a) not in BENIGN]
    assert out == []
