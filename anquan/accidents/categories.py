"""Loading GB 6441 categories (both editions) and the 2025 → 1986 statistical mapping (unverified, editable)."""

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


def load(apps) -> None:
    Category = apps.get_model("accidents", "AccidentCategory")
    data = json.loads((DATA / "gb6441_categories.json").read_text(encoding="utf-8"))
    mapping = json.loads((DATA / "category_mapping.json").read_text(encoding="utf-8"))["map_2025_to_1986"]
    old = {}
    for row in data["gb6441_1986"]["categories"]:
        old[row["code"]], _ = Category.objects.update_or_create(
            edition="1986", code=row["code"], defaults={"name": row["name"], "order": row["no"]}
        )
    for row in data["gb6441_2025"]["basic_types"]:
        Category.objects.update_or_create(
            edition="2025",
            code=row["code"],
            defaults={"name": row["name"], "order": row["no"], "maps_to": old[mapping[row["code"]]]},
        )
