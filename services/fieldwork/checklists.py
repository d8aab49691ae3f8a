"""Checklist templates (检查表) that admin and office edit: sections, items, answer types."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from db.models import AnswerType, ChecklistAnswer, ChecklistItem, ChecklistTemplate, User
from services.core import audit
from services.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from services.core.permissions import can, require
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_text

ANSWER_TYPES = tuple(a.value for a in AnswerType)
YES, NO, NOT_APPLICABLE = "yes", "no", "na"


@dataclass(frozen=True)
class ItemSpec:
    """One item as the template editor sends it; `id` None for a new item."""

    section: str
    text: str
    answer_type: str = AnswerType.YES_NO
    photo_required_on_fail: bool = False
    id: int | None = None


@dataclass(frozen=True)
class TemplateView:
    id: int
    name: str
    description: str
    active: bool
    version: int
    items: tuple[ChecklistItem, ...]

    def sections(self) -> list[tuple[str, list[ChecklistItem]]]:
        out: dict[str, list[ChecklistItem]] = {}
        for item in self.items:
            out.setdefault(item.section, []).append(item)
        return list(out.items())


def fails(item: ChecklistItem, value: str | None) -> bool:
    """Only a "no" to a yes/no question fails; numbers and text are recorded, not judged."""
    return item.answer_type == AnswerType.YES_NO and value == NO


def check_answer(item: ChecklistItem, value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if item.answer_type == AnswerType.YES_NO and value not in (YES, NO, NOT_APPLICABLE):
        raise ValidationFailed("inspection.answer_invalid", item=item.text)
    if item.answer_type == AnswerType.NUMBER:
        try:
            float(value)
        except ValueError as exc:
            raise ValidationFailed("inspection.answer_not_number", item=item.text) from exc
    if len(value) > 1000:
        raise ValidationFailed("error.too_long", field="answer", max=1000)
    return value


def list_templates(
    uow: UnitOfWork, *, actor: User, active_only: bool = False
) -> list[TemplateView]:
    if not (can(actor, "checklist.manage") or can(actor, "inspection.record")):
        raise PermissionDenied(capability="checklist.view")
    query = select(ChecklistTemplate).order_by(ChecklistTemplate.name)
    if active_only:
        query = query.where(ChecklistTemplate.active)
    templates = uow.session.exec(query).all()
    items = uow.session.exec(
        select(ChecklistItem)
        .where(ChecklistItem.active)
        .order_by(ChecklistItem.template_id, ChecklistItem.position, ChecklistItem.id)
    ).all()
    by_template: dict[int, list[ChecklistItem]] = {}
    for item in items:
        by_template.setdefault(item.template_id, []).append(item)
    return [
        TemplateView(t.id, t.name, t.description, t.active, t.version,
                     tuple(by_template.get(t.id, [])))
        for t in templates
    ]


def get_template(uow: UnitOfWork, *, actor: User, template_id: int) -> TemplateView:
    for view in list_templates(uow, actor=actor):
        if view.id == template_id:
            return view
    raise NotFound()


def _clean_items(items: list[ItemSpec]) -> list[ItemSpec]:
    if not items:
        raise ValidationFailed("checklist.no_items")
    cleaned = []
    for spec in items:
        if spec.answer_type not in ANSWER_TYPES:
            raise ValidationFailed("checklist.answer_type_unknown", field="answer_type")
        cleaned.append(
            ItemSpec(
                section=clean_text(spec.section, field="section", max_len=100),
                text=clean_text(spec.text, field="item_text", max_len=300),
                answer_type=spec.answer_type,
                photo_required_on_fail=bool(spec.photo_required_on_fail)
                and spec.answer_type == AnswerType.YES_NO,
                id=spec.id,
            )
        )
    return cleaned


def save_template(
    uow: UnitOfWork,
    *,
    actor: User,
    name: str,
    description: str,
    items: list[ItemSpec],
    template_id: int | None = None,
    version: int | None = None,
    active: bool = True,
) -> ChecklistTemplate:
    """Create or replace a template's items. Items answered in past visits are kept
    (deactivated), so old inspections still show the question they answered."""
    require(actor, "checklist.manage")
    name = clean_text(name, field="name", max_len=100)
    description = clean_text(description, field="description", max_len=500, required=False)
    specs = _clean_items(items)
    s = uow.session
    clash = s.exec(select(ChecklistTemplate.id).where(ChecklistTemplate.name == name)).first()
    if clash is not None and clash != template_id:
        raise Conflict("org.name_taken", name=name)
    if template_id is None:
        template = ChecklistTemplate(name=name, description=description, active=active)
        before = None
    else:
        template = uow.get(ChecklistTemplate, template_id)
        check_version(template.version, version)
        before = audit.state(template)
        template.name, template.description, template.active = name, description, active
        template.version += 1
    s.add(template)
    s.flush()
    existing = {
        i.id: i
        for i in s.exec(
            select(ChecklistItem).where(ChecklistItem.template_id == template.id)
        ).all()
    }
    answered = set(
        s.exec(
            select(ChecklistAnswer.item_id)
            .where(ChecklistAnswer.item_id.in_(list(existing)))
            .distinct()
        ).all()
    ) if existing else set()
    kept: set[int] = set()
    for position, spec in enumerate(specs):
        item = existing.get(spec.id) if spec.id else None
        if item is not None and item.id in answered and _changes_meaning(item, spec):
            # Past answers belong to the question as it was asked: keep that item
            # (inactive) for them and ask the new question as a new item.
            item = None
        if item is None:
            item = ChecklistItem(template_id=template.id)
        item.section, item.text, item.answer_type = spec.section, spec.text, spec.answer_type
        item.photo_required_on_fail = spec.photo_required_on_fail
        item.position, item.active = position, True
        s.add(item)
        if item.id:
            kept.add(item.id)
    for item_id, item in existing.items():
        if item_id not in kept:
            item.active = False
            s.add(item)
    action = "checklist.create" if before is None else "checklist.update"
    audit.record(uow, actor, action, template, before, extra={"items": len(specs)})
    return template


def _changes_meaning(item: ChecklistItem, spec: ItemSpec) -> bool:
    return item.text != spec.text or item.answer_type != spec.answer_type


def items_of_inspection(
    session, template_id: int, inspection_id: int, *, submitted: bool
) -> list[ChecklistItem]:
    """The questions of one visit. A submitted visit keeps the questions it answered, as
    they were asked, whatever the template became; a draft gets the current items (and
    keeps any it answered before they were replaced)."""
    answered = select(ChecklistAnswer.item_id).where(
        ChecklistAnswer.inspection_id == inspection_id
    )
    shown = ChecklistItem.id.in_(answered)
    if not submitted:
        shown = ChecklistItem.active | shown
    return list(
        session.exec(
            select(ChecklistItem)
            .where(ChecklistItem.template_id == template_id, shown)
            .order_by(ChecklistItem.position, ChecklistItem.id)
        ).all()
    )


def suggested_category(item: ChecklistItem) -> str:
    """The finding category a failing item most likely belongs to (the inspector can change
    it): the eight systems have their own; everything else is work discipline."""
    return "eight_systems" if "八项制度" in item.section else "discipline"
