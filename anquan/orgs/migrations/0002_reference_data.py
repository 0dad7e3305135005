"""Departments, GB/T 4754-2017 sections, supervision categories and the default 三管三必须 rules."""

from django.db import migrations


def load(apps, schema_editor):
    from anquan.orgs.reference import CATEGORIES, DEPARTMENTS, SECTIONS

    Department = apps.get_model("orgs", "Department")
    Industry = apps.get_model("orgs", "Industry")
    Rule = apps.get_model("orgs", "IndustryDepartmentRule")
    departments = {}
    for order, (code, name, full_name) in enumerate(DEPARTMENTS):
        departments[code], _ = Department.objects.update_or_create(
            code=code, defaults={"name": name, "full_name": full_name, "order": order}
        )
    for order, (letter, name) in enumerate(SECTIONS):
        Industry.objects.update_or_create(
            code=f"gb_{letter.lower()}",
            defaults={"name": f"{letter} {name}", "kind": "section", "gb_section": letter, "order": order},
        )
    for order, (code, name, section, department, high_risk) in enumerate(CATEGORIES):
        industry, _ = Industry.objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": "category", "gb_section": section, "high_risk": high_risk, "order": order},
        )
        Rule.objects.update_or_create(
            region=None, industry=industry, defaults={"department": departments[department], "region_code": ""}
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
