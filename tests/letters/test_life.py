"""A letter's life through the pages: the city office issues a 督办函 to 修水县 (numbered), 修水's office finds it in
its to-do list and replies with an attachment, the city sends it back once and then closes it; every step is in the
history and the audit log. Who may do what: another county sees nothing (404), the recipient cannot close (403), a
county cannot write to the city (a field error), a department supervisor cannot write at all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anquan.core.models import AuditEntry, Notification
from anquan.core.todo import items_for
from anquan.letters import services
from anquan.letters.choices import LetterStatus
from anquan.letters.models import Letter, LetterAttachment

from ..conftest import login
from .conftest import CITY, LIANXI, XIUSHUI, png, raw

pytestmark = pytest.mark.django_db


def test_issue_reply_with_attachment_send_back_and_close(world):
    city, xiushui = login(world.users["city_office"]), login(world.users["county_office_b"])
    response = city.post("/letters/new/", raw(issue="1"))
    assert response.status_code == 302, response.content.decode()[:2000]
    letter = Letter.objects.get()
    year = timezone.localdate().year
    assert letter.status == LetterStatus.ISSUED and letter.number == f"九安办督办〔{year}〕1号"
    page = city.get(f"/letters/{letter.pk}/").content.decode()
    assert "关于加快重大事故隐患整改的督办函" in page and "修水县人民政府" in page

    # 修水's office is told (an in-app notice) and its to-do list names the letter and leads to it
    notice = Notification.objects.get(user=world.users["county_office_b"], subject=f"letter:{letter.pk}")
    assert notice.title == "收到督办函：加快重大事故隐患整改" and notice.url == f"/letters/{letter.pk}/"
    todo = {item.kind: item for item in items_for(world.users["county_office_b"])}
    assert todo["letters.reply"].count == 1
    listed = xiushui.get(todo["letters.reply"].url).content.decode()
    assert f'href="/letters/{letter.pk}/"' in listed and "加快重大事故隐患整改" in listed

    response = xiushui.post(
        f"/letters/{letter.pk}/transitions/",
        {"action": "reply", "reply": "已完成整改，报告附后。", "files": [png()]},
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.REPLIED and letter.replied_on == timezone.localdate()
    attachment = LetterAttachment.objects.get(letter=letter)
    assert attachment.of_reply and attachment.name == "整改照片.png"
    assert xiushui.get(f"/letters/{letter.pk}/files/{attachment.pk}/").status_code == 200
    assert {i.kind for i in items_for(world.users["city_office"])} >= {"letters.review"}
    notice.refresh_from_db()
    assert notice.done_at is not None  # replied: the notice no longer waits
    assert Notification.objects.filter(
        user=world.users["city_office"], title__startswith="函件已回复"
    ).exists()

    # the city sends it back once, 修水 replies again, the city closes it
    response = city.post(
        f"/letters/{letter.pk}/transitions/", {"action": "send_back", "reason": "请附验收记录"}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ISSUED and letter.replied_on is None
    xiushui.post(f"/letters/{letter.pk}/transitions/", {"action": "reply", "reply": "验收记录已补充。"})
    response = city.post(
        f"/letters/{letter.pk}/transitions/", {"action": "close", "opinion": "整改到位，同意办结"}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.CLOSED and letter.closed_on == timezone.localdate()

    page = city.get(f"/letters/{letter.pk}/").content.decode()
    for words in (
        "发出",
        "回复",
        "退回重新回复",
        "请附验收记录",
        "办结",
        "整改到位，同意办结",
        "整改照片.png",
    ):
        assert words in page
    assert list(letter.events.values_list("action", flat=True)) == [
        "create",
        "issue",
        "reply",
        "send_back",
        "reply",
        "close",
    ]
    audited = AuditEntry.objects.filter(model="letters.letter", object_id=str(letter.pk))
    assert audited.count() == 6  # created, issued, replied, sent back, replied, closed
    assert AuditEntry.objects.filter(model="letters.letterattachment").count() == 1


def test_print_page_and_docx_carry_the_letter(world, issued):
    city = login(world.users["city_office"])
    page = city.get(f"/letters/{issued.pk}/print/").content.decode()
    for words in (
        issued.number,
        "关于加快重大事故隐患整改的督办函",
        "修水县人民政府：",
        "1. 十日内完成整改",
        "前将落实情况书面回复",
    ):
        assert words in page
    response = city.get(f"/letters/{issued.pk}/letter.docx")
    assert response.status_code == 200
    import io

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert (
        issued.number in text and "关于加快重大事故隐患整改的督办函" in text and "2. 书面报告整改情况" in text
    )


def test_who_may_do_what(world, issued):
    # another county: nothing to see (404 on every page of it)
    lianxi = login(world.users["county_office"])
    for url in (
        f"/letters/{issued.pk}/",
        f"/letters/{issued.pk}/print/",
        f"/letters/{issued.pk}/letter.docx",
    ):
        assert lianxi.get(url).status_code == 404
    assert (
        lianxi.post(f"/letters/{issued.pk}/transitions/", {"action": "reply", "reply": "x"}).status_code
        == 404
    )
    assert "加快重大事故隐患整改" not in lianxi.get("/letters/").content.decode()

    # the recipient cannot close or withdraw it; the issuer cannot reply to it
    xiushui = login(world.users["county_office_b"])
    response = xiushui.post(
        f"/letters/{issued.pk}/transitions/", {"action": "withdraw", "reason": "不想回复"}
    )
    assert response.status_code == 403 and "只有发函的安委办可以执行此操作" in response.content.decode()
    city = login(world.users["city_office"])
    response = city.post(f"/letters/{issued.pk}/transitions/", {"action": "reply", "reply": "代为回复"})
    assert response.status_code == 403 and "只有受函单位可以回复" in response.content.decode()
    issued.refresh_from_db()
    assert issued.status == LetterStatus.ISSUED

    # a county office cannot write to the city, nor to another county
    for code in (CITY, XIUSHUI):
        response = lianxi.post("/letters/new/", raw(recipient_region=code, issue="1"))
        assert response.status_code == 422
        assert "不能向上级或其他地区发函" in response.content.decode()
    # …but to its own 应急管理局 and townships it may
    own = services.create_letter(
        raw(recipient_region=LIANXI, recipient_department="应急管理局"),
        actor=world.users["county_office"],
        issue=True,
    )
    assert own.number.startswith("濂安办督办〔")
    # a department supervisor replies to its letters but writes none
    assert login(world.users["emergency_supervisor"]).get("/letters/new/").status_code == 404
    todo = {i.kind: i.count for i in items_for(world.users["emergency_supervisor"])}
    assert todo.get("letters.reply") == 1 and "letters.reply" not in {
        i.kind for i in items_for(world.users["housing_supervisor"])
    }


def test_a_draft_is_the_issuers_own_until_issued(world):
    draft = services.create_letter(raw(kind="reminder"), actor=world.users["city_office"])
    assert draft.status == LetterStatus.DRAFT and draft.number == ""
    assert login(world.users["county_office_b"]).get(f"/letters/{draft.pk}/").status_code == 404
    city = login(world.users["city_office"])
    assert city.post(f"/letters/{draft.pk}/transitions/", {"action": "issue"}).status_code == 302
    draft.refresh_from_db()
    assert draft.number == f"九安办提示〔{timezone.localdate().year}〕1号"
    assert login(world.users["county_office_b"]).get(f"/letters/{draft.pk}/").status_code == 200
    city.post(f"/letters/{draft.pk}/transitions/", {"action": "withdraw", "reason": "情况已变化"})
    draft.refresh_from_db()
    assert draft.status == LetterStatus.WITHDRAWN


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"reply_due": "2020-01-01"}, "reply_due", "回复期限不能早于今天"),
        ({"required_actions": "  "}, "required_actions", "工作要求不能为空"),
        ({"kind": "interview", "interview_place": "市应急管理局"}, "interview_at", "约谈通知须写明约谈时间"),
        (
            {"kind": "interview", "interview_at": "不是时间", "interview_place": "x"},
            "interview_at",
            "约谈时间格式不正确",
        ),
        ({"recipient_region": "360000"}, "recipient_region", "不能向上级或其他地区发函"),
        ({"recipient_region": ""}, "recipient_region", "请选择受函地区"),
        ({"recipient_department": "不存在局"}, "recipient_department", "受函部门不存在"),
        ({"kind": "letter"}, "kind", "请选择函件类型"),
        ({"task": "99999"}, "task", "攻坚任务不存在"),
        ({"reply_due": "2026-02-30"}, "reply_due", "回复期限应为日期"),
    ],
)
def test_bad_input_is_shown_under_its_field_and_writes_nothing(world, change, field, message):
    city = login(world.users["city_office"])
    response = city.post("/letters/new/", raw(issue="1") | change)
    assert response.status_code == 422
    page = response.content.decode()
    assert f'data-testid="error-{field}"' in page and message in page
    assert not Letter.objects.exists()


def test_empty_reply_and_bad_attachment_are_refused(world, issued):
    xiushui = login(world.users["county_office_b"])
    response = xiushui.post(f"/letters/{issued.pk}/transitions/", {"action": "reply", "reply": " "})
    assert response.status_code == 422 and "回复内容不能为空" in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("报告.pdf", b"not a pdf at all", content_type="application/pdf")
    response = xiushui.post(
        f"/letters/{issued.pk}/transitions/", {"action": "reply", "reply": "见附件", "files": [fake]}
    )
    assert response.status_code == 422 and "内容与扩展名不符" in response.content.decode()
    issued.refresh_from_db()
    assert issued.status == LetterStatus.ISSUED and not issued.attachments.exists() and issued.reply == ""


def test_an_interview_notice_states_time_and_place(world):
    at = (timezone.localtime() + dt.timedelta(days=3)).replace(hour=9, minute=30, second=0, microsecond=0)
    letter = services.create_letter(
        raw(
            kind="interview",
            interview_at=at.strftime("%Y-%m-%dT%H:%M"),
            interview_place="市应急管理局三楼会议室",
        ),
        actor=world.users["city_office"],
        issue=True,
    )
    page = login(world.users["county_office_b"]).get(f"/letters/{letter.pk}/print/").content.decode()
    assert "约谈通知" in page and "09:30" in page and "市应急管理局三楼会议室" in page
