"""The list's count stops past a cap ("10,000+") and is exact below it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from db.timeutil import utcnow
from services.complaints import queries
from services.complaints.queries import Filters
from tests.factories import make_complaint


@pytest.fixture
def five(uow, office):
    for i in range(5):
        make_complaint(uow, office=office, received_at=utcnow() - timedelta(hours=i + 1),
                       channel="letter" if i < 2 else "phone")


@pytest.mark.parametrize(("filters", "cap", "expected"), [
    (Filters(), None, 5),
    (Filters(), 10, 5),
    (Filters(), 5, 5),
    (Filters(), 3, 4),  # "more than 3"
    (Filters(channel="letter"), 1, 2),
    (Filters(channel="letter"), 2, 2),
    (Filters(channel="visit"), 3, 0),
])
def test_a_capped_count_is_exact_up_to_the_cap(uow, office, five, filters, cap, expected):
    assert uow.query(queries.count_complaints, actor=office, filters=filters,
                     cap=cap) == expected
