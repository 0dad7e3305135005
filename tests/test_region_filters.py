"""A list's `region=` filter means the region and everything below it, for every list (draws, inspections,
documents): a city's code keeps its counties' rows, another county's code keeps none. (The draws' filter took the
raw code as a prefix and dropped the counties' draws; the documents' matched the code exactly; the inspections'
stripped trailing zeros, so 抚州市 361000 also matched 上饶市's 3611….)"""

import pytest

from anquan.documents import filters as document_filters
from anquan.documents.models import Document
from anquan.inspections import filters as inspection_filters
from anquan.inspections.models import Inspection

from .conftest import login
from .inspections.loopdata import registered, walked

pytestmark = pytest.mark.django_db

CITY, COUNTY, OTHER_COUNTY, OTHER_CITY = "360400", "360402", "360424", "361000"


def test_inspection_and_document_lists_keep_a_citys_counties(world):
    registered(world.chem_t1)
    inspection = walked(world, world.chem_t1)  # completed: its 现场检查记录 is issued by 濂溪区应急管理局
    assert Document.objects.filter(region__code=COUNTY).count() == 1
    for code, expected in ((CITY, 1), (COUNTY, 1), (OTHER_COUNTY, 0), (OTHER_CITY, 0), ("999999", 0)):
        inspections = inspection_filters.apply(Inspection.objects.all(), {"region": code})
        assert [i.pk for i in inspections] == [inspection.pk] * expected, code
        documents = document_filters.apply(Document.objects.all(), {"region": code})
        assert documents.count() == expected, code


def test_the_draws_list_keeps_a_citys_counties(world, api_token):
    from .draws.conftest import new_draft

    class Unit:
        supervisor = world.users["emergency_supervisor"]

    draft = new_draft(Unit)
    assert draft.region_code == COUNTY
    token = api_token("city_office")
    for code, expected in ((CITY, [draft.pk]), (COUNTY, [draft.pk]), (OTHER_COUNTY, [])):
        answer = login(world.users["city_office"]).get(f"/api/v1/random-draws?region={code}", **token)
        assert answer.status_code == 200, answer.content
        assert [d["id"] for d in answer.json()["items"]] == expected, code
