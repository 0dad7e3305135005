"""The 九小 fire-safety checklist as versioned rule data (anquan.rules, docs/adr/0022-versioned-rule-data.md).

The reference (README-wave2 §C2, small_venues_fire.json) holds the nine kinds (common usage, no national
definition: partial), the check frequencies of 公安部令第61号 (verified: monthly fire check art. 26; every two
hours while a crowded venue is open, art. 25) and the 2024 campaign's topics (消防安全管理、疏散、装修、消防设施
器材、电气、用火用气、初期火灾处置、电动自行车). No national or Jiangxi checklist for the nine kinds was found: the
items below are composed from those topics and the version says so (not_found); a province adds its own."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from anquan.rules.registry import Default, RuleKind, register

from .choices import VenueKind

KIND = "venues.checklist"
CODE = r"^[a-z][a-z0-9_]{1,31}$"


class Item(BaseModel):
    code: str = Field(title="代码", pattern=CODE, json_schema_extra={"hidden": True})  # internal: not shown
    text: str = Field(title="检查内容", min_length=2, max_length=200)


class KindItems(BaseModel):
    kind: VenueKind = Field(title="场所类别")
    items: list[Item] = Field(title="增加的检查项", max_length=40)


class VenueChecklist(BaseModel):
    common: list[Item] = Field(title="各类场所通用项", min_length=1, max_length=40)
    by_kind: list[KindItems] = Field(title="按场所类别增加的项", max_length=len(VenueKind))


def _items(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"code": code, "text": text} for code, text in pairs]


COMMON = _items(
    ("management", "明确消防安全责任人，每月至少开展一次防火检查并记录"),
    ("exits", "安全出口、疏散通道畅通，未被占用、堵塞、封闭"),
    ("windows", "门窗未设置影响逃生和灭火救援的铁栅栏、广告牌等障碍物"),
    ("extinguishers", "灭火器配置到位、在有效期内，放在明显、便于取用的位置"),
    ("lighting", "应急照明、疏散指示标志完好有效"),
    ("electric", "电气线路穿管保护，无私拉乱接、超负荷用电"),
    ("ebike", "电动自行车及其蓄电池不在室内、楼梯间、疏散通道停放或充电"),
    ("decoration", "未使用易燃可燃材料装修或搭建"),
    ("living", "经营场所内不住人，或住人部分与经营部分有防火分隔（不“三合一”）"),
    ("gas", "用火用气安全：燃气管线、阀门完好，用气场所安装可燃气体泄漏报警装置"),
    ("first_response", "从业人员会报火警、会使用灭火器、会组织疏散逃生"),
)

BY_KIND = {
    VenueKind.SHOP: _items(("stock", "商品堆放不影响疏散，与照明灯具、电气设备保持安全距离")),
    VenueKind.SMALL_HOTEL: _items(
        ("room_map", "客房内张贴疏散示意图"),
        ("night_patrol", "夜间安排人员值班并防火巡查"),
    ),
    VenueKind.SMALL_SCHOOL: _items(
        ("night_patrol", "寄宿学生宿舍、托幼场所加强夜间防火巡查"),
        ("kitchen", "厨房与教学、住宿用房有防火分隔"),
    ),
    VenueKind.SMALL_CLINIC: _items(
        ("night_patrol", "病房加强夜间防火巡查"),
        ("oxygen", "氧气瓶等固定存放，远离火源、热源"),
    ),
    VenueKind.INTERNET_CAFE: _items(
        ("patrol_2h", "营业期间至少每2小时防火巡查一次"),
        ("no_smoking", "场所内禁止吸烟并有明显标识"),
    ),
    VenueKind.SMALL_RESTAURANT: _items(
        ("flue", "厨房排油烟管道定期清洗"),
        ("lpg", "液化石油气钢瓶不在地下室、半地下室存放使用，软管无老化"),
    ),
    VenueKind.SMALL_ENTERTAINMENT: _items(
        ("patrol_2h", "营业期间至少每2小时防火巡查一次"),
        ("closing", "营业结束时检查现场，消除遗留火种"),
    ),
    VenueKind.SMALL_BATH_BEAUTY: _items(
        ("heaters", "电热、桑拿等发热设备有人看管，与可燃物保持安全距离"),
        ("patrol_2h", "营业期间至少每2小时防火巡查一次"),
    ),
    VenueKind.SMALL_WORKSHOP: _items(
        ("three_in_one", "生产、储存、住宿未设在同一建筑物内"),
        ("flammables", "易燃易爆物品单独存放，数量不超过一天用量"),
    ),
}


def register_kinds() -> None:
    register(
        RuleKind(
            key=KIND,
            label="九小场所消防安全检查项",
            schema=VenueChecklist,
            description="网格员巡查和业主每月自查时逐项回答“是/否”的检查内容（按场所类别）",
            value_labels={k.value: k.label for k in VenueKind},
            defaults=[
                Default(
                    effective_from=dt.date(2024, 1, 1),
                    values={
                        "common": COMMON,
                        "by_kind": [{"kind": k.value, "items": v} for k, v in BY_KIND.items()],
                    },
                    source=(
                        "按2024年“九小场所”消防安全整治的检查方面（消防安全管理、疏散、装修、消防设施器材、电气、"
                        "用火用气、初期火灾处置、电动自行车）和公安部令第61号第二十五、二十六条整理"
                    ),
                    verified="not_found",
                    note="未找到国家或江西省的“九小场所”检查表；“九小场所”的范围只有问答类网页的通行说法。"
                    "各项为整理稿，请向江西省消防救援总队核实后由省安委办添加本省版本",
                ),
            ],
        )
    )
