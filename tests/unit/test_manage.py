"""The command line, as an operator runs it."""

import os
import subprocess
import sys
import time

from tests.conftest import REPO


def _manage(tmp_path, *args, stdin: str = "", env_extra=None):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "UPLOAD_DIR": str(tmp_path / "uploads")}
    env.pop("APP_ENV", None)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_init_create_user_and_demo(tmp_path):
    assert _manage(tmp_path, "init").returncode == 0
    made = _manage(tmp_path, "create-user", "clerk", "--role", "office", "--password-stdin",
                   stdin="a-long-password\n")
    assert made.returncode == 0 and "clerk" in made.stdout
    dup = _manage(tmp_path, "create-user", "clerk", "--role", "office", "--password-stdin",
                  stdin="a-long-password\n")
    assert dup.returncode == 2 and "用户名“clerk”已被使用" in dup.stderr
    short = _manage(tmp_path, "create-user", "x", "--role", "office", "--password-stdin",
                    stdin="short\n")
    assert short.returncode == 2 and "至少需要 10 个字符" in short.stderr
    demo = _manage(tmp_path, "demo", "--size", "small")
    assert demo.returncode == 0 and "77 个单位" in demo.stdout and "100%" in demo.stdout
    again = _manage(tmp_path, "demo")
    assert again.returncode == 2 and "--force" in again.stderr
    liaison = _manage(tmp_path, "create-user", "liaison9", "--role", "unit", "--unit", "市供电公司",
                      "--password-stdin", stdin="a-long-password\n")
    assert liaison.returncode == 0
    nowhere = _manage(tmp_path, "create-user", "y", "--role", "inspector", "--district", "火星区",
                      "--password-stdin", stdin="a-long-password\n")
    assert nowhere.returncode == 2 and "火星区" in nowhere.stderr


def test_unknown_role_is_refused_by_the_parser(tmp_path):
    bad = _manage(tmp_path, "create-user", "x", "--role", "king", "--password-stdin",
                  stdin="a-long-password\n")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_unsafe_production_settings_are_refused_with_the_reason(tmp_path):
    refused = _manage(tmp_path, "init", env_extra={"APP_ENV": "production"})
    assert refused.returncode == 2 and "PostgreSQL" in refused.stderr


def test_gc_photos_removes_old_files_no_record_uses(tmp_path):
    from services.photos.store import PhotoStore

    store = PhotoStore(tmp_path / "uploads")
    old, new = store.put(b"removed last week", suffix=".jpg"), store.put(b"new", suffix=".jpg")
    week_ago = time.time() - 7 * 86_400
    os.utime(store.path(old), (week_ago, week_ago))
    dry = _manage(tmp_path, "gc-photos", "--dry-run")
    assert dry.returncode == 0 and old in dry.stdout and "试运行" in dry.stdout
    assert store.exists(old)
    done = _manage(tmp_path, "gc-photos", "--grace-hours", "48")
    assert done.returncode == 0 and old in done.stdout and new not in done.stdout
    assert "删除 1 个文件" in done.stdout
    assert not store.exists(old) and store.exists(new)
    hasty = _manage(tmp_path, "gc-photos", "--grace-hours", "0")
    assert hasty.returncode == 2 and "between 1 and 2160 hours" in hasty.stderr
