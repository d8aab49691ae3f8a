"""Mappings saved by name (one per hotline export the office receives), reused at the next
import from the page or the command line. The office's: capability "complaint.import"."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from db.models import ImportMapping, User
from db.timeutil import utcnow
from services.core import audit
from services.core.errors import NotFound, ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import clean_text
from services.imports.mapping import Mapping

KIND = "complaints"


def list_mappings(uow: UnitOfWork, *, actor: User) -> list[str]:
    require(actor, "complaint.import")
    query = (select(ImportMapping.name).where(ImportMapping.kind == KIND)
             .order_by(ImportMapping.name))
    return list(uow.session.exec(query).all())


def load_mapping(uow: UnitOfWork, *, actor: User, name: str) -> Mapping:
    require(actor, "complaint.import")
    row = _named(uow, name)
    if row is None:
        raise NotFound("complaint_import.mapping_unknown", name=name)
    return Mapping.from_json(row.mapping)


def save_mapping(uow: UnitOfWork, *, actor: User, name: str, mapping: Mapping) -> ImportMapping:
    """Saving under a name that exists replaces that mapping (the office refines it)."""
    require(actor, "complaint.import")
    name = clean_text(name, field="mapping_name", max_len=100)
    data = Mapping.from_json(mapping.to_json()).to_json()  # what is saved can be read back
    row = _named(uow, name, lock=True)
    if row is None:
        row = ImportMapping(name=name, kind=KIND, mapping=data, created_by=actor.id)
        uow.session.add(row)
        audit.record(uow, actor, "import_mapping.create", row)
        return row
    before = audit.state(row)
    row.mapping, row.updated_at, row.version = data, utcnow(), row.version + 1
    uow.session.add(row)
    audit.record(uow, actor, "import_mapping.update", row, before)
    return row


def resolve(uow: UnitOfWork, *, actor: User, name_or_json: str) -> Mapping:
    """For the command line: inline JSON, a JSON file, or a saved mapping's name."""
    text = name_or_json.strip()
    if text.startswith("{"):
        return Mapping.from_json(text)
    path = Path(text)
    if text.endswith(".json") and path.is_file():
        try:
            return Mapping.from_json(path.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise ValidationFailed("complaint_import.mapping_invalid") from exc
    return load_mapping(uow, actor=actor, name=text)


def _named(uow: UnitOfWork, name: str, *, lock: bool = False) -> ImportMapping | None:
    query = select(ImportMapping).where(ImportMapping.name == name.strip())
    if lock:
        query = query.with_for_update()
    return uow.session.exec(query).first()
