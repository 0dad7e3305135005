"""Reading a task list out of pasted official text (an office's 工作要点, a campaign's task list).

The text's shape, as such documents are published:
- a section heading per battle or part: ``一、筑牢安全理念，深入学习…``;
- numbered work points: ``1.着力树牢安全发展理念推动学习…（市委宣传部、市应急管理局会同市直有关部门分工负责，
  各乡镇(街道、管委会、场、库)落实``: a short title (often run into the content because the source lost its
  bold and its full stop), the content, and the units in trailing parentheses — often unclosed, sometimes
  without parentheses at all as the last sentence (``。市安委组织,市直有关部门…落实``).

Units are split into clauses by their role words (组织, 牵头, 会同, 分工负责, 落实, 负责, 督促): each unit takes
the role of the word that follows it. Nothing is dropped: a name the recogniser does not know stays as written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..choices import UnitRole

OPEN, CLOSE = "（(", "）)"
HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(\S.*?)\s*$")
ITEM = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*(\S.*?)\s*$")
TRAILER = re.compile(r"^\s*(附件|扫一扫|返回顶部|关闭本页|打印本页|分享到)")

# role words, longest first at a position; each maps to the role of the units written before it
ROLE_WORDS: list[tuple[str, str]] = [
    ("按照职责分工负责", UnitRole.SHARE),
    ("按职责分工负责", UnitRole.SHARE),
    ("按照职责分工落实", UnitRole.IMPLEMENT),
    ("按职责分工落实", UnitRole.IMPLEMENT),
    ("分工负责", UnitRole.SHARE),
    ("牵头组织", UnitRole.LEAD),
    ("牵头", UnitRole.LEAD),
    ("会同", UnitRole.JOINTLY),
    ("组织", UnitRole.ORGANISE),
    ("督促", UnitRole.ORGANISE),
    ("落实", UnitRole.IMPLEMENT),
    ("负责", UnitRole.RESPONSIBLE),
]
ROLE_PATTERN = re.compile("|".join(re.escape(word) for word, _ in ROLE_WORDS))
ROLE_OF = dict(ROLE_WORDS)
# the word an export writes for each role (read back by `split_units`)
WORD_OF_ROLE = {
    UnitRole.ORGANISE: "组织",
    UnitRole.LEAD: "牵头",
    UnitRole.JOINTLY: "会同",
    UnitRole.SHARE: "分工负责",
    UnitRole.IMPLEMENT: "落实",
    UnitRole.RESPONSIBLE: "负责",
}
# collective names that run into their neighbour when the source lost a 、 (…中心市直有关部门, 市直有关部门乡镇(…))
COLLECTIVE = re.compile(r"(?:[市县区]直)?有关部门")

# where a title that ran into its content ends: a title's last word followed by a content's first word
TITLE_ENDS = (
    "监管", "理念", "巡查", "问责", "执法", "提升", "支撑", "治理", "工作", "能力", "行动", "责任",
    "机制", "建设", "体系", "服务", "力度", "质量",
)  # fmt: skip
CONTENT_STARTS = (
    "推动", "深化", "全面", "组织", "常态化", "严查", "持续", "加强", "重点", "开展", "负有", "加快", "根据",
    "将", "严格", "深入", "督促", "强化", "推进", "坚持", "进一步", "结合", "对照", "聚焦", "紧盯", "实施",
    "建立", "健全", "完善", "规范", "据", "突出", "按照", "围绕", "落实", "扎实", "切实", "积极",
)  # fmt: skip
TITLE_MAX = 40


@dataclass
class Unit:
    role: str
    text: str


@dataclass
class Item:
    number: str
    title: str
    content: str
    battle: str  # the section's heading ("" before the first one)
    battle_number: str
    units: list[Unit] = field(default_factory=list)
    unit_text: str = ""  # the units as written
    deadline: dt.date | None = None
    deadline_text: str = ""  # a 完成时限 as written when it is not a day (kept, shown, never guessed)


@dataclass
class Parsed:
    items: list[Item]
    battles: list[tuple[str, str]]  # (number, name) in order
    ignored: list[str]  # lines that are neither a heading nor part of a numbered item


def _mask(text: str) -> str:
    """`text` with every character inside parentheses replaced by □ (depth > 0), positions kept."""
    out, depth = [], 0
    for ch in text:
        if ch in OPEN:
            depth += 1
            out.append(ch)
        elif ch in CLOSE:
            depth = max(0, depth - 1)
            out.append(ch)
        else:
            out.append("□" if depth else ch)
    return "".join(out)


def _split_depth0(text: str, separators: str) -> list[str]:
    masked, parts, start = _mask(text), [], 0
    for i, ch in enumerate(masked):
        if ch in separators:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _tidy(name: str) -> str:
    name = name.strip().strip("、，,；;。 ")
    name = name.removeprefix("由")
    masked = _mask(name)
    if masked.count("(") + masked.count("（") > masked.count(")") + masked.count("）") and name[-1:] in OPEN:
        name = name[:-1]
    return name.strip()


def _names(chunk: str) -> list[str]:
    """The unit names in a run of text without role words: split at 、 and at collective names that ran in."""
    names: list[str] = []
    for part in _split_depth0(chunk, "、"):
        masked = _mask(part)
        m = re.search(r"等(?=(?:[市县区]直)?有关部门$)", masked)
        if m:  # 市市场监管局等市直有关部门: the named one, then the others
            names += [part[: m.start()], part[m.end() :]]
            continue
        m = COLLECTIVE.search(masked)
        if m and m.start() > 0 and m.end() == len(part):  # 市公路事业发展中心市直有关部门
            names += [part[: m.start()], part[m.start() :]]
        elif m and m.start() == 0 and m.end() < len(part):  # 市直有关部门乡镇(街道、…)
            names += [part[: m.end()], part[m.end() :]]
        else:
            names.append(part)
    return [n for n in (_tidy(n) for n in names) if n]


def split_units(text: str, default_role: str | None = None) -> list[Unit]:
    """The units of a parenthesis (or an Excel cell) with their roles. Names after the last role word take
    `default_role` (an Excel column's), or, with none, the last role seen (nothing is dropped)."""
    units: list[Unit] = []
    for clause in _split_depth0(text.strip().strip("（()）。；; "), "，,；;"):
        masked, start = _mask(clause), 0
        for m in ROLE_PATTERN.finditer(masked):
            names = _names(clause[start : m.start()])
            role = ROLE_OF[m.group()]
            units += [Unit(role, n) for n in names]
            start = m.end()
        pending = _names(clause[start:])
        if pending:
            role = default_role or (units[-1].role if units else UnitRole.RESPONSIBLE)
            units += [Unit(role, n) for n in pending]
    return units


def _ends_with_role(text: str) -> bool:
    stripped = text.rstrip("）)。；; \u3000")
    return any(stripped.endswith(word) for word, _ in ROLE_WORDS)


def _unit_start(body: str) -> int | None:
    """Where the trailing units begin: an opening parenthesis never closed before the end (or closed as the
    very last character) whose text ends with a role word; else the last sentence, if it ends with one."""
    for i in range(len(body) - 1, -1, -1):
        if body[i] not in OPEN:
            continue
        depth, closed_early = 0, False
        tail = body[i:].rstrip("。；; \u3000")
        for j, ch in enumerate(tail):
            depth += ch in OPEN
            depth -= ch in CLOSE
            if depth == 0 and j < len(tail) - 1:
                closed_early = True
                break
        if not closed_early and _ends_with_role(tail):
            return i
    if _ends_with_role(body) and not body.rstrip().endswith(("。", "；")):
        cut = max(body.rfind("。"), body.rfind("；"))
        if cut >= 0 and ROLE_PATTERN.search(_mask(body[cut + 1 :])):
            return cut + 1
    return None


def split_title(body: str) -> tuple[str, str]:
    """(title, content) of a work point: the first sentence when it is short; else a title that ran into its
    content (着力树牢安全发展理念推动学习…); else the first clause, the whole text kept as the content."""
    m = re.search(r"[。；;：:]", body[:TITLE_MAX])
    stop = m.start() if m else 30
    for p in range(4, min(len(body), stop)):
        if body[:p].endswith(TITLE_ENDS) and body[p:].startswith(CONTENT_STARTS):
            return body[:p], body[p:].strip()
    if m and m.start() >= 2:
        return body[: m.start()], body[m.end() :].strip()
    m = re.search(r"[，,]", body[:TITLE_MAX])
    if m and m.start() >= 2:
        return body[: m.start()], body
    return body[:TITLE_MAX], body


def parse_item(number: str, body: str, battle: tuple[str, str]) -> Item:
    start = _unit_start(body)
    unit_text = body[start:].strip() if start is not None else ""
    main = body[:start].strip() if start is not None else body.strip()
    title, content = split_title(main)
    units = split_units(unit_text) if unit_text else []
    return Item(number, title, content, battle[1], battle[0], units, unit_text.strip("（()）。 "))


def parse_text(text: str) -> Parsed:
    """Headings, numbered work points (continuation lines joined) and the lines left aside."""
    items: list[tuple[str, list[str], tuple[str, str]]] = []
    battles: list[tuple[str, str]] = []
    ignored: list[str] = []
    battle = ("", "")
    open_item = False  # a line right under a work point continues it
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            open_item = False
            continue
        if TRAILER.match(line):
            open_item = False
            ignored.append(line)
            continue
        if m := HEADING.match(line):
            battle = (m.group(1), m.group(2).rstrip("。"))
            battles.append(battle)
            open_item = False
        elif m := ITEM.match(line):
            items.append((m.group(1), [m.group(2)], battle))
            open_item = True
        elif open_item:
            items[-1][1].append(line)
        else:
            ignored.append(line)
    parsed = [parse_item(number, "".join(lines), where) for number, lines, where in items]
    return Parsed(parsed, battles, ignored)
