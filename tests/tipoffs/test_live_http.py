"""Tip-offs over HTTP against a live server, as a phone and an office's client meet them: a retried submission
makes one record, a bad upload is refused clearly, the 11th tip-off from one phone is refused politely, the status
page and API show the stage and outcome and nothing internal, another county gets 404, and reading the reporter's
identity leaves an audit entry."""

import re

import pytest

from tests.browserless import Session
from tests.conftest import PASSWORD
from tests.live.conftest import PNG, Api, issue_token

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = "/api/v1/public/tip-offs"


def form(world, **extra):
    return {
        "kind": "hazard",
        "description": "出租屋一楼电动车充电，电线从窗户拉出",
        "region": world.t1.code,
        "address": "十里街道幸福路3号",
        "reporter_name": "王大妈",
        "reporter_phone": "13812345678",
        **extra,
    }


def test_a_retried_submission_with_the_same_key_makes_one_tip_off(live, world):
    from anquan.tipoffs.models import TipOff

    api = Api(live)
    body = form(world, photos=("现场.png", PNG, "image/png"))
    first = api.call("POST", PUBLIC, form=body, headers={"Idempotency-Key": "phone-retry-1"})
    again = api.call("POST", PUBLIC, form=body, headers={"Idempotency-Key": "phone-retry-1"})
    assert first.status == 201, first.excerpt()
    assert again.status == 201 and again.json()["tracking_code"] == first.json()["tracking_code"]
    assert TipOff.objects.count() == 1 and TipOff.objects.get().photos.count() == 1
    other = api.call(
        "POST", PUBLIC, form=form(world, description="另一件事"), headers={"Idempotency-Key": "phone-retry-1"}
    )
    assert other.status == 422 and other.json()["detail"][0]["code"] == "idempotency_key_reused"
    assert TipOff.objects.count() == 1


def test_an_oversized_or_non_image_upload_is_refused_clearly(live, world, settings):
    from anquan.tipoffs.models import TipOff

    api = Api(live)
    pdf = api.call(
        "POST", PUBLIC, form=form(world, photos=("举报材料.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"))
    )
    assert pdf.status == 422
    assert pdf.json()["detail"] == [
        {"field": "photos", "code": "bad_type", "message": "只能上传照片（JPG、PNG、WebP、HEIC）"}
    ]
    fake = api.call(
        "POST", PUBLIC, form=form(world, photos=("现场.jpg", b"MZ\x90\x00 not a photo", "image/jpeg"))
    )
    assert fake.status == 422 and "内容与扩展名不符" in fake.json()["detail"][0]["message"]
    settings.MAX_UPLOAD_BYTES = len(PNG) - 1
    big = api.call("POST", PUBLIC, form=form(world, photos=("现场.png", PNG, "image/png")))
    refusal = big.json()["detail"][0]
    assert big.status == 422 and refusal["field"] == "photos" and refusal["code"] == "too_large"
    assert refusal["message"].startswith("文件超过")
    assert TipOff.objects.count() == 0  # nothing half-written


def test_the_eleventh_tip_off_from_one_phone_is_refused_politely(live, world, settings):
    from anquan.tipoffs.models import TipOff

    assert settings.TIPOFF_PER_PHONE == 10 and settings.TIPOFF_PER_IP > 11
    api = Api(live)
    for n in range(10):
        reply = api.call("POST", PUBLIC, form=form(world, description=f"第{n + 1}处隐患"))
        assert reply.status == 201, reply.excerpt()
    eleventh = api.call(
        "POST", PUBLIC, form=form(world, description="第11处隐患", reporter_phone="138 1234 5678")
    )
    assert eleventh.status == 429
    refusal = eleventh.json()["detail"][0]
    assert refusal["field"] == "reporter_phone" and refusal["code"] == "too_many"
    assert (
        refusal["message"].startswith("感谢您的积极举报！同一手机号码24小时内最多提交10次")
        and "12350" in refusal["message"]
    )
    assert TipOff.objects.count() == 10
    # another phone is not held back by it
    assert api.call("POST", PUBLIC, form=form(world, reporter_phone="13900000001")).status == 201


