"""The routing model: which unit and category a complaint's text most likely belongs to,
learned from the city's own past complaints (services/complaints/routing.py). Each
training run adds a row; the newest one answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary
from sqlmodel import Field, SQLModel

from db.timeutil import utcnow


class RoutingModel(SQLModel, table=True):
    __tablename__ = "routing_model"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    n_samples: int
    n_units: int
    n_categories: int
    # Which classifier won on the held-out part, and what it scored there (top-1 and top-3
    # unit accuracy, category accuracy, the most-frequent-unit baseline).
    classifier: str = Field(max_length=50)
    metrics: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    # Arrays only (NumPy .npz without pickled objects), never a pickle: see routing.py.
    model_bytes: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64)
