"""Plausible generated enterprise names, addresses, people and valid credit codes (demo and bench data)."""

import random

from anquan.enterprises import uscc

WORDS = (
    "恒达 鑫源 华泰 永盛 金鹏 宏发 正邦 瑞丰 兴旺 万通 天成 博远 德润 安泰 润达 汇丰 昌盛 鼎新 联创 顺发 "
    "新锐 佳和 广源 长青 东方 明珠 百川 星火 嘉禾 凯旋 晨光 中兴 宇通 同心 富康 盛世 海川 华鑫 九州 庐峰"
).split()
SUFFIX = {
    "hazardous_chemicals": ["化工", "化学", "精细化工", "新材料"],
    "coal_mine": ["煤业", "煤矿"],
    "non_coal_mine": ["矿业", "石业", "采石场"],
    "fireworks": ["烟花爆竹", "花炮"],
    "metallurgy": ["钢铁", "冶金", "特钢"],
    "nonferrous": ["铜业", "有色金属", "铝业"],
    "building_materials": ["建材", "水泥", "陶瓷"],
    "machinery": ["机械", "机电", "汽车零部件", "电子科技"],
    "light_industry": ["食品", "家具", "纸业", "塑业"],
    "textile": ["纺织", "服饰", "棉纺"],
    "commerce_trade": ["商贸", "超市", "物资"],
    "construction": ["建筑工程", "建设", "路桥工程"],
    "road_transport": ["运输", "物流", "客运"],
    "waterway_transport": ["船务", "航运"],
    "gas": ["燃气", "液化气"],
    "special_equipment": ["电梯", "锅炉", "起重设备"],
    "tourism": ["旅游开发", "景区管理"],
    "culture_entertainment": ["文化娱乐", "影城"],
    "fire_key_unit": ["商业广场", "酒店"],
}
FORMS = ["有限公司", "有限责任公司", "股份有限公司"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程魏苏吕丁任沈姚卢熊"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌辉玲萍鹏飞琴云龙海燕兵"
ROADS = [
    "人民路",
    "建设路",
    "滨江路",
    "长江大道",
    "工业大道",
    "浔阳路",
    "庐山南路",
    "九龙街",
    "化工园路",
    "高新大道",
]
BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def phone(rng: random.Random) -> str:
    return "1" + rng.choice("35789") + "".join(rng.choice("0123456789") for _ in range(9))


def credit_code(rng: random.Random, county_code: str) -> str:
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    return uscc.make("91", county_code[:6], body)


def enterprise_name(rng: random.Random, place: str, industry_code: str) -> str:
    suffix = rng.choice(SUFFIX.get(industry_code, ["实业"]))
    prefix = place if rng.random() < 0.6 else "江西"
    return f"{prefix}{rng.choice(WORDS)}{suffix}{rng.choice(FORMS)}"


def address(rng: random.Random, region_full_name: str) -> str:
    return f"{region_full_name}{rng.choice(ROADS)}{rng.randint(1, 999)}号"