def test_status_page_and_api_show_stage_and_outcome_but_nothing_internal(live, world):
    from anquan.accounts.models import User

    api = Api(live)
    created = api.call("POST", PUBLIC, form=form(world))
    code = created.json()["tracking_code"]
    assert re.fullmatch(r"JB[2-9A-Z]{8}", code)
    office_user = User.objects.get(username="county_office")
    User.objects.filter(pk=office_user.pk).update(first_name="赵", last_name="科长")
    office = Api(live, issue_token(live, "county_office"))
    tipoff_id = office.get("/api/v1/tip-offs", code=code).json()["items"][0]["id"]
    note = office.post(f"/api/v1/tip-offs/{tipoff_id}/notes", {"text": "内部：房东是村主任的亲戚，注意回避"})
    assert note.status == 201, note.excerpt()
    step = office.post(
        f"/api/v1/tip-offs/{tipoff_id}/transitions", {"action": "accept", "department": "应急管理局"}
    )
    assert step.status == 200 and step.json()["status"] == "accepted", step.excerpt()
    step = office.post(f"/api/v1/tip-offs/{tipoff_id}/transitions", {"action": "verify"})
    step = office.post(
        f"/api/v1/tip-offs/{tipoff_id}/transitions",
        {"action": "substantiate", "reply": "经现场核查属实，已责令立即整改", "comment": "赵科长带队核查"},
    )
    assert step.status == 200 and step.json()["hazard"], step.excerpt()

    status, _, page = Session(live).request("GET", f"/public/tip-offs/{code}/")
    public = Api(live).get(f"{PUBLIC}/{code}")
    assert status == 200 and public.status == 200
    text = page.decode()
    assert "举报属实" in text and "经现场核查属实，已责令立即整改" in text and "已办结" in text
    assert (
        public.json()["status"] == "substantiated"
        and public.json()["reply"] == "经现场核查属实，已责令立即整改"
    )
    for secret in (
        "房东",
        "村主任",
        "赵",
        "科长",
        "county_office",
        "王大妈",
        "13812345678",
        "幸福路",
        "电动车充电",
        "应急管理局",
    ):
        assert secret not in text, secret
        assert secret not in public.body.decode(), secret
    assert Api(live).get(f"{PUBLIC}/JB00000000").status == 404


def test_another_county_gets_404_and_identity_views_are_audited(live, world):
    from anquan.core.models import AuditEntry

    code = Api(live).call("POST", PUBLIC, form=form(world)).json()["tracking_code"]
    office = Api(live, issue_token(live, "county_office"))
    tipoff_id = office.get("/api/v1/tip-offs", code=code).json()["items"][0]["id"]
    other = Api(live, issue_token(live, "county_office_b"))
    assert other.get(f"/api/v1/tip-offs/{tipoff_id}").status == 404
    assert other.get(f"/api/v1/tip-offs/{tipoff_id}/identity").status == 404
    assert (
        other.post(
            f"/api/v1/tip-offs/{tipoff_id}/transitions", {"action": "accept", "department": "应急管理局"}
        ).status
        == 404
    )
    assert other.get("/api/v1/tip-offs", code=code).json()["count"] == 0
    township = Api(live, issue_token(live, "township_office"))
    assert township.get(f"/api/v1/tip-offs/{tipoff_id}").status == 200
    assert township.get(f"/api/v1/tip-offs/{tipoff_id}/identity").status == 403
    assert "13812345678" not in office.get(f"/api/v1/tip-offs/{tipoff_id}").body.decode()
    views = AuditEntry.objects.filter(action="view", object_id=str(tipoff_id))
    assert views.count() == 0
    shown = office.get(f"/api/v1/tip-offs/{tipoff_id}/identity")
    assert shown.status == 200 and shown.json() == {
        "name": "王大妈",
        "phone": "13812345678",
        "anonymous": False,
    }
    entry = views.get()
    assert entry.comment == "查看举报人身份" and entry.actor.username == "county_office"
    assert other.get("/api/v1/stats/tip-offs?region=360402").status == 404
    stats = office.get("/api/v1/stats/tip-offs", region="360402")
    assert stats.status == 200 and stats.json()["total"] == 1
    export = office.call("GET", "/api/v1/stats/tip-offs/export?region=360402")
    assert export.status == 200 and export.content_type.startswith("application/vnd.openxmlformats")


