"""Command line for operators: `python manage.py --help`."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import platform
import sys
import time
from datetime import timedelta
from pathlib import Path

from pydantic import ValidationError

from config import get_settings
from db.bootstrap import open_database
from db.models import Role
from demo import loader as demo
from demo.city import loader as city
from i18n import translate
from services.complaints import routing
from services.core.errors import DomainError, NotFound
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from services.identity import users
from services.imports import complaint_report, saved_mappings
from services.imports import complaints as complaint_import
from services.imports import mapping as mappings
from services.org import lookup
from services.photos import evidence as photos
from services.photos import sweep


def _uow() -> UnitOfWork:
    return UnitOfWork(open_database(get_settings().sqlalchemy_url))


def cmd_init(_args: argparse.Namespace) -> None:
    _uow()
    print(translate("cli.init_done", _lang(), url=get_settings().database_url))


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(translate("cli.password_prompt", _lang()))
    if first != getpass.getpass(translate("cli.password_again", _lang())):
        raise SystemExit(translate("cli.password_mismatch", _lang()))
    return first


def cmd_create_user(args: argparse.Namespace) -> None:
    uow = _uow()
    password = _read_password(args)
    district_id = uow.query(lookup.district_id, args.district) if args.district else None
    unit_id = uow.query(lookup.unit_id, args.unit) if args.unit else None
    user = uow.run(users.create_user,
        actor=system_actor(),
        username=args.username,
        display_name=args.display_name or args.username,
        role=args.role,
        password=password,
        district_id=district_id,
        unit_id=unit_id,
    )
    print(translate("cli.user_created", _lang(), username=user.username, role=user.role))


def cmd_demo(args: argparse.Namespace) -> None:
    uow = _uow()

    shown = {"step": -1}

    def show(fraction: float, stage: str) -> None:
        step = int(fraction * 20)  # a line every 5 %: readable in a terminal and in CI logs
        if step != shown["step"]:
            shown["step"] = step
            print(f"[{'#' * step:<20}] {fraction:4.0%} {stage}", flush=True)

    if args.scale == "city":
        _city(uow, args, show)
        return
    # One transaction: an interrupted load leaves nothing half made.
    counts = uow.run(
        demo.load_demo, password=args.password, force=args.force, progress=show, size=args.size
    )
    print()
    print(translate("cli.demo_done", _lang(), **counts))
    if "inspections" in counts:
        print(translate("cli.demo_activity", _lang(), **counts))
    if "complaints" in counts:
        print(translate("complaint_routing.demo_complaints", _lang(), **counts))


def _city(uow: UnitOfWork, args: argparse.Namespace, show) -> None:
    lang = _lang()
    if args.force:
        print(translate("demo.city_force", lang))
    # One transaction, as the demo: an interrupted load leaves nothing half made.
    counts, stages = uow.run(city.load_city, password=args.password, force=args.force,
                             progress=show)
    print()
    rows = ", ".join(f"{k} {v:,}" for k, v in counts.items())
    print(translate("cli.city_done", lang, seconds=stages["total"], rows=rows))
    print(translate("cli.city_stages", lang,
                    stages=", ".join(f"{k} {v}" for k, v in stages.items())))


def cmd_train_routing(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    row = _uow().run(routing.train_routing, actor=system_actor())
    seconds = time.perf_counter() - started
    lang, m = _lang(), row.metrics
    print(translate("complaint_routing.trained", lang, id=row.id, classifier=row.classifier,
                    samples=row.n_samples, units=row.n_units, categories=row.n_categories))
    print(translate("complaint_routing.evaluated", lang, n_test=m["n_test"],
                    n_train=m["n_train"], top1=f"{m['unit_top1']:.1%}",
                    top3=f"{m['unit_top3']:.1%}", category=f"{m['category']:.1%}"))
    if args.evaluate:
        ratio = m["unit_top1"] / m["baseline_unit_top1"] if m["baseline_unit_top1"] else 0
        print(translate("complaint_routing.baseline", lang, b_top1=f"{m['baseline_unit_top1']:.1%}",
                        b_top3=f"{m['baseline_unit_top3']:.1%}",
                        b_category=f"{m['baseline_category']:.1%}", ratio=f"{ratio:.1f}"))
        candidates = ", ".join(f"{k} {v}" for k, v in m["candidates"].items())
        print(translate("complaint_routing.candidates", lang, candidates=candidates))
        print(translate("complaint_routing.machine", lang, seconds=f"{seconds:.1f}",
                        nproc=len(os.sched_getaffinity(0)), machine=platform.machine()))


def cmd_gc_photos(args: argparse.Namespace) -> None:
    hours = args.grace_hours or get_settings().photo_gc_grace_hours  # at least 1 when given
    result = _uow().query(sweep.sweep, photos.default_store(), grace=timedelta(hours=hours),
                         dry_run=args.dry_run)
    for name in result.removed:
        print(name)
    key = "cli.gc_dry_run" if args.dry_run else "cli.gc_done"
    print(translate(key, _lang(), removed=len(result.removed), young=result.kept_young,
                    referenced=result.referenced, hours=hours))


def cmd_import_complaints(args: argparse.Namespace) -> int:
    """Exit 0 when every row was imported, unchanged or skipped by rule (empty, repeated);
    1 when some rows failed (the report says which); 2 when the file was refused."""
    describe = complaint_report.describer(lambda key, **p: translate(key, _lang(), **p))
    try:
        return _import_complaints(args, describe)
    except DomainError as err:  # the file refused: its message names the import's columns
        print(describe(err.message_key, err.params), file=sys.stderr)
        return 2


def _import_complaints(args: argparse.Namespace, describe) -> int:
    lang, uow = _lang(), _uow()
    peek = complaint_import.peek(args.file, args.file, encoding=args.encoding)
    if args.guess_mapping:
        guessed = mappings.guess(peek.header).to_json()
        text = json.dumps(guessed, ensure_ascii=False, indent=2)
        Path(args.guess_mapping).write_text(text + "\n", encoding="utf-8")
        print(text)
        print(translate("complaint_import.cli_mapping_written", lang, path=args.guess_mapping))
        return 0
    # Without --as-user the import acts as the office itself ("system" in the audit log).
    actor = (uow.query(lookup.active_user, args.as_user) if args.as_user
             else system_actor().model_copy(update={"role": Role.OFFICE}))
    mapping = (uow.query(saved_mappings.resolve, actor=actor, name_or_json=args.mapping)
               if args.mapping else mappings.guess(peek.header))
    district = (uow.query(lookup.district_id, args.create_missing_units)
                if args.create_missing_units else None)
    call = uow.dry_run if args.dry_run else uow.run
    report = call(
        complaint_import.import_complaints, actor=actor, filename=args.file, source=args.file,
        mapping=mapping, source_name=args.source, encoding=args.encoding,
        create_units_in=district, unit_actor=system_actor(),
        progress=lambda n: print(translate("complaint_import.cli_progress", lang, rows=n),
                                 file=sys.stderr, flush=True),
    )
    for row in report.rows:
        if row.outcome == complaint_report.FAILED:
            print(f"{row.line}\t{row.external_id}\t{describe(row.key, row.params)}")
    print(translate("complaint_import.cli_counts", lang, **report.summary()))
    if report.created_units:
        print(translate("complaint_import.cli_units_created", lang,
                        names=report.created_units))
    if args.dry_run:
        print(translate("complaint_import.cli_dry_run", lang))
    if args.report:
        labels = complaint_report.labels(lambda key: translate(key, lang))
        Path(args.report).write_bytes(report.to_csv(describe, labels))
        print(translate("complaint_import.cli_report_written", lang, path=args.report))
    return 0 if report.ok else 1


def cmd_export_notice(args: argparse.Namespace) -> int:
    from services.notices import export

    uow, actor = _uow(), system_actor()
    try:
        notice_id = uow.query(export.find_issued, actor=actor,
                              number=None if args.latest else args.number)
    except NotFound:
        print(translate("notice.cli_not_found", _lang(), number=args.number or ""),
              file=sys.stderr)
        return 2
    Path(args.out).write_bytes(uow.query(export.export_docx, actor=actor,
                                         notice_id=notice_id))
    print(translate("notice.cli_written", _lang(), path=args.out))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from benchmarks import dashboard as bench_dashboard

    urls = args.url or [get_settings().sqlalchemy_url]
    return bench_dashboard.run(urls, repeat=args.repeat, baseline_repeat=args.baseline_repeat)


def _grace_hours(text: str) -> float:
    hours = float(text)
    # Shorter, and an upload still writing its files could look abandoned.
    if not 1 <= hours <= 24 * 90:
        raise argparse.ArgumentTypeError("between 1 and 2160 hours")
    return hours


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="manage.py", description="效能督查台 · management")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("init", help="create or upgrade the database schema").set_defaults(func=cmd_init)

    p = sub.add_parser("create-user", help="create an account")
    p.add_argument("username")
    p.add_argument(
        "--role", required=True, choices=["admin", "office", "leader", "inspector", "unit"]
    )
    p.add_argument("--display-name")
    p.add_argument("--district", help="district scope, by name")
    p.add_argument("--unit", help="unit scope (required for role unit), by name")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=cmd_create_user)

    p = sub.add_parser("demo", help="load the demo city, units and one account per role")
    p.add_argument(
        "--password",
        default=demo.DEFAULT_PASSWORD,
        help=f"password of every demo account (default {demo.DEFAULT_PASSWORD})",
    )
    p.add_argument("--force", action="store_true", help="run again: add only what is missing")
    p.add_argument("--size", choices=demo.SIZES, default="full",
                   help="full: a year of field work; small: a sample; org: organisation only")
    p.add_argument("--scale", choices=("demo", "city"), default="demo",
                   help="city: bulk-load 2,000 units and 3 years of a city's work (1,000,000 "
                        "complaints, 100,000 visits, 300,000 findings) on top of the org demo")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("export-notice", help="write an issued notice as a Word document")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("number", nargs="?", help="its number, e.g. 嘉效办〔2026〕12号")
    which.add_argument("--latest", action="store_true", help="the most recently issued one")
    p.add_argument("--out", required=True, help="the .docx file to write")
    p.set_defaults(func=cmd_export_notice)

    p = sub.add_parser("bench", help="time the dashboard at this database's scale")
    p.add_argument("what", choices=["dashboard"])
    p.add_argument("--url", action="append",
                   help="database URL (repeat for several; default: the configured one)")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per case (median)")
    p.add_argument("--baseline-repeat", type=int, default=2,
                   help="timed runs of the slow pandas baseline (median)")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("train-routing",
                       help="learn routing suggestions (unit, category) from past complaints")
    p.add_argument("--evaluate", action="store_true",
                   help="also print the baseline, the candidates and the machine")
    p.set_defaults(func=cmd_train_routing)

    p = sub.add_parser("gc-photos", help="remove photo files no record has used for a while")
    p.add_argument("--grace-hours", type=_grace_hours,
                   help="keep files written more recently (default PHOTO_GC_GRACE_HOURS, 24)")
    p.add_argument("--dry-run", action="store_true", help="list what would go, remove nothing")
    p.set_defaults(func=cmd_gc_photos)

    p = sub.add_parser("import-complaints", help="import complaints from a hotline export")
    p.add_argument("file", help="CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or XLSX")
    p.add_argument("--mapping", help="a saved mapping's name, a JSON file or inline JSON")
    p.add_argument("--guess-mapping", metavar="OUT.json",
                   help="write the mapping guessed from the headers and stop")
    p.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    p.add_argument("--create-missing-units", metavar="DISTRICT",
                   help="create units the city does not know, under this district")
    p.add_argument("--source", default="12345",
                   help="the hotline the file comes from (ticket numbers are unique per source)")
    p.add_argument("--encoding", help="utf-8, utf-8-sig or gbk (default: detected)")
    p.add_argument("--report", metavar="OUT.csv", help="write the report as CSV")
    p.add_argument("--as-user", help="the office account to act as (default: system)")
    p.set_defaults(func=cmd_import_complaints)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
    except DomainError as err:
        print(translate(err.message_key, _lang(), **err.params), file=sys.stderr)
        return 2
    except ValidationError as err:
        print(f"Configuration refused:\n{err}", file=sys.stderr)
        return 2
    return code or 0


def _lang() -> str:
    try:
        return get_settings().default_language
    except ValidationError:
        return "zh-CN"


if __name__ == "__main__":
    sys.exit(main())
