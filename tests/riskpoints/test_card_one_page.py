"""The risk notice card fits one A4 page whatever the point holds (issue #12: it ran to two pages): rendered
to PDF by LibreOffice (`soffice`, which dossier's 一患一档 PDF needs too), counted page by page. What a card
cannot hold is said on it ("……另有N条，扫码查看全部") and is on the public page its QR code opens."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from anquan.riskpoints import cards
from anquan.riskpoints import services as points

from .helpers import new_point

pytestmark = pytest.mark.django_db

LONG = "设置可燃有毒气体检测报警系统，报警信号接入中控室并与紧急切断阀联锁，每月校验一次并记录"
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


def pdf_pages(docx: dict[str, bytes], tmp_path: Path) -> dict[str, int]:
    """name → pages of each .docx rendered by LibreOffice (one run, its own profile folder)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is needed to render documents: scripts/setup installs it"
    for name, body in docx.items():
        (tmp_path / f"{name}.docx").write_bytes(body)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path)]
        + [str(tmp_path / f"{name}.docx") for name in docx],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = {}
    for name in docx:
        pdf = (tmp_path / f"{name}.pdf").read_bytes()
        pages[name] = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
        SCREENS.mkdir(parents=True, exist_ok=True)
        (SCREENS / f"risk-card-{name}.pdf").write_bytes(pdf)  # to look at
    return pages


def test_every_card_is_one_page(world, tmp_path):
    actor = world.users["enterprise_manager"]
    enterprise = world.chem_t1
    enterprise.safety_manager_name, enterprise.safety_manager_phone = "李安全", "13900001111"
    enterprise.save(update_fields=["safety_manager_name", "safety_manager_phone"])

    usual = new_point(world)
    points.assess(usual, {"method": "LEC", "l": 3, "e": 6, "c": 15}, actor=actor)
    for kind in cards.MEASURE_LABELS:
        points.add_measure(usual, {"kind": kind, "tier": "post", "description": "每班巡检两次"}, actor=actor)

    crowded = new_point(world, name="甲类仓库及装卸站台")  # six long measures of every kind
    for kind in cards.MEASURE_LABELS:
        for n in range(6):
            raw = {
                "kind": kind,
                "tier": "team",
                "description": f"{LONG}（{n + 1}）",
                "responsible_person": "赵六",
            }
            points.add_measure(crowded, raw, actor=actor)

    wordy = new_point(  # long identification values and a few long measures
        world,
        name="液氯钢瓶库、汽化器间及配套的尾气吸收装置与事故氯处理设施" * 2,
        location="厂区东侧第三车间北面、原料仓库与污水处理站之间的区域，靠近二号门" * 2,
        accident_categories=["WSA10009", "WSA10008", "WSA10002", "WSA10001"],
    )
    for kind in cards.MEASURE_LABELS:
        for _ in range(2):
            points.add_measure(wordy, {"kind": kind, "tier": "post", "description": LONG}, actor=actor)

    built = {}
    for name, point in (("usual", usual), ("crowded", crowded), ("wordy", wordy)):
        point.refresh_from_db()
        built[name] = cards.build(point, "https://anquan.example.gov.cn/")
    assert pdf_pages(built, tmp_path) == {"usual": 1, "crowded": 1, "wordy": 1}

    usual_data, size = cards.fit(cards.card_data(usual, "http://testserver/"))
    assert size == cards.BODY_PT and usual_data["measures"]["ppe"] == [
        "每班巡检两次（岗位级）"
    ]  # nothing cut
    crowded_data, size = cards.fit(cards.card_data(crowded, "http://testserver/"))
    assert size == cards.MEASURE_SIZES[-1]
    for kind in cards.MEASURE_LABELS:  # every kind says how many more the QR code's page shows
        shown = crowded_data["measures"][kind]
        more = re.fullmatch(r"……另有(\d+)条，扫码查看全部", shown[-1])
        assert more and len(shown) - 1 + int(more.group(1)) == 6
