"""Filters saved by name (issue 10): a user keeps the filters of a list page under a name of
their own and applies them again with one pick. Each user's are theirs alone: nobody else
lists, applies or deletes them, whatever id a request names (another user's is NotFound,
like one that does not exist).

What is saved is the page's URL query, cleaned the way the page reads a link: a crafted
request stores only what the page would accept from its own URL. A page that offers saved
filters is listed in PAGES, with the capability that opens it and its cleaner."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlmodel import func, select

from db.models import SavedFilter, User
from db.timeutil import utcnow
from services.core import audit
from services.core.errors import NotFound, ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import clean_text
from services.findings import register

MAX_NAME = 40
MAX_QUERY = 2000  # characters of the stored JSON (the column's size)
MAX_PER_PAGE = 30  # saved filters of one user on one page
_MAX_ID = 2**31 - 1


def _register_query(params: Mapping[str, object]) -> dict[str, str]:
    """The findings register's filters and sort, as its URL holds them."""
    query = register.RegisterFilters.from_query(params).to_query()
    sort = register.parse_sort(params.get(register.SORT_PARAM))
    if sort is not None:
        query[register.SORT_PARAM] = register.format_sort(*sort)
    return query


@dataclass(frozen=True)
class SavedPage:
    capability: str  # the page's: whoever may open it may keep filters for it
    clean: Callable[[Mapping[str, object]], dict[str, str]]


# Page key (services/core/permissions.PAGE_CAPABILITY) -> what saving there needs.
PAGES = {
    "findings_register": SavedPage(capability="findings.register", clean=_register_query),
}


@dataclass(frozen=True)
class Saved:
    id: int
    name: str  # typed by the user
    query: dict[str, str]  # the page's URL query parameters


def list_filters(uow: UnitOfWork, *, actor: User, page: str) -> list[Saved]:
    """The actor's own saved filters on the page, by name. The query is cleaned again as
    it is read: a value the page no longer offers (a category retired since) is left out."""
    spec = _page(actor, page)
    rows = uow.session.exec(
        select(SavedFilter)
        .where(SavedFilter.user_id == actor.id, SavedFilter.page == page)
        .order_by(SavedFilter.name, SavedFilter.id)
    ).all()
    return [Saved(id=r.id, name=r.name, query=spec.clean(_loads(r.query))) for r in rows]


def save_filter(uow: UnitOfWork, *, actor: User, page: str, name: str,
                query: Mapping[str, object]) -> SavedFilter:
    """Saves the page's filters under the name; the actor's filter of that name, if any, is
    replaced (a double click changes nothing the second time). At most MAX_PER_PAGE names."""
    spec = _page(actor, page)
    name = clean_text(name, field="filter_name", max_len=MAX_NAME)
    cleaned = spec.clean(query if isinstance(query, Mapping) else {})
    if not cleaned:
        raise ValidationFailed("saved_filter.empty")
    text = json.dumps(cleaned, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_QUERY:
        raise ValidationFailed("error.too_long", field="filter_query", max=MAX_QUERY)
    # The same user saving twice at once (two tabs): one after the other, so neither the
    # name nor the count is checked against a state the other is changing.
    uow.serialize(f"saved_filter:{actor.id}:{page}")
    row = uow.session.exec(
        select(SavedFilter)
        .where(SavedFilter.user_id == actor.id, SavedFilter.page == page,
               SavedFilter.name == name)
        .with_for_update()
    ).first()
    if row is not None:
        if row.query != text:
            before = audit.state(row)
            row.query, row.updated_at = text, utcnow()
            uow.session.add(row)
            audit.record(uow, actor, "saved_filter.update", row, before)
        return row
    if _count(uow, actor, page) >= MAX_PER_PAGE:
        raise ValidationFailed("saved_filter.limit", max=MAX_PER_PAGE)
    row = SavedFilter(user_id=actor.id, page=page, name=name, query=text)
    uow.session.add(row)
    audit.record(uow, actor, "saved_filter.create", row)
    return row


def delete_filter(uow: UnitOfWork, *, actor: User, filter_id: int) -> SavedFilter:
    """Deletes one of the actor's own saved filters; returns it as it was."""
    # A crafted id (text, a number past the column's range) names no filter.
    valid = isinstance(filter_id, int) and not isinstance(filter_id, bool)
    row = (uow.session.get(SavedFilter, filter_id, with_for_update=True)
           if valid and 0 < filter_id <= _MAX_ID else None)
    if row is None or row.user_id != actor.id:
        raise NotFound()
    _page(actor, row.page)
    audit.removed(uow, actor, "saved_filter.delete", row)
    uow.session.delete(row)
    uow.session.flush()
    return row


def _page(actor: User, page: str) -> SavedPage:
    spec = PAGES.get(page)
    if spec is None:
        raise ValidationFailed()
    require(actor, spec.capability)
    return spec


def _count(uow: UnitOfWork, actor: User, page: str) -> int:
    return uow.session.exec(
        select(func.count()).select_from(SavedFilter)
        .where(SavedFilter.user_id == actor.id, SavedFilter.page == page)
    ).one()


def _loads(text: str) -> dict[str, object]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
