"""Pages of hazards, accidents, bulletins and regions answer out-of-range input with a message, never a 500
(issue #9 item 3)."""

import pytest

from anquan.regions.models import Grid

from .conftest import login

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def test_out_of_range_years_and_grades_on_list_pages(world):
    client = login(world.users["county_office"])
    register = client.get(f"/accidents/?year={HUGE}")
    assert register.status_code == 200 and "请填写1949年至明年之间的年份" in register.content.decode()
    assert "事故等级无效" in client.get("/accidents/?grade=huge").content.decode()
    assert client.get(f"/bulletins/?year={HUGE}").status_code == 200
    assert client.get("/accidents/?year=2026").status_code == 200


def test_a_grid_name_past_its_limit_is_refused_with_a_message(world):
    client = login(world.users["county_office"])
    response = client.post(f"/regions/{world.t1.code}/grids/", {"name": "网" * 10_000}, follow=True)
    assert response.status_code == 200 and "网格名称不能超过100个字符" in response.content.decode()
    assert not Grid.objects.exists()
