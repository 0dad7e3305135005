"""A generated site plan (厂区总平面图) of a chemical works for the demo and the browser tests: fence,
roads, workshops, a tank farm, a warehouse, the office building and the sewage station, labelled in
Chinese with the WenQuanYi font. Returns PNG bytes and where each area's centre is (fractions 0–1)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
WIDTH, HEIGHT = 1600, 1000

# key: (label, box (left, top, right, bottom) in px, fill)
AREAS = {
    "workshop1": ("一车间（氯化）", (180, 200, 560, 430), "#dfe7f1"),
    "workshop2": ("二车间（精馏）", (180, 560, 560, 800), "#dfe7f1"),
    "tank_farm": ("罐区", (1040, 160, 1460, 470), "#f1e6d8"),
    "warehouse": ("成品仓库", (700, 600, 980, 820), "#e4efe0"),
    "office": ("综合楼（配电室）", (690, 170, 975, 330), "#ece4f0"),
    "sewage": ("污水处理站", (1130, 620, 1420, 820), "#dcefef"),
}


def _font(size: int):
    if FONT.exists():
        return ImageFont.truetype(str(FONT), size)
    return ImageFont.load_default()


def draw_site_plan(title: str) -> tuple[bytes, dict[str, tuple[float, float]]]:
    image = Image.new("RGB", (WIDTH, HEIGHT), "#fbfbf8")
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 100, WIDTH - 60, HEIGHT - 60), outline="#555", width=6)  # fence
    for road in ((60, 480, WIDTH - 60, 530), (620, 100, 670, HEIGHT - 60), (990, 100, 1030, HEIGHT - 60)):
        draw.rectangle(road, fill="#d9d9d9")
    draw.rectangle((600, HEIGHT - 66, 690, HEIGHT - 54), fill="#fbfbf8")  # the gate
    draw.text((645, HEIGHT - 40), "大门", font=_font(24), fill="#333", anchor="mm")
    centres = {}
    for key, (label, box, fill) in AREAS.items():
        draw.rectangle(box, fill=fill, outline="#333", width=3)
        left, top, right, bottom = box
        draw.text(((left + right) / 2, top + 28), label, font=_font(30), fill="#222", anchor="mm")
        centres[key] = (round((left + right) / 2 / WIDTH, 4), round((top + bottom) / 2 / HEIGHT, 4))
    for row in range(2):  # storage tanks
        for col in range(3):
            cx, cy = 1130 + col * 120, 260 + row * 120
            draw.ellipse((cx - 45, cy - 45, cx + 45, cy + 45), outline="#7a5230", width=4)
    draw.text((WIDTH / 2, 50), title, font=_font(40), fill="#111", anchor="mm")
    north = (WIDTH - 110, 190)  # north arrow
    draw.polygon(
        [(north[0], north[1] - 50), (north[0] - 18, north[1]), (north[0] + 18, north[1])], fill="#333"
    )
    draw.text((north[0], north[1] + 22), "北", font=_font(26), fill="#333", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue(), centres
