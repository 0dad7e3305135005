"""One rule for who may be named on a case, from the new-case form to the assignment step: the officers of the
issuing unit, i.e. the department in exactly the unit's region (the 执法主体). An inspector of the same department
one level down is offered nowhere and accepted nowhere."""

import pytest

from anquan.cases import actions, services
from anquan.core.errors import ValidationFailed

from ..conftest import PASSWORD, login

pytestmark = pytest.mark.django_db


def test_the_form_offers_exactly_whom_the_assignment_accepts(team):
    """A case of 九江市应急管理局 (a city unit): the county bureau's inspector lies in the city's region subtree
    but is another 执法主体 — not offered on the form, refused at assignment; the city's own officers are both."""
    from anquan.accounts.services import create_user

    city = {}
    for name, role in (
        ("city_inspector", "inspector"),
        ("city_inspector2", "inspector"),
        ("city_head", "department_supervisor"),
    ):
        city[name] = create_user(
            actor=None,
            username=name,
            role=role,
            password=PASSWORD,
            region_code="360400",
            department_name="应急管理局",
        )
    form = login(city["city_inspector"]).get("/cases/new/").content.decode()
    assert 'value="city_inspector2"' in form and 'value="inspector"' not in form
    case = services.open_case(
        {"enterprise": team.chem_t1.uscc, "source": "inspection", "facts": "未按规定检测"},
        actor=city["city_inspector"],
    )
    page = login(city["city_head"]).get(f"/cases/{case.pk}/").content.decode()
    assert 'value="city_inspector2"' in page and 'value="inspector"' not in page
    with pytest.raises(ValidationFailed) as refused:
        actions.transition(
            case, "assign", actor=city["city_head"], investigators=["city_inspector", "inspector"]
        )
    assert refused.value.errors[0].message == "不是本执法部门的执法人员：inspector"
    case = actions.transition(
        case, "assign", actor=city["city_head"], investigators=["city_inspector", "city_inspector2"]
    )
    assert sorted(case.investigators.values_list("username", flat=True)) == [
        "city_inspector",
        "city_inspector2",
    ]
