"""The findings register's benchmark (benchmarks/findings_register.py) runs on a tiny
database: every case timed for the office and a district-scoped inspector, the sizes are
what each reader sees, and the report names what it measured."""

from __future__ import annotations

from sqlmodel import select

from benchmarks import findings_register as bench
from db.models import District, Role
from tests.finding_batches import make_batches


def test_the_benchmark_runs_on_a_tiny_database(uow, engine, make_user, admin, office,
                                                inspector, checklist, capsys):
    batches = make_batches(uow, make_user=make_user, admin=admin, office=office,
                           inspector=inspector, checklist=checklist)
    xiong = uow.query(lambda u: u.session.exec(
        select(District.id).where(District.name == "雄关区")).one())
    make_user("insp_xiong", Role.INSPECTOR, district_id=xiong)

    rows = bench.measure(engine, repeat=1, export_rows=2)

    cases = {(r.actor, r.case): r for r in rows}
    for actor in ("office", "insp_xiong"):
        for case in [*bench.register_cases(xiong), "tracking.due_this_week",
                     "tracking.overdue_by_unit", "tracking.reopened",
                     "tracking.on_time_by_unit", bench.BARE_CSV]:
            assert (actor, case) in cases
        assert any(a == actor and c.startswith("export CSV") for a, c in cases)
    assert ("-", bench.BARE_PAGE) in cases
    assert all(r.cold_s > 0 and r.warm_s > 0 for r in rows)
    # The office sees all four submitted findings, the inspector 雄关区's three.
    assert cases["office", "default filters"].size == 4
    assert cases["insp_xiong", "default filters"].size == 3
    assert cases["insp_xiong", "district filter"].size == 3
    assert cases["office", "rectifying by deadline"].size == 3
    assert cases["office", "overdue"].size == 0
    assert cases["office", "tracking.overdue_by_unit"].size == 0
    # The export's set: found since the day of the 2nd newest finding (all made today).
    export = next(r for r in rows if r.actor == "office" and r.case.startswith("export"))
    assert export.size == 4 and f"found from {batches.today}" in export.case

    url = engine.url.render_as_string(hide_password=False)
    # Its exit status says whether a target was missed: timing, not asserted in a test.
    assert bench.run([url], repeat=1, export_rows=2) in (0, 1)
    out = capsys.readouterr().out
    assert "nproc=" in out and "| insp_xiong | tracking.on_time_by_unit |" in out
