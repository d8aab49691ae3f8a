"""Attack: the list opens ?id=<digits> from the URL (views/complaints/listing.py: any
str.isdigit() value) and asks get_complaint for it. A number past 64 bits is not a
"no such complaint" message but an exception from the database driver (a traceback on
the page on SQLite; PostgreSQL compares it as numeric)."""

from __future__ import annotations

import pytest

from services.complaints import queries
from services.core.errors import NotFound


@pytest.mark.parametrize("wanted", [2**31, 2**63, 10**30])
def test_a_huge_id_from_the_url_is_just_not_found(uow, office, wanted):
    with pytest.raises(NotFound):
        uow.query(queries.get_complaint, actor=office, complaint_id=wanted)
