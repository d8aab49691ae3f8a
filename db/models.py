"""SQLModel tables. Business rules live in services/; these classes only store."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from db.timeutil import utcnow


class Role(StrEnum):
    ADMIN = "admin"
    OFFICE = "office"
    LEADER = "leader"
    INSPECTOR = "inspector"
    UNIT = "unit"


class DistrictKind(StrEnum):
    DISTRICT = "district"
    TOWN = "town"
    COMMUNITY = "community"


class District(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    kind: str = Field(max_length=20)
    parent_id: int | None = Field(default=None, foreign_key="district.id", index=True)
    active: bool = True
    version: int = 1


class Industry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    active: bool = True
    version: int = 1


class Unit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    district_id: int | None = Field(default=None, foreign_key="district.id", index=True)
    industry_id: int | None = Field(default=None, foreign_key="industry.id", index=True)
    supervisor_id: int | None = Field(default=None, foreign_key="unit.id")
    first_responsible: str = Field(default="", max_length=100)
    active: bool = True
    version: int = 1


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=100)
    role: str = Field(max_length=20)
    district_id: int | None = Field(default=None, foreign_key="district.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    password_hash: str = Field(max_length=255)
    language: str | None = Field(default=None, max_length=10)
    active: bool = True
    failed_attempts: int = 0
    locked_until: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    last_signin_at: datetime | None = None
    version: int = 1


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: str = Field(max_length=64, index=True)
    entity: str = Field(max_length=64, index=True)
    entity_id: int | None = None
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    at: datetime = Field(default_factory=utcnow, index=True)
