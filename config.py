"""One typed settings object, read from the environment and `.streamlit/secrets.toml`.

Safe laptop defaults (SQLite in data/, uploads/ beside the code); `APP_ENV=production`
turns on the checks that refuse an unsafe set-up before anything starts.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

ROOT = Path(__file__).resolve().parent
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"


class UnsafeSettings(ValueError):
    """Raised when production settings would put data or accounts at risk."""


class SecretsTomlSource(PydanticBaseSettingsSource):
    """Reads top-level keys of `.streamlit/secrets.toml` (lower priority than the environment)."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        super().__init__(settings_cls)
        self._data: dict[str, Any] = {}
        if path.is_file():
            with path.open("rb") as fh:
                raw = tomllib.load(fh)
            self._data = {k.lower(): v for k, v in raw.items() if not isinstance(v, dict)}

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in self._data.items() if k in self.settings_cls.model_fields}


MONTH_DAY = r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    app_env: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///data/app.db"
    upload_dir: Path = Path("uploads")
    default_language: Literal["zh-CN", "en"] = "zh-CN"
    time_zone: str = "Asia/Shanghai"
    idle_timeout_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # Sign-in throttle: after the free failures each further one doubles the wait (1 s,
    # 2 s, 4 s, ...) up to a cap. The cap per typed username stays short, so that someone
    # guessing from elsewhere only slows the real user down and can never lock them out;
    # the cap per client address can be long.
    signin_free_attempts: int = Field(default=3, ge=1, le=20)
    signin_account_max_delay_seconds: int = Field(default=30, ge=1, le=300)
    signin_client_max_delay_seconds: int = Field(default=15 * 60, ge=1, le=24 * 3600)
    # Addresses of the reverse proxies in front of the app: only a request from one of them
    # may name the real client in X-Forwarded-For (anyone else could forge it).
    trusted_proxies: list[str] = Field(default_factory=list)
    # Argon2 takes 64 MiB per hash: at most this many at once per process, and a request
    # that cannot get a turn within the wait is told the system is busy.
    password_hash_concurrency: int = Field(default=2, ge=1, le=32)
    password_hash_wait_seconds: float = Field(default=5.0, gt=0, le=60)
    min_password_length: int = Field(default=10, ge=8, le=128)
    # Rectification deadline by severity (一般, 较重, 严重), in days from confirmation.
    deadline_days_general: int = Field(default=15, ge=1, le=365)
    deadline_days_serious: int = Field(default=7, ge=1, le=365)
    deadline_days_severe: int = Field(default=3, ge=1, le=365)
    photo_watermark: bool = True
    # Photo files no row refers to are removed by the sweep once untouched this long. It must
    # exceed the longest time an upload takes from writing its files to committing its row.
    photo_gc_grace_hours: int = Field(default=24, ge=1, le=24 * 90)
    # Campaign reports: monthly progress on month M is due on this day of month M+1 (past a
    # month's end: its last day); the special and annual reports on these days ("MM-DD").
    progress_due_day: int = Field(default=5, ge=1, le=31)
    special_report_due: str = Field(default="12-10", pattern=MONTH_DAY)
    annual_report_due: str = Field(default="12-31", pattern=MONTH_DAY)
    # Meeting-deck export (PDF, PNG): the Chromium that prints it, offline. Empty: Debian's
    # /usr/bin/chromium, else the first of chromium, chromium-browser, google-chrome on PATH.
    # A path or a command name given here is used as it is, with no fallback.
    chromium_path: str = ""
    chromium_timeout_seconds: int = Field(default=60, ge=1, le=600)
    # Notices (通报): the number's prefix per kind (嘉效办〔2026〕12号) and the issuing office.
    notice_prefix_criticism: str = Field(default="嘉效办", min_length=1, max_length=20)
    notice_prefix_commendation: str = Field(default="嘉效办", min_length=1, max_length=20)
    notice_prefix_situation: str = Field(default="嘉效办", min_length=1, max_length=20)
    notice_issuing_office: str = Field(
        default="嘉峪关市效能风暴行动领导小组办公室", min_length=1, max_length=200
    )
    # E-mail for reminders (催办) to the units' liaisons. No SMTP_HOST: nothing is mailed, the
    # reminder shows on the liaison's start page only. The password never goes in the code:
    # the environment or `.streamlit/secrets.toml` (kept out of git).
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = ""
    smtp_starttls: bool = True
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    @field_validator("upload_dir")
    @classmethod
    def _anchor_upload_dir(cls, value: Path) -> Path:
        return value if value.is_absolute() else ROOT / value

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def mail_configured(self) -> bool:
        return bool(self.smtp_host and self.smtp_from)

    def deadline_days(self, severity: str) -> int:
        return getattr(self, f"deadline_days_{severity}")

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if not self.is_production:
            return self
        if self.database_url.startswith("sqlite"):
            raise UnsafeSettings(
                "APP_ENV=production needs DATABASE_URL to point at PostgreSQL: "
                "SQLite on one disk cannot be shared by several app processes or replicated."
            )
        if self.idle_timeout_minutes > 120:
            raise UnsafeSettings(
                "APP_ENV=production allows at most 120 idle minutes before sign-out "
                f"(IDLE_TIMEOUT_MINUTES={self.idle_timeout_minutes})."
            )
        if self.min_password_length < 10:
            raise UnsafeSettings("APP_ENV=production needs MIN_PASSWORD_LENGTH of at least 10.")
        if self.smtp_user and not self.smtp_starttls:
            raise UnsafeSettings(
                "APP_ENV=production does not send the SMTP password unencrypted: "
                "set SMTP_STARTTLS=true (or no SMTP_USER for a relay that needs no sign-in)."
            )
        return self

    @property
    def sqlalchemy_url(self) -> str:
        """SQLite paths are relative to the project, so the app works from any directory;
        `postgresql://` means psycopg 3, the driver we ship."""
        url = self.database_url
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            rel = url.removeprefix("sqlite:///")
            if rel and rel != ":memory:":
                return f"sqlite:///{ROOT / rel}"
        if url.startswith("postgresql://"):
            return "postgresql+psycopg://" + url.removeprefix("postgresql://")
        if url.startswith("postgres://"):
            return "postgresql+psycopg://" + url.removeprefix("postgres://")
        return url

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, SecretsTomlSource(settings_cls, SECRETS_FILE))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
