"""Routing suggestion: for a new complaint's text, the three most likely units and the
most likely category, learned from the city's own past complaints. The office always
decides; this only orders the choices.

`train_routing` (`manage.py train-routing`, the office or an administrator) fits a model
on every complaint that has a unit and stores it as a new RoutingModel row with its
held-out scores; `suggest_routing` answers from the newest row, loaded once per process
(retraining makes a new row, so the next suggestion loads that)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlmodel import select

from db.models import Complaint, ComplaintCategory, ComplaintStatus, RoutingModel, Unit, User
from services.complaints import routing_model
from services.complaints.duplicates import normalise
from services.complaints.routing_model import Model, Sample, UnreadableModel
from services.core.errors import ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork

TOP = 3
# Below this many labelled complaints a model would only echo the largest units.
MIN_SAMPLES = 30
NO_MODEL, NO_TEXT, UNREADABLE = "no_model", "no_text", "model_unreadable"


@dataclass(frozen=True)
class UnitGuess:
    unit_id: int
    name: str
    score: float  # the model's probability, 0..1


@dataclass(frozen=True)
class CategoryGuess:
    category_id: int
    name: str
    score: float


@dataclass(frozen=True)
class Routing:
    """`units` is empty when there is nothing to suggest; `reason` then says why
    (NO_MODEL: never trained; NO_TEXT: nothing typed yet; UNREADABLE: the stored model was
    refused)."""

    units: list[UnitGuess] = field(default_factory=list)
    category: CategoryGuess | None = None
    reason: str | None = None
    model_id: int | None = None


def training_samples(uow: UnitOfWork) -> list[Sample]:
    """Complaints whose unit is known: not a linked duplicate (its text repeats the
    original's) and not one sitting returned by the unit it was wrongly sent to."""
    rows = uow.session.exec(
        select(Complaint.content, Complaint.unit_id, Complaint.category_id)
        .where(Complaint.unit_id.is_not(None), Complaint.duplicate_of_id.is_(None),
               Complaint.status != ComplaintStatus.RETURNED)
        .order_by(Complaint.id)
    ).all()
    return [Sample(text, unit_id, category_id) for text, unit_id, category_id in rows]


def train_routing(uow: UnitOfWork, *, actor: User) -> RoutingModel:
    """Fits, scores on a held-out tenth, stores. Refused with fewer than MIN_SAMPLES
    complaints or fewer than two units or categories among them."""
    require(actor, "complaint.routing")
    with uow.early_read() as reader:
        samples = training_samples(reader)
    if (len(samples) < MIN_SAMPLES or len({s.unit_id for s in samples}) < 2
            or len({s.category_id for s in samples}) < 2):
        raise ValidationFailed("complaint_routing.too_few", minimum=MIN_SAMPLES,
                               found=len(samples))
    trained = routing_model.train(samples)
    blob = routing_model.dump(trained.model)
    row = RoutingModel(
        created_by=actor.id, n_samples=len(samples),
        n_units=len(trained.model.unit.classes), n_categories=len(trained.model.category.classes),
        classifier=trained.classifier,
        metrics=trained.scores.as_dict() | {"candidates": trained.candidates},
        model_bytes=blob, sha256=routing_model.digest(blob),
    )
    uow.session.add(row)
    uow.flush()
    # Not audit.record: the row's bytes are no audit material; what it learned from is.
    uow.audit(actor, "routing_model.train", "routing_model", row.id,
              after={"n_samples": row.n_samples, "classifier": row.classifier,
                     "metrics": row.metrics})
    return row


def latest(uow: UnitOfWork) -> RoutingModel | None:
    """The newest stored model's row without its bytes (for a status line)."""
    found = uow.session.exec(
        select(RoutingModel.id).order_by(RoutingModel.id.desc()).limit(1)).first()
    return None if found is None else uow.session.get(RoutingModel, found)


# One model per process, kept under its row id and checksum (ids alone repeat across
# databases, e.g. in tests): a newer row replaces it.
_cache: dict[str, tuple[tuple[int, str], Model]] = {}
_cache_lock = threading.Lock()


def _model(uow: UnitOfWork, key: tuple[int, str]) -> Model:
    cached = _cache.get("model")
    if cached is not None and cached[0] == key:
        return cached[1]
    with _cache_lock:
        cached = _cache.get("model")
        if cached is not None and cached[0] == key:
            return cached[1]
        blob = uow.session.exec(
            select(RoutingModel.model_bytes).where(RoutingModel.id == key[0])).one()
        model = routing_model.load(bytes(blob), key[1])
        _cache["model"] = (key, model)
        return model


def suggest_routing(uow: UnitOfWork, *, actor: User, text: str) -> Routing:
    """The three most likely active units and the most likely active category for `text`."""
    require(actor, "complaint.register")
    s = uow.session
    newest = s.exec(select(RoutingModel.id, RoutingModel.sha256)
                    .order_by(RoutingModel.id.desc()).limit(1)).first()
    if newest is None:
        return Routing(reason=NO_MODEL)
    model_id = newest[0]
    if not normalise(text or ""):
        return Routing(reason=NO_TEXT, model_id=model_id)
    try:
        model = _model(uow, (newest[0], newest[1]))
    except UnreadableModel:
        return Routing(reason=UNREADABLE, model_id=model_id)
    units, categories = model.rank(text)
    # A unit or category retired since training is not offered: the next one is.
    active_units = dict(s.exec(select(Unit.id, Unit.name).where(
        Unit.active, Unit.id.in_([u for u, _ in units[:TOP + 10]]))).all())
    guesses = [UnitGuess(u, active_units[u], round(p, 4)) for u, p in units
               if u in active_units][:TOP]
    active_categories = dict(s.exec(select(ComplaintCategory.id, ComplaintCategory.name)
                                    .where(ComplaintCategory.active)).all())
    category = next((CategoryGuess(c, active_categories[c], round(p, 4))
                     for c, p in categories if c in active_categories), None)
    return Routing(guesses, category, None, model_id)
