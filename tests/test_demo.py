"""`anquan demo` (the README's first command) builds a working dataset with a login per role."""

import pytest
from django.core.management import call_command
from django.test import Client

from anquan.accidents.models import Accident
from anquan.core.audit import verify
from anquan.enterprises import uscc
from anquan.enterprises.models import Enterprise
from anquan.hazards.models import Hazard


@pytest.mark.django_db
def test_demo_builds_jiujiang_with_logins(reference, capsys):
    call_command("demo", enterprises=300, hazards=40, accidents_per_year=12)
    out = capsys.readouterr().out
    assert "Anquan@2026" in out and "lianxi_yjj" in out
    assert Enterprise.objects.filter(region_code__startswith="3604").count() == 301
    assert all(uscc.validate(code) is None for code in Enterprise.objects.values_list("uscc", flat=True))
    assert Hazard.objects.count() == 40 and Accident.objects.count() > 10
    assert verify().ok
    client = Client()
    assert client.post("/login/", {"username": "lianxi", "password": "Anquan@2026"}).status_code == 302
    home = client.get("/").content.decode()
    assert "濂溪区" in home and "未销号隐患" in home
    call_command("demo", enterprises=300)  # running it again changes nothing
    assert Enterprise.objects.count() == 301
