"""The kinds of official documents (执法文书) and their states.

Names after the 2016 document system of the former State Administration (shared/reference/data/
enforcement_documents.json, first reference README §9): only the names are known there, not the official layouts
nor any numbering rule. The short codes (代字) written into a number: only 责改 (责令限期整改指令书) is in the
reference (README-wave2 §A7, "（地区简称）应急责改〔年份〕序号", from public code, not a norm); the others follow
the same habit and are **not verified** — they are rule data (`documents.numbering`) an office edits."""

from __future__ import annotations

from django.db import models


class DocumentKind(models.TextChoices):
    INSPECTION_RECORD = "inspection_record", "现场检查记录"
    ON_SITE_MEASURES = "on_site_measures", "现场处理措施决定书"
    RECTIFICATION_ORDER = "rectification_order", "责令限期整改指令书"
    REVIEW_OPINION = "review_opinion", "整改复查意见书"
    CASE_FILING = "case_filing", "立案审批表"
    PENALTY_NOTICE = "penalty_notice", "行政处罚告知书"
    HEARING_NOTICE = "hearing_notice", "听证告知书"
    PENALTY_DECISION = "penalty_decision", "行政处罚决定书"
    COERCIVE_MEASURES = "coercive_measures", "强制措施决定书"
    CASE_REFERRAL = "case_referral", "案件移送书"
    CASE_CLOSING = "case_closing", "结案审批表"


# kind → (default short code in the number, whether the reference has it)
KIND_CODES: dict[str, tuple[str, bool]] = {
    DocumentKind.INSPECTION_RECORD: ("检记", False),
    DocumentKind.ON_SITE_MEASURES: ("现决", False),
    DocumentKind.RECTIFICATION_ORDER: ("责改", True),  # README-wave2 §A7
    DocumentKind.REVIEW_OPINION: ("复查", False),
    DocumentKind.CASE_FILING: ("立审", False),
    DocumentKind.PENALTY_NOTICE: ("罚告", False),
    DocumentKind.HEARING_NOTICE: ("听告", False),
    DocumentKind.PENALTY_DECISION: ("罚决", False),
    DocumentKind.COERCIVE_MEASURES: ("强措", False),
    DocumentKind.CASE_REFERRAL: ("移送", False),
    DocumentKind.CASE_CLOSING: ("结审", False),
}


class Status(models.TextChoices):
    ISSUED = "issued", "已签发"
    VOIDED = "voided", "已作废"


STATUS_COLOURS = {Status.ISSUED: "success", Status.VOIDED: "secondary"}
