"""Attached documents that are not photos: PDF scans of complainants' letters, a unit's
written answer. Stored content-addressed beside the photos (services/documents/)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import false
from sqlmodel import Field, SQLModel

from db.timeutil import utcnow


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, index=True)
    key: str = Field(max_length=200)
    filename: str = Field(max_length=200)
    mime: str = Field(max_length=50)
    size_bytes: int
    pages: int | None = None
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id", index=True)
    complaint_reply_id: int | None = Field(
        default=None, foreign_key="complaint_reply.id", index=True
    )
    progress_report_id: int | None = Field(
        default=None, foreign_key="progress_report.id", index=True
    )
    work_report_id: int | None = Field(default=None, foreign_key="work_report.id", index=True)
    # A scan the office registered with a complaint that the unit concerned may open (a letter
    # names its writer: none is shared unless the office says so).
    shared_with_unit: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    uploaded_by: int = Field(foreign_key="user.id")
    uploaded_at: datetime = Field(default_factory=utcnow)
