"""Checklist templates are versioned data (issue #13 item 4): seeded from the judgement standards with their
source, never edited in place, and an inspection keeps the version it used."""

import pytest

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.hazards.models import JudgementItem
from anquan.inspections import services, templates
from anquan.inspections.models import ChecklistTemplate

pytestmark = pytest.mark.django_db


def test_seeded_checklists_cite_the_judgement_standard_item_by_item(reference):
    chemical = ChecklistTemplate.objects.get(industry__code="hazardous_chemicals", active=True)
    items = list(chemical.items.all())
    assert chemical.version == 1 and len(items) == 20
    assert all(i.judgement_item_id and "major_hazard_criteria.json" in i.source for i in items)
    assert items[4].basis == "安监总管三〔2017〕121号 第5项"
    assert items[4].text == JudgementItem.objects.get(pk=items[4].judgement_item_id).text
    machinery = ChecklistTemplate.objects.get(industry__code="machinery")
    clauses = {i.basis.split(" ")[1].split("第（")[0] for i in machinery.items.all()}
    assert clauses == {"第三条", "第七条", "第十一条"}


def test_a_new_version_leaves_the_old_one_and_the_inspections_that_used_it(world):
    old = ChecklistTemplate.objects.get(industry__code="hazardous_chemicals", active=True)
    inspector = world.users["inspector"]
    before = services.create({"enterprise": world.chem_t1.uscc, "planned_on": "2026-12-01"}, actor=inspector)
    kept = [i.text for i in old.items.all()]
    new = templates.new_version(
        old,
        [{"text": "储罐区可燃气体报警器是否定期检定", "basis": "GB/T 50493-2019 第3.0.1条"}],
        actor=world.users["province_office"],
    )
    old.refresh_from_db()
    assert (new.version, new.active, old.active) == (2, True, False)
    assert [i.text for i in old.items.all()] == kept  # the old version as it was
    assert before.template_id == old.pk and before.items.count() == 20
    after = services.create({"enterprise": world.chem_t1.uscc, "planned_on": "2026-12-02"}, actor=inspector)
    assert after.template_id == new.pk and [i.text for i in after.items.all()] == [
        "储罐区可燃气体报警器是否定期检定"
    ]
    with pytest.raises(ValidationFailed) as refused:
        templates.new_version(new, [], actor=world.users["province_office"])
    assert refused.value.errors[0].field == "items"
    # an inspector uses templates but does not make them (one template serves every county)
    with pytest.raises(NotPermitted):
        templates.new_version(new, [{"text": "临时检查项"}], actor=inspector)
    assert ChecklistTemplate.objects.filter(industry__code="hazardous_chemicals").count() == 2
