"""A list applied with names still flagged: the office maps a name on a task's page, and every line of the campaign
naming it gains its sub-task (audited, remembered); bad choices are refused under their field; another county
cannot reach the form."""

import pytest

from anquan.campaigns.choices import UnitKind
from anquan.campaigns.importing import services
from anquan.campaigns.models import Task, TaskUnit, UnitAlias
from anquan.core.models import AuditEntry
from anquan.orgs.models import Department

from ..conftest import login
from .import_fixtures import gaoan_fixture, seed_text  # noqa: F401

pytestmark = pytest.mark.django_db


def _applied(gaoan):
    campaign, office = gaoan
    services.apply(services.preview_text(campaign, seed_text(), actor=office), actor=office)
    return campaign, office


def _lines_naming(campaign, text):
    return sorted(
        TaskUnit.objects.filter(task__campaign=campaign, task__parent=None, text=text).values_list(
            "task__number", flat=True
        ),
        key=int,
    )


def test_a_flagged_name_is_mapped_on_the_task_page_for_every_line(gaoan):
    campaign, office = _applied(gaoan)
    assert _lines_naming(campaign, "市消防救援队") == ["10", "14"]
    line = Task.objects.get(campaign=campaign, parent=None, number="10")
    client = login(office)
    page = client.get(f"/campaigns/tasks/{line.pk}/").content.decode()
    assert 'data-testid="flagged-units"' in page and "市消防救援队" in page
    url = f"/campaigns/tasks/{line.pk}/map-unit/"

    refused = client.post(url, {"text": "市消防救援队", "kind": "department", "department": ""})
    assert refused.status_code == 422
    assert (
        'data-testid="error-department"' in refused.content.decode()
        and "请选择部门" in refused.content.decode()
    )
    assert not Task.objects.filter(
        campaign=campaign, parent__number="10", unit_label__contains="消防"
    ).exists()

    fire = Department.objects.get(name="消防救援")
    done = client.post(url, {"text": "市消防救援队", "kind": "department", "department": str(fire.pk)})
    assert done.status_code == 302
    for number in ("10", "14"):  # both lines naming it now carry a sub-task of the city's 消防救援
        assert Task.objects.filter(
            campaign=campaign,
            parent__number=number,
            parent__parent=None,
            department=fire,
            region=campaign.region,
        ).exists()
    assert not TaskUnit.objects.filter(
        task__campaign=campaign, text="市消防救援队", kind=UnitKind.UNRECOGNISED
    )
    assert UnitAlias.objects.filter(
        region_code=campaign.region_code, text="市消防救援队", department=fire
    ).exists()
    assert AuditEntry.objects.filter(model="campaigns.taskunit", comment="确认单位").count() == 2
    assert (
        'data-testid="flagged-unit">市消防救援队<'
        not in client.get(f"/campaigns/tasks/{line.pk}/").content.decode()
    )


def test_a_name_kept_as_text_is_no_longer_flagged_and_another_county_gets_404(gaoan, world):
    campaign, office = _applied(gaoan)
    line = Task.objects.get(campaign=campaign, parent=None, number="1")
    url = f"/campaigns/tasks/{line.pk}/map-unit/"
    other = login(world.users["county_office_b"])
    assert other.post(url, {"text": "市委宣传部", "kind": "text_only"}).status_code == 404
    client = login(office)
    assert client.post(url, {"text": "市委宣传部", "kind": "text_only"}).status_code == 302
    assert (
        'data-testid="flagged-unit">市委宣传部<'
        not in client.get(f"/campaigns/tasks/{line.pk}/").content.decode()
    )
    assert TaskUnit.objects.get(task=line, text="市委宣传部").kind == UnitKind.UNRECOGNISED  # kept, as text
    unknown = client.post(url, {"text": "不在本任务的单位", "kind": "text_only"})
    assert unknown.status_code == 422 and "本任务没有待确认的这个单位名称" in unknown.content.decode()
