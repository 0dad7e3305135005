"""Task-list imports for the every-operation test (issue #15, import15): a campaign of 濂溪区 and two previews of a
short pasted list, one to map a flagged name on and one to apply; an .xlsx to upload."""

from __future__ import annotations

import io

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "一、强化责任落实\n1.开展重大事故隐患排查整治。全面排查。（区委宣传部、区应急管理局会同区直有关部门分工负责，各乡镇(街道)落实\n"


def _workbook() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["序号", "任务名称", "任务内容", "牵头单位", "责任单位", "完成时限"])
    wb.active.append([1, "燃气安全专项整治", "排查餐饮场所", "区城管局", "各乡镇(街道)", "2026年12月底"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def seed_imports(world) -> tuple[dict, dict]:
    import datetime as dt

    from anquan.campaigns.importing import services
    from anquan.campaigns.models import Campaign
    from anquan.regions.models import Region

    office = world.users["county_office"]
    campaign = Campaign.objects.create(
        region=Region.objects.get(code="360402"),
        name="濂溪区安全生产治本攻坚三年行动",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    to_apply = services.preview_text(campaign, TEXT, actor=office)
    to_map = services.preview_text(campaign, TEXT, actor=office)
    operations = {"POST /api/v1/campaign-imports/{import_id}/mappings": {"import_id": to_map.pk}}
    return {"campaign_id": campaign.pk, "import_id": to_apply.pk, "import_campaign": campaign.pk}, operations


OVERRIDES = {
    "POST /api/v1/campaign-imports": {
        "body": lambda seeds: {"campaign": seeds.ids["import_campaign"], "text": TEXT},
    },
    "POST /api/v1/campaign-imports/upload": {
        "body": lambda seeds: {
            "campaign": seeds.ids["import_campaign"],
            "file": ("清单.xlsx", _workbook(), XLSX),
        },
    },
    "POST /api/v1/campaign-imports/{import_id}/mappings": {
        "body": {"text": "区委宣传部", "kind": "text_only"}
    },
}
BINARY = {"GET /api/v1/campaigns/{campaign_id}/tasks.xlsx": XLSX}
