"""Letters for the every-operation test (issue #15): 九江市's office writes to 濂溪区 (the county office persona is
the recipient): one issued letter to reply to through /transitions, one to reply to with a file (multipart), and
one already replied with a file (its download)."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone


def _png(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 90, 200)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def seed_letters(world) -> tuple[dict, dict]:
    from anquan.letters import services

    city = world.users["city_office"]
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()

    def letter(subject: str):
        raw = {
            "kind": "reminder",
            "recipient_region": "360402",
            "subject": subject,
            "body": "请落实。",
            "required_actions": "按期回复",
            "reply_due": due,
        }
        return services.create_letter(raw, actor=city, issue=True)

    to_reply, to_reply_with_file, replied = letter("接口回复"), letter("接口附件回复"), letter("接口已回复")
    replied = services.transition(
        replied, "reply", actor=world.users["county_office"], files=[_png("回复.png")], reply="已落实"
    )
    attachment = replied.attachments.get()
    ids = {"letter_id": to_reply.pk}
    by_operation = {
        "POST /api/v1/letters/{letter_id}/reply": {"letter_id": to_reply_with_file.pk},
        "GET /api/v1/letters/{letter_id}/files/{file_id}": {
            "letter_id": replied.pk,
            "file_id": attachment.pk,
        },
    }
    return ids, by_operation


OVERRIDES = {
    "POST /api/v1/letters": {
        "body": lambda seeds: {
            "kind": "reminder",
            "recipient_region": seeds.keys["grid_township"],
            "reply_due": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            "issue": True,
        }
    },
    "POST /api/v1/letters/{letter_id}/transitions": {"body": {"action": "reply", "reply": "已按要求落实"}},
}
BINARY = {"GET /api/v1/letters/{letter_id}/files/{file_id}": "image/png"}
