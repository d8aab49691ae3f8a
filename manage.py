"""Command line for operators: `python manage.py --help`."""

from __future__ import annotations

import argparse
import getpass
import os
import platform
import sys
import time
from datetime import timedelta

from pydantic import ValidationError

from config import get_settings
from db.bootstrap import open_database
from demo import loader as demo
from i18n import translate
from services.complaints import routing
from services.core.errors import DomainError
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from services.identity import users
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
    p.set_defaults(func=cmd_demo)

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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except DomainError as err:
        print(translate(err.message_key, _lang(), **err.params), file=sys.stderr)
        return 2
    except ValidationError as err:
        print(f"Configuration refused:\n{err}", file=sys.stderr)
        return 2
    return 0


def _lang() -> str:
    try:
        return get_settings().default_language
    except ValidationError:
        return "zh-CN"


if __name__ == "__main__":
    sys.exit(main())
