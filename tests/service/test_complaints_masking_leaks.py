"""Attack: the masks must hide the complainant from every role but office/admin."""

from __future__ import annotations

import re

import pytest

from db.models import Role
from services.complaints import masking, queries, workflow
from tests.factories import make_complaint, make_district, make_unit


@pytest.fixture
def setup(uow, admin, office, make_user):
    xg = make_district(uow, actor=admin, name="雄关区")
    power = make_unit(uow, actor=admin, name="峪泉供电所", district=xg)
    liaison = make_user("liaison_power", Role.UNIT, unit_id=power.id)
    return office, power, liaison


@pytest.mark.parametrize("phone", ["6221234", "62211234"])  # local landline numbers
def test_a_short_landline_number_is_not_revealed_to_the_unit(uow, setup, phone):
    office, power, liaison = setup
    c = make_complaint(uow, office=office, unit=power, phone=phone)
    uow.run(workflow.assign, actor=office, complaint_id=c.id, version=None, unit_id=power.id)
    shown = uow.query(queries.get_complaint, actor=liaison, complaint_id=c.id).row.identity
    visible_digits = re.sub(r"\D", "", shown.phone)
    # at least 4 digits must stay hidden (as for a mobile number)
    assert len(phone) - len(visible_digits) >= 4, shown.phone


@pytest.mark.parametrize("address", [
    "新华路88号幸福小区3栋201",      # no district prefix; 小区 ends with 区
    "建设西路阳光社区5号楼2单元",    # 社区
    "迎宾东路12号金港湾小区",
])
def test_an_address_is_cut_to_the_district_not_to_the_housing_estate(address):
    masked = masking.mask_address(address)
    assert "号" not in masked and "路" not in masked, masked
