"""Loading the official major-hazard judgement standards (重大事故隐患判定标准) as versioned data.

Source: shared/reference/data/major_hazard_criteria.json, copied to data/ with its citations and
verification marks. Only text that was actually obtained is loaded; where the reference has a gap
(e.g. GB 35181-2025's clauses), the standard is present with a note and no items, and a major
hazard under it must state its basis in words.
"""

import json
from pathlib import Path

DATA = Path(__file__).parent / "data" / "major_hazard_criteria.json"
CN = "一二三四五六七八九十"

STANDARDS = {
    # key in the JSON: (code, version, document number, effective, verified as marked in shared/reference, industries)
    "chemical": ("chemical", "2017", "安监总管三〔2017〕121号", "2017-11-13", "yes", ["hazardous_chemicals"]),
    "fireworks": ("fireworks", "2017", "安监总管三〔2017〕121号", "2017-11-13", "partial", ["fireworks"]),
    "industry_trade": (
        "industry_trade",
        "2023",
        "应急管理部令第10号",
        "2023-05-15",
        "partial",
        [
            "metallurgy",
            "nonferrous",
            "building_materials",
            "machinery",
            "light_industry",
            "textile",
            "tobacco",
            "commerce_trade",
        ],
    ),
    "fire": ("fire", "2025", "GB 35181-2025", "2025-11-01", "no", ["fire_key_unit", "small_venue"]),
}


def load(apps) -> None:
    Standard = apps.get_model("hazards", "JudgementStandard")
    Item = apps.get_model("hazards", "JudgementItem")
    Industry = apps.get_model("orgs", "Industry")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for key, (code, version, doc_no, effective, verified, industries) in STANDARDS.items():
        entry = data[key]
        note = entry.get("note") or entry.get("gap") or ""
        if key == "industry_trade":
            note = f"{entry['scope']} 第十四条：{entry['article_14']} 未取得原文的条款未收录。"
        standard, _ = Standard.objects.update_or_create(
            code=code,
            version=version,
            defaults={
                "title": entry["title"].removeprefix(doc_no).strip(),
                "doc_no": doc_no,
                "effective": effective,
                "verified": verified,
                "note": note,
            },
        )
        standard.industries.set(Industry.objects.filter(code__in=industries))
        Item.objects.filter(standard=standard).delete()
        rows = []
        if key == "industry_trade":
            for article in entry["articles"]:
                for n, text in enumerate(article["items"], start=1):
                    rows.append((f"{article['article']}第（{CN[n - 1]}）项", article["applies_to"], text))
        else:
            rows = [(f"第{item['no']}项", "", item["text"]) for item in entry.get("items", [])]
        Item.objects.bulk_create(
            Item(standard=standard, clause=clause, applies_to=applies_to, text=text, order=order)
            for order, (clause, applies_to, text) in enumerate(rows)
        )
