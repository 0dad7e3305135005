from anquan.riskpoints import services as points


def new_point(world, actor=None, **extra):
    raw = {
        "enterprise": world.chem_t1.uscc,
        "name": "液氯储罐区",
        "kind": "installation",
        "location": "厂区东侧",
        "factor_kinds": ["object", "management"],
        "accident_categories": ["WSA10009"],
        "responsible_person": "张三",
        **extra,
    }
    return points.create_point(raw, actor=actor or world.users["enterprise_manager"])


REFERENCE_INSTALLATION = {
    "name": "液氯液氨储存单元",
    "unit_type": "storage",
    "exposed_persons": 60,
    "substances": [{"name": "氯", "quantity_t": "3"}, {"name": "氨", "quantity_t": "6"}],
    "principal_name": "王五",
    "principal_phone": "13800000001",
    "technical_name": "赵六",
    "technical_phone": "13800000002",
    "operational_name": "钱七",
    "operational_phone": "13800000003",
}


def assessed_point(world, enterprise, factors: dict, actor: str = "county_office"):
    """A new risk point of `enterprise` assessed by LS with `factors` ({"l": …, "s": …}) as persona `actor`."""
    point = points.create_point(
        {
            "enterprise": enterprise.uscc,
            "name": "罐区",
            "kind": "installation",
            "factor_kinds": ["object"],
            "accident_categories": ["WSA10009"],
        },
        actor=world.users[actor],
    )
    points.assess(point, {"method": "LS", **factors}, actor=world.users[actor])
    return point
