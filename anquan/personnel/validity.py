"""A certificate's state on a day (valid / review due soon / review overdue / expiring soon / expired).

Which version of `personnel.certificates` applies is decided by the DATE THE REVIEW FALLS DUE: a special-operation
certificate's 3-year review that falls due up to 2026-05-31 is still owed under SAWS Order 30 art. 21 (not done,
the worker may not work: art. 26, the certificate lapses); one that falls due from 2026-06-01 is under MEM Order
19 — no review, the certificate runs its 6 years and is renewed. Coal-mine special workers (SAWS Order 92
art. 28-29) have no 3-year review. A review counts when it was done no earlier than `apply_within_days` before it
fell due (Order 30 art. 22). The safety qualification certificate has only its expiry date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from anquan.rules.models import RuleVersion
from anquan.rules.services import province_code

from .choices import CertificateKind, CertificateState
from .rules import CATALOGUE, CERTIFICATES, Certificates

if TYPE_CHECKING:
    from .models import Certificate


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


class RuleBook:
    """Every version of the personnel kinds, read once; `at(key, day, region)` is `rules.services.in_force`
    evaluated in memory (the latest version by then, the province's winning on the same day)."""

    def __init__(self) -> None:
        self.versions: dict[str, list[RuleVersion]] = {}
        self.parsed: dict[int, Certificates] = {}
        for version in RuleVersion.objects.filter(key__startswith="personnel.").order_by(
            "-effective_from", "-region_code"
        ):
            self.versions.setdefault(version.key, []).append(version)

    def at(self, key: str, day: dt.date, region_code: str = "") -> RuleVersion | None:
        province = province_code(region_code)
        for version in self.versions.get(key, []):
            if version.effective_from <= day and version.region_code in (province, ""):
                return version
        return None

    def certificates(self, day: dt.date, region_code: str = "") -> Certificates | None:
        version = self.at(CERTIFICATES, day, region_code)
        if version is None:
            return None
        if version.pk not in self.parsed:  # validated once per version (an import asks for every row)
            self.parsed[version.pk] = Certificates.model_validate(version.values)
        return self.parsed[version.pk]

    def coal_categories(self, day: dt.date, region_code: str = "") -> set[str]:
        version = self.at(CATALOGUE, day, region_code)
        return set(version.values.get("coal_categories", [])) if version else set()


@dataclass(frozen=True)
class Standing:
    state: CertificateState
    review_due_on: dt.date | None  # the review owed (None: none owed)
    next_due_on: dt.date  # the first day the certificate needs attention (review owed or expiry)
    basis: str  # which version decided, in Chinese


def review_owed(cert: Certificate, book: RuleBook, region_code: str = "") -> tuple[dt.date | None, str]:
    """The date a review falls due and is not done (None when none is owed), and the rule applied."""
    if cert.kind != CertificateKind.SPECIAL_OPERATION:
        return None, "安全生产知识和管理能力考核合格证：按有效期"
    first = book.certificates(cert.issued_on, region_code)
    if first is None:
        return None, "未找到施行中的特种作业证书规则"
    if cert.category_code in book.coal_categories(cert.issued_on, region_code):
        return None, "煤矿特种作业操作证：有效期6年，不设3年复审（原安监总局令第92号第二十八、二十九条）"
    every = first.extended_review_every_years if cert.review_extended else first.review_every_years
    if not every:
        return None, "期满换证，不复审"
    due = add_years(cert.issued_on, every)
    if due >= cert.expires_on:
        return None, "复审周期不短于有效期：期满换证"
    rule = book.certificates(due, region_code)  # the version in force when the review falls due decides
    if rule is None or not rule.review_every_years:
        return (
            None,
            f"复审应于{due:%Y-%m-%d}到期，届时已改为期满换证（应急管理部令第19号，2026-06-01起）：不再复审",
        )
    window_start = due - dt.timedelta(days=rule.apply_within_days)
    if any(done >= window_start for done in cert.review_dates):
        return None, f"已于{due:%Y-%m-%d}前复审"
    return due, f"复审应于{due:%Y-%m-%d}到期（原安监总局令第30号第二十一条，每3年复审）"


def standing(cert: Certificate, on: dt.date, book: RuleBook, region_code: str = "") -> Standing:
    due, basis = review_owed(cert, book, region_code)
    rule = book.certificates(on, region_code)
    reminder = dt.timedelta(days=rule.reminder_days if rule else 60)
    next_due = min(due, cert.expires_on) if due else cert.expires_on
    if on > cert.expires_on:
        state = CertificateState.EXPIRED
    elif due is not None and on > due:
        state = CertificateState.REVIEW_OVERDUE
    elif due is not None and on >= due - reminder:
        state = CertificateState.REVIEW_DUE
    elif on >= cert.expires_on - reminder:
        state = CertificateState.EXPIRING
    else:
        state = CertificateState.VALID
    return Standing(state, due, next_due, basis)


def schedule(cert: Certificate, book: RuleBook, region_code: str = "") -> None:
    """Set the certificate's `next_due_on` (review owed or expiry) and `remind_from` (that less the reminder days
    in force when it is written), which the to-do centre counts in one query."""
    cert.next_due_on = standing(cert, cert.issued_on, book, region_code).next_due_on
    rule = book.certificates(cert.next_due_on, region_code)
    cert.remind_from = cert.next_due_on - dt.timedelta(days=rule.reminder_days if rule else 60)