def test_the_public_form_page_explains_bad_input_and_a_resent_form_makes_one_tip_off(live, world):
    from anquan.tipoffs.models import TipOff

    browser = Session(live)
    status, _, page = browser.request("GET", "/public/tip-offs/new/?county=360402")
    assert status == 200 and world.t1.name in page.decode()  # the county's townships to choose from
    key = re.search(rb'name="form_key" value="([0-9a-f]+)"', page).group(1).decode()
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    bad = {"csrfmiddlewaretoken": token, "form_key": key, "county": "360402", "reporter_phone": "12345"}
    status, _, page = browser.request("POST", "/public/tip-offs/new/", bad)
    text = page.decode()
    assert status == 422
    for message in (
        "请选择举报类型",
        "请写明举报的内容",
        "请选择事发地所在的乡镇（街道）",
        "请填写11位手机号码",
    ):
        assert message in text, message
    assert TipOff.objects.count() == 0
    good = bad | {
        "kind": "violation",
        "description": "无证小作坊夜间生产",
        "region": world.t1.code,
        "address": "废弃厂房",
        "reporter_phone": "",
    }
    first = browser.request("POST", "/public/tip-offs/new/", good)
    again = browser.request("POST", "/public/tip-offs/new/", good)  # sent again after Back, or a double tap
    assert TipOff.objects.count() == 1
    code = TipOff.objects.get().tracking_code
    assert first[0] == again[0] == 200 and code in first[2].decode() and code in again[2].decode()
    assert "感谢您的举报" in first[2].decode()


def test_pages_of_a_tip_off_answer_404_outside_its_region_and_department(live, world):
    """The office pages (the tip-off with its photos, steps and notes; a step, a note, the identity, a photo) for
    another county, and for another department once it is routed: 404; the list leaves it out."""
    from anquan.tipoffs import actions
    from anquan.tipoffs.models import TipOff

    Api(live).call("POST", PUBLIC, form=form(world, photos=("现场.png", PNG, "image/png")))
    t = TipOff.objects.get()
    photo = t.photos.get()
    actions.transition(t, "accept", actor=world.users["county_office"], department="应急管理局")

    def pages(username):
        browser = Session(live)
        browser.login(username, PASSWORD)
        token = browser.csrf_token("/tip-offs/")
        answers = [
            browser.request("GET", f"/tip-offs/{t.pk}/")[0],
            browser.request("GET", f"/tip-offs/{t.pk}/photos/{photo.pk}/")[0],
            browser.request("POST", f"/tip-offs/{t.pk}/notes/", {"csrfmiddlewaretoken": token, "text": "x"})[
                0
            ],
            browser.request("POST", f"/tip-offs/{t.pk}/identity/", {"csrfmiddlewaretoken": token})[0],
            browser.request(
                "POST", f"/tip-offs/{t.pk}/transitions/", {"csrfmiddlewaretoken": token, "action": "verify"}
            )[0],
        ]
        listed = t.tracking_code in browser.request("GET", "/tip-offs/")[2].decode()
        return answers, listed

    for outsider in ("county_office_b", "housing_supervisor"):
        answers, listed = pages(outsider)
        assert answers == [404] * 5 and not listed, outsider
    answers, listed = pages("emergency_supervisor")
    assert answers[:4] == [200, 200, 200, 200] and listed
    assert TipOff.objects.get().notes.count() == 1 and TipOff.objects.get().status == "verifying"
