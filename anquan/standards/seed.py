"""Loading the risk reference data into the database (called by the former risk app's migration
0002_reference_data, under the label the models then had, and by the test set-up).

Band tables: the national defaults of data/default_band_tables.json as version 1 (LEC from
lec.json's four_color_common, LS from ls_matrix.json's first observed variant, marked unverified).
Substance categories: data/substance_categories.json, cited entries only. Idempotent.
"""

import json

from django.apps.registry import Apps

from .assessment import DATA, FACTORS, default_factors, default_table_specs


def load(apps: Apps, app_label: str = "standards") -> None:
    Table = apps.get_model(app_label, "RiskBandTable")
    FactorValue = apps.get_model(app_label, "RiskFactorValue")
    Band = apps.get_model(app_label, "RiskBand")
    SubstanceCategory = apps.get_model(app_label, "SubstanceCategory")
    data = json.loads((DATA / "default_band_tables.json").read_text(encoding="utf-8"))
    for spec in default_table_specs():
        table, created = Table.objects.get_or_create(
            method=spec["method"],
            region_code="",
            version=1,
            defaults={
                "code": spec["code"],
                "name": spec["name"],
                "source": spec["source"],
                "verified": spec["verified"],
                "verification_note": spec["verification_note"],
                "endpoint_convention": data["endpoint_convention"],
                "active": not Table.objects.filter(
                    method=spec["method"], region_code="", active=True
                ).exists(),
                "comment": "初始数据（迁移 risk.0002_reference_data）",
            },
        )
        if not created:
            continue
        factors = default_factors(spec["method"])
        FactorValue.objects.bulk_create(
            FactorValue(table=table, factor=f, value=v.value, label=v.label, order=order)
            for f in FACTORS[spec["method"]]
            for order, v in enumerate(factors[f])
        )
        Band.objects.bulk_create(
            Band(
                table=table,
                order=order,
                min_score=b["min"],
                max_score=b["max"],
                level=b["level"],
                label=b["label"],
            )
            for order, b in enumerate(spec["bands"])
        )
    categories = json.loads((DATA / "substance_categories.json").read_text(encoding="utf-8"))
    for row in categories["rows"]:
        SubstanceCategory.objects.update_or_create(
            table1_no=row["table1_no"],
            defaults={
                "name": row["name"],
                "cas": row["cas"] or "",
                "categories": row["categories"],
                "source": row["source"],
                "verified": row["verified"],
                "note": row["note"],
            },
        )
