import pytest
from pydantic import ValidationError

from config import ROOT, Settings


def test_laptop_defaults(monkeypatch):
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.delenv("UPLOAD_DIR")
    s = Settings()
    assert s.sqlalchemy_url == f"sqlite:///{ROOT / 'data' / 'app.db'}"
    assert s.upload_dir == ROOT / "uploads"
    assert (s.default_language, s.idle_timeout_minutes) == ("zh-CN", 30)


def test_postgres_urls_use_psycopg3(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db:5432/x")
    assert Settings().sqlalchemy_url == "postgresql+psycopg://u@db:5432/x"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "sqlite:///data/app.db"}, "PostgreSQL"),
        ({"DATABASE_URL": "postgresql://db/x", "IDLE_TIMEOUT_MINUTES": "600"}, "idle"),
        ({"DATABASE_URL": "postgresql://db/x", "MIN_PASSWORD_LENGTH": "8"}, "MIN_PASSWORD_LENGTH"),
        ({"DATABASE_URL": "postgresql://db/x", "SMTP_HOST": "mail.example.org",
          "SMTP_USER": "desk", "SMTP_STARTTLS": "false"}, "SMTP_STARTTLS"),
    ],
)
def test_production_refuses_unsafe_settings_and_says_why(monkeypatch, env, message):
    monkeypatch.setenv("APP_ENV", "production")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(ValidationError, match=message):
        Settings()


def test_unknown_time_zone_is_refused(monkeypatch):
    monkeypatch.setenv("TIME_ZONE", "Mars/Olympus")
    with pytest.raises(ValidationError):
        Settings()


def test_secrets_toml_is_read_below_the_environment(tmp_path, monkeypatch):
    import config

    secrets = tmp_path / "secrets.toml"
    secrets.write_text('idle_timeout_minutes = 45\ndefault_language = "en"\n', encoding="utf-8")
    monkeypatch.setattr(config, "SECRETS_FILE", secrets)
    monkeypatch.setenv("DEFAULT_LANGUAGE", "zh-CN")
    s = config.Settings()
    assert (s.idle_timeout_minutes, s.default_language) == (45, "zh-CN")


def test_sign_in_throttle_and_hashing_defaults():
    s = Settings()
    assert (s.signin_free_attempts, s.signin_account_max_delay_seconds,
            s.signin_client_max_delay_seconds) == (3, 30, 900)
    assert (s.password_hash_concurrency, s.password_hash_wait_seconds) == (2, 5.0)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        # A long wait per username would let anyone keep its owner out: it stays short.
        ("SIGNIN_ACCOUNT_MAX_DELAY_SECONDS", "3600"),
        ("PASSWORD_HASH_CONCURRENCY", "0"),
        ("PASSWORD_HASH_WAIT_SECONDS", "0"),
    ],
)
def test_unsafe_throttle_and_hashing_settings_are_refused(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=name.lower()):
        Settings()


def test_passwords_are_hashed_at_the_rfc_9106_low_memory_profile():
    """The suite hashes cheaply (tests/conftest.py); the app keeps Argon2id at 64 MiB."""
    from argon2 import Type

    from tests.conftest import PRODUCTION_HASHER

    assert PRODUCTION_HASHER.type is Type.ID
    assert (PRODUCTION_HASHER.memory_cost, PRODUCTION_HASHER.time_cost) == (65536, 3)


def test_mail_is_off_until_a_host_and_a_sender_are_set(monkeypatch):
    assert not Settings().mail_configured
    monkeypatch.setenv("SMTP_HOST", "mail.example.org")
    assert not Settings().mail_configured
    monkeypatch.setenv("SMTP_FROM", "效能办 <desk@example.org>")
    monkeypatch.setenv("SMTP_PASSWORD", "s3cret")
    s = Settings()
    assert s.mail_configured and (s.smtp_port, s.smtp_starttls) == (587, True)
    assert "s3cret" not in repr(s)  # a logged settings object shows no password
