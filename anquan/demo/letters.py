"""Demo data of the letters (issue #15): 九江市安委办's 工作提示函, 督办函 and 约谈通知 to its counties and
departments, at each stage an office meets them — a draft, letters waiting for a reply (修水县's to-do list), one
replied waiting for review, one closed, one sent back, one overdue (marked by the sweep's own function) and an
interview notice with its time and place — all through the letters' services and workflow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from anquan.accounts.models import User
from anquan.letters import services
from anquan.letters.models import Letter

CITY_DUE = 10  # days to reply


def _raw(
    kind: str, region: str, subject: str, body: str, actions: str, days: int = CITY_DUE, **extra
) -> dict:
    due = timezone.localdate() + dt.timedelta(days=days)
    return {
        "kind": kind,
        "recipient_region": region,
        "subject": subject,
        "body": body,
        "required_actions": actions,
        "reply_due": due.isoformat(),
        **extra,
    }


def build_letters() -> None:
    city = User.objects.filter(username="jiujiang").first()
    lianxi, lianxi_yjj = User.objects.get(username="lianxi"), User.objects.get(username="lianxi_yjj")
    if city is None:
        return
    write = lambda raw, issue=True: services.create_letter(raw, actor=city, issue=issue)  # noqa: E731
    write(
        _raw(
            "supervision",
            "360424",
            "加快化工企业重大事故隐患整改",
            "经市安委会督查组检查，你县部分化工企业重大事故隐患整改进展缓慢，存在较大安全风险。",
            "十日内完成重大事故隐患整改\n对整改情况逐项验收并书面报告",
        )
    )
    write(
        _raw(
            "reminder",
            "360424",
            "做好岁末年初安全防范工作",
            "岁末年初是生产安全事故易发多发期，请切实做好各项安全防范工作。",
            "开展一次安全生产大检查\n严格落实领导带班和24小时值班制度",
            days=20,
        )
    )
    replied = write(
        _raw(
            "reminder",
            "360402",
            "加强冬季燃气安全管理",
            "近期气温下降，燃气使用量增加，请加强燃气安全管理。",
            "开展燃气用户安全检查\n督促餐饮场所安装燃气报警器",
        )
    )
    services.transition(
        replied, "reply", actor=lianxi, reply="已开展燃气用户安全检查1200户，督促安装报警器86处。"
    )
    closed = write(
        _raw(
            "reminder",
            "360402",
            "开展危险化学品专项检查",
            "请你局对辖区危险化学品企业开展专项检查。",
            "全面排查危险化学品储存场所",
            recipient_department="应急管理局",
        )
    )
    closed = services.transition(
        closed, "reply", actor=lianxi_yjj, reply="已检查企业23家，发现隐患41项，已整改39项。"
    )
    services.transition(closed, "close", actor=city, opinion="整改情况属实，同意办结。")
    _later_stages(city, lianxi, write)


def _later_stages(city: User, lianxi: User, write: Any) -> None:
    """A letter sent back, one overdue (marked by the sweep's function), an interview notice, one to a city
    department and a draft."""
    sent_back = write(
        _raw(
            "supervision", "360402", "推进消防通道清理", "部分小区消防通道堵塞问题突出。", "完成消防通道清理"
        )
    )
    sent_back = services.transition(sent_back, "reply", actor=lianxi, reply="已部署清理。")
    services.transition(sent_back, "send_back", actor=city, reason="请报送清理的小区名单和照片")
    overdue = write(
        _raw(
            "supervision",
            "360424",
            "落实防汛安全责任",
            "请落实汛期安全生产责任。",
            "书面报告防汛责任落实情况",
        )
    )
    Letter.objects.filter(pk=overdue.pk).update(
        reply_due=timezone.localdate() - dt.timedelta(days=3),
        issued_on=timezone.localdate() - dt.timedelta(days=13),
    )
    services.mark_overdue()  # what the daily sweep does
    at = (timezone.localtime() + dt.timedelta(days=5)).replace(hour=9, minute=30, second=0, microsecond=0)
    write(
        _raw(
            "interview",
            "360423",
            "安全生产工作推进不力",
            "你县本年度发生较大生产安全事故一起，安全生产工作推进不力。",
            "县政府分管负责同志参加约谈\n约谈前提交整改方案",
            interview_at=at.strftime("%Y-%m-%dT%H:%M"),
            interview_place="九江市应急管理局三楼会议室",
        )
    )
    write(
        _raw(
            "reminder",
            "360400",
            "做好节日期间建筑施工安全",
            "请加强节日期间建筑施工安全监管。",
            "停工期间落实看护措施",
            recipient_department="住建局",
        )
    )
    write(
        _raw(
            "reminder",
            "360424",
            "开展电动自行车消防安全整治",
            "请开展电动自行车消防安全整治。",
            "排查飞线充电",
        ),
        issue=False,
    )
