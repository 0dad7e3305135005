"""Reference vocabularies loaded into every database by migration 0002.

GB/T 4754-2017 sections A–T (verified, shared/reference/data/industries.json) and the supervision
categories the seeds use. Which department supervises which category (三管三必须) is only the
province-wide default here: offices edit it per region in the UI, with every change audited.
"""

DEPARTMENTS = [
    # code, short name (natural key in the API), full name
    ("emergency", "应急管理局", "应急管理局"),
    ("housing", "住建局", "住房和城乡建设局"),
    ("transport", "交通运输局", "交通运输局"),
    ("fire_rescue", "消防救援", "消防救援机构"),
    ("market", "市场监管局", "市场监督管理局"),
    ("industry_it", "工信局", "工业和信息化局"),
    ("traffic_police", "公安交警", "公安局交通警察大队"),
    ("urban_management", "城管局", "城市管理局"),
    ("commerce", "商务局", "商务局"),
    ("culture_tourism", "文广新旅局", "文化广电新闻出版旅游局"),
    ("agriculture", "农业农村局", "农业农村局"),
    ("water", "水利局", "水利局"),
    ("education", "教体局", "教育体育局"),
    ("health", "卫健委", "卫生健康委员会"),
    ("public_security", "公安局", "公安局"),
    ("natural_resources", "自然资源局", "自然资源局"),
]

# GB/T 4754-2017 门类
SECTIONS = [
    ("A", "农、林、牧、渔业"),
    ("B", "采矿业"),
    ("C", "制造业"),
    ("D", "电力、热力、燃气及水生产和供应业"),
    ("E", "建筑业"),
    ("F", "批发和零售业"),
    ("G", "交通运输、仓储和邮政业"),
    ("H", "住宿和餐饮业"),
    ("I", "信息传输、软件和信息技术服务业"),
    ("J", "金融业"),
    ("K", "房地产业"),
    ("L", "租赁和商务服务业"),
    ("M", "科学研究和技术服务业"),
    ("N", "水利、环境和公共设施管理业"),
    ("O", "居民服务、修理和其他服务业"),
    ("P", "教育"),
    ("Q", "卫生和社会工作"),
    ("R", "文化、体育和娱乐业"),
    ("S", "公共管理、社会保障和社会组织"),
    ("T", "国际组织"),
]

# Supervision categories: code, name, GB/T 4754 section, default department code, high-risk
# (high-risk per Work Safety Law art. 24/27: mines, metal smelting, construction, transport, dangerous goods)
CATEGORIES = [
    ("hazardous_chemicals", "危险化学品", "C", "emergency", True),
    ("coal_mine", "煤矿", "B", "emergency", True),
    ("non_coal_mine", "非煤矿山", "B", "emergency", True),
    ("fireworks", "烟花爆竹", "C", "emergency", True),
    ("civil_explosives", "民用爆炸物品", "C", "industry_it", True),
    ("metallurgy", "冶金", "C", "emergency", True),
    ("nonferrous", "有色", "C", "emergency", True),
    ("building_materials", "建材", "C", "emergency", False),
    ("machinery", "机械", "C", "emergency", False),
    ("light_industry", "轻工", "C", "emergency", False),
    ("textile", "纺织", "C", "emergency", False),
    ("tobacco", "烟草", "C", "emergency", False),
    ("commerce_trade", "商贸", "F", "commerce", False),
    ("construction", "建筑施工", "E", "housing", True),
    ("road_transport", "道路运输", "G", "transport", True),
    ("waterway_transport", "水上交通", "G", "transport", True),
    ("road_traffic", "道路交通", "G", "traffic_police", False),
    ("gas", "燃气", "D", "urban_management", True),
    ("special_equipment", "特种设备", "C", "market", False),
    ("fire_key_unit", "消防重点单位", "O", "fire_rescue", False),
    ("small_venue", "九小场所", "O", "fire_rescue", False),
    ("tourism", "旅游", "R", "culture_tourism", False),
    ("culture_entertainment", "文化娱乐场所", "R", "culture_tourism", False),
    ("agri_machinery", "农机", "A", "agriculture", False),
    ("fishery", "渔业", "A", "agriculture", True),
    ("water_works", "水利工程", "N", "water", False),
    ("education", "学校", "P", "education", False),
    ("medical", "医疗机构", "Q", "health", False),
    ("other", "其他", "", "emergency", False),
]

# a category's name by its code (the rule pages show names where a rule lists categories)
CATEGORY_NAMES = {code: name for code, name, *_rest in CATEGORIES}
