"""Plausible generated enterprises and grids for the demo (`anquan demo`) and the benchmarks (`bench/`)."""

from __future__ import annotations

import random
from decimal import Decimal

from anquan.demo import names
from anquan.enterprises.choices import KeySupervisionLevel, StandardizationGrade, Status
from anquan.enterprises.choices import Scale as SizeClass
from anquan.enterprises.models import Enterprise, pinyin_initials
from anquan.orgs.models import Department, Industry, IndustryDepartmentRule, department_for_industry
from anquan.regions.models import Grid, Region

# (weight, industry code): the mix of industries among generated enterprises
MIX = [
    (10, "hazardous_chemicals"),
    (2, "non_coal_mine"),
    (2, "fireworks"),
    (3, "metallurgy"),
    (2, "nonferrous"),
    (6, "building_materials"),
    (12, "machinery"),
    (10, "light_industry"),
    (5, "textile"),
    (12, "commerce_trade"),
    (9, "construction"),
    (6, "road_transport"),
    (2, "waterway_transport"),
    (2, "gas"),
    (4, "special_equipment"),
    (2, "tourism"),
    (3, "culture_entertainment"),
    (4, "fire_key_unit"),
    (1, "coal_mine"),
]
JIANGXI_BBOX = (24.5, 30.1, 113.6, 118.5)  # latitude and longitude ranges of Jiangxi


def short_place(region: Region) -> str:
    """The place word that starts many enterprise names: "濂溪区" → "濂溪", "瑞昌市" → "瑞昌"."""
    return region.name.removesuffix("区").removesuffix("县").removesuffix("市")[:2]


def create_grids(
    townships: list[Region], rng: random.Random, per_township: tuple[int, int] = (2, 4)
) -> dict[str, list[Grid]]:
    low, high = per_township
    Grid.objects.bulk_create(
        [
            Grid(
                region=town, region_code=town.code, code=f"{town.code}G{n:03d}", name=f"{town.name}第{n}网格"
            )
            for town in townships
            for n in range(1, rng.randint(low, high) + 1)
        ],
        batch_size=2000,
    )
    by_township: dict[str, list[Grid]] = {}
    for grid in Grid.objects.filter(region__in=townships):
        by_township.setdefault(grid.region_code, []).append(grid)
    return by_township


class EnterpriseFactory:
    """Plausible enterprises with unique names and credit codes; departments by 三管三必须."""

    def __init__(self, rng: random.Random, grids: dict[str, list[Grid]], bbox=JIANGXI_BBOX) -> None:
        self.rng = rng
        self.grids = grids
        self.bbox = bbox
        self.industries = {i.code: i for i in Industry.objects.filter(kind="category")}
        self.codes = [code for _, code in MIX]
        self.weights = [weight for weight, _ in MIX]
        self.departments: dict[tuple[int, str], Department | None] = {}
        self.rule_prefixes = {rule.prefix for rule in IndustryDepartmentRule.objects.select_related("region")}
        self.names: set[str] = set()
        self.usccs: set[str] = set()

    def department(self, industry: Industry, town: Region) -> Department | None:
        # Cached per (industry, township), where townships under the same most specific rule region share
        # an entry: the answer is the same, and it saves ~33,000 look-ups at province scale.
        rule_region = max((p for p in self.rule_prefixes if town.code.startswith(p)), key=len, default="")
        key = (industry.pk, rule_region)
        if key not in self.departments:
            self.departments[key] = department_for_industry(industry, town.code)
        return self.departments[key]

    def name(self, county: Region, town: Region, industry_code: str) -> str:
        # The demo vocabulary runs short for ~1,000 enterprises per county: add the township, then a word.
        for attempt in range(200):
            place = short_place(county)
            if attempt >= 10:
                place += short_place(town)
            if attempt >= 50:
                place += self.rng.choice(names.WORDS)
            name = names.enterprise_name(self.rng, place, industry_code)
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError(f"no unused enterprise name left in {town.full_name}")

    def uscc(self, county: Region) -> str:
        code = names.credit_code(self.rng, county.code)
        while code in self.usccs:
            code = names.credit_code(self.rng, county.code)
        self.usccs.add(code)
        return code

    def make(self, town: Region) -> Enterprise:
        rng = self.rng
        county = town.parent
        industry = self.industries[rng.choices(self.codes, self.weights)[0]]
        name = self.name(county, town, industry.code)
        employees = int(rng.lognormvariate(3.3, 1.1)) + 3
        key_supervision = industry.high_risk and rng.random() < 0.35
        return Enterprise(
            name=name,
            name_initials=pinyin_initials(name),
            uscc=self.uscc(county),
            address=names.address(rng, town.full_name),
            region=town,
            region_code=town.code,
            grid=rng.choice(self.grids.get(town.code) or [None]),
            latitude=Decimal(f"{self.bbox[0] + rng.random() * (self.bbox[1] - self.bbox[0]):.6f}"),
            longitude=Decimal(f"{self.bbox[2] + rng.random() * (self.bbox[3] - self.bbox[2]):.6f}"),
            industry=industry,
            scale=SizeClass.ABOVE if employees > 80 else SizeClass.BELOW,
            employee_count=employees,
            legal_representative=names.person(rng),
            principal_name=names.person(rng),
            principal_phone=names.phone(rng),
            safety_manager_name=names.person(rng),
            safety_manager_phone=names.phone(rng),
            standardization_grade=rng.choices(
                [
                    StandardizationGrade.NONE,
                    StandardizationGrade.LEVEL3,
                    StandardizationGrade.LEVEL2,
                    StandardizationGrade.LEVEL1,
                ],
                [50, 35, 12, 3],
            )[0],
            key_supervision=key_supervision,
            key_supervision_level=rng.choice([KeySupervisionLevel.CITY, KeySupervisionLevel.COUNTY])
            if key_supervision
            else "",
            status=rng.choices([Status.OPERATING, Status.SUSPENDED, Status.CLOSED], [92, 5, 3])[0],
            territorial_region=county if rng.random() < 0.3 else town,
            supervising_department=self.department(industry, town),
        )
