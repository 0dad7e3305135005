"""Personnel with their certificates from Excel (issue #17 item 6; docs/adr/0002, 0036): a template to download,
every row checked before anything is written with Chinese row-level errors (bad ID check digit, unknown category or
job, expiry before issue, a certificate number repeated in the file or already registered, an unknown enterprise),
and an import that is all or nothing. One row is a person, optionally with one certificate; a person already
registered (same enterprise and ID number, or an earlier row of the file) gets the row's certificate added."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from anquan.core import audit, imports
from anquan.core.imports import ImportRefused, read_sheet
from anquan.core.models import AuditAction
from anquan.core.scope import CHANGE, in_scope, role_may
from anquan.core.xlsx import add_sheet, template_workbook, xlsx_response
from anquan.enterprises.models import Enterprise
from anquan.jobs.models import JobPhase

from . import idnumber
from .choices import CertificateKind, Post
from .models import POST_FIELDS, Certificate, Person
from .services import CertificateInput, catalogue_jobs, certificate_problems
from .validity import RuleBook, schedule

TITLE = "三项岗位人员导入"
COLUMNS = (
    ("enterprise", "企业统一社会信用代码", True),
    ("name", "姓名", True),
    ("id_number", "身份证号码", True),
    ("posts", "岗位", True),
    ("hired_on", "入职日期", False),
    ("phone", "联系电话", False),
    ("kind", "证书种类", False),
    ("job_code", "特种作业工种代码", False),
    ("number", "证书编号", False),
    ("issuing_authority", "发证机关", False),
    ("issued_on", "发证日期", False),
    ("expires_on", "有效期至", False),
)
TITLE_OF = {name: title for name, title, _ in COLUMNS}
POST_NAMES = {
    "主要负责人": Post.PRINCIPAL,
    "安全生产管理人员": Post.SAFETY_MANAGER,
    "安全管理人员": Post.SAFETY_MANAGER,
    "特种作业人员": Post.SPECIAL_WORKER,
    "班组长": Post.TEAM_LEADER,
    "其他": Post.OTHER,
}
KIND_NAMES = {
    "特种作业操作证": CertificateKind.SPECIAL_OPERATION,
    "安全生产知识和管理能力考核合格证": CertificateKind.SAFETY_QUALIFICATION,
}


@dataclass
class RowError:
    row: int
    column: str
    message: str


class ImportMode:
    """What an upload asks for (the job's mode): check every row and write nothing, or import all or nothing."""

    CHECK = "check"
    IMPORT = "import"
    CHOICES = (CHECK, IMPORT)


@dataclass
class PersonnelImport:
    total_rows: int = 0
    people: int = 0
    certificates: int = 0
    imported: int = 0  # rows written (all of them or none)
    dry_run: bool = True
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    @property
    def created(self) -> dict[str, int]:
        """What the import made, for its job's page (anquan.jobs.runner)."""
        return {} if self.dry_run else {"people": self.people, "certificates": self.certificates}


def template_response() -> HttpResponse:
    wb = template_workbook()
    ws = wb.active
    ws.title = TITLE
    for col, (_name, title, required) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=title + ("*" if required else ""))
        cell.font = Font(bold=True)
        if required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        ws.column_dimensions[get_column_letter(col)].width = max(12, len(title) * 2 + 2)
    notes = add_sheet(wb, "填写说明")
    for line in (
        "每行一名人员，可附一本证书；同一人员有多本证书时分多行填写（姓名、身份证号码相同）。带*的列必填。",
        "岗位：" + "、".join(POST_NAMES) + "，多个岗位用顿号或逗号分隔。",
        "证书种类："
        + "、".join(KIND_NAMES)
        + "；特种作业操作证须填写现行特种作业目录中的工种代码（如1.2 低压电工作业）。",
        "日期格式：2026-01-31。有效期至须晚于发证日期；证书编号在同一证书种类内不得重复。",
        "任一行有错误时整个文件都不导入，请按提示修改后重新上传。",
    ):
        notes.append([line])
    ws.freeze_panes = "A2"
    return xlsx_response(wb, "三项岗位人员导入模板.xlsx")


def _date(value: Any) -> dt.date | None | str:
    """A date, None for blank, or "" for a value that is not a date."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip().replace("/", "-"))
    except ValueError:
        return ""


def _posts(value: Any) -> list[str] | None:
    names = [
        p.strip() for p in str(value or "").replace("，", "、").replace(",", "、").split("、") if p.strip()
    ]
    posts = [POST_NAMES.get(n) or (n if n in Post.values else None) for n in names]
    return None if not posts or None in posts else [str(p) for p in posts]


class _Checker:
    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.book = RuleBook()
        self.enterprises: dict[str, Enterprise | None] = {}
        self.numbers: set[tuple[str, str]] = set()
        self.people: dict[tuple[int, str], dict[str, Any]] = {}  # (enterprise, id hash) → new person values

    def enterprise(self, uscc: str) -> Enterprise | None:
        if uscc not in self.enterprises:
            found = Enterprise.objects.filter(uscc=uscc).first()
            ok = found is not None and in_scope(Person(enterprise=found), self.actor, CHANGE)
            self.enterprises[uscc] = found if ok else None
        return self.enterprises[uscc]


def _check_row(
    number: int, raw: dict[str, Any], c: _Checker, result: PersonnelImport
) -> dict[str, Any] | None:
    errors: list[tuple[str, str]] = []
    uscc = str(raw.get("enterprise") or "").strip().upper()
    enterprise = c.enterprise(uscc) if uscc else None
    if enterprise is None:
        errors.append(("enterprise", f"统一社会信用代码为{uscc or '（空）'}的企业不存在或不在您的管理范围内"))
    name = str(raw.get("name") or "").strip()
    if not name or len(name) > 50:
        errors.append(("name", "请填写姓名（不超过50个字）"))
    id_number = idnumber.normalise(str(raw.get("id_number") or ""))
    why = idnumber.problem(id_number)
    if why:
        errors.append(("id_number", why))
    posts = _posts(raw.get("posts"))
    if posts is None:
        errors.append(("posts", "岗位应为：" + "、".join(POST_NAMES)))
    hired_on = _date(raw.get("hired_on"))
    if hired_on == "":
        errors.append(("hired_on", "日期格式应为2026-01-31"))
    cert = None
    kind_text = str(raw.get("kind") or "").strip()
    if kind_text or raw.get("number"):
        kind = KIND_NAMES.get(kind_text, kind_text)
        issued, expires = _date(raw.get("issued_on")), _date(raw.get("expires_on"))
        if issued == "" or expires == "":
            errors.append(("issued_on" if issued == "" else "expires_on", "日期格式应为2026-01-31"))
        data = CertificateInput(
            kind=str(kind),
            number=str(raw.get("number") or "").strip(),
            issuing_authority=str(raw.get("issuing_authority") or ""),
            issued_on=issued or None,  # type: ignore[arg-type]
            expires_on=expires or None,  # type: ignore[arg-type]
            job_code=str(raw.get("job_code") or "").strip(),
        )
        region = enterprise.region_code if enterprise else ""
        problems = certificate_problems(data, c.book, region, numbers_taken=c.numbers)
        if kind not in KIND_NAMES.values():
            problems = [p for p in problems if p.field != "kind"]
            errors.append(("kind", "证书种类应为：" + "、".join(KIND_NAMES)))
        errors.extend((p.field, p.message) for p in problems)
        c.numbers.add((data.kind, data.number))
        cert = data
    if errors:
        result.errors.extend(RowError(number, TITLE_OF.get(f, f), m) for f, m in errors)
        return None
    assert enterprise is not None and posts is not None
    return {
        "enterprise": enterprise,
        "name": name,
        "id_number": id_number,
        "posts": posts,
        "hired_on": hired_on,
        "phone": str(raw.get("phone") or "").strip()[:20],
        "certificate": cert,
    }


def import_job(data: bytes, *, actor: Any, mode: str, progress: Any = None) -> PersonnelImport:
    """The importer of a personnel import job (anquan.jobs.runner.import_handler): its mode checks or imports."""
    return import_workbook(data, actor=actor, dry_run=mode != ImportMode.IMPORT, progress=progress)


def import_workbook(data: bytes, *, actor: Any, dry_run: bool, progress: Any = None) -> PersonnelImport:
    """Check every row; unless `dry_run`, and only when no row has an error, import them all in one transaction
    (an import interrupted at any point leaves nothing behind). `progress` (a job's) hears how far it is."""
    result = PersonnelImport(dry_run=dry_run)
    if not role_may(actor, Person, CHANGE):
        result.file_error = "您的角色不能登记三项岗位人员"
        return result
    try:
        header, rows = read_sheet(data)
    except ImportRefused as exc:
        result.file_error = exc.message
        return result
    by_label = {title: name for name, title, _ in COLUMNS} | {name: name for name, _, _ in COLUMNS}
    mapping, unknown = imports.header_map(header, by_label, set())
    if unknown:
        result.file_error = f"无法识别的列：{'、'.join(unknown)}"
        return result
    missing = [title for name, title, required in COLUMNS if required and name not in mapping.values()]
    if missing:
        result.file_error = f"缺少必填列：{'、'.join(missing)}"
        return result
    result.total_rows = len(rows)
    checker = _Checker(actor)
    good = []
    if progress:
        progress.phase(JobPhase.CHECKING, len(rows))
    for done, (number, cells) in enumerate(rows, start=1):
        if progress and done % 250 == 0:
            progress.step(done)
        raw = {name: ("" if i >= len(cells) or cells[i] is None else cells[i]) for i, name in mapping.items()}
        row = _check_row(number, raw, checker, result)
        if row is not None:
            good.append({**row, "row": number})
    # certificate numbers already registered: one query for the whole file
    numbers = [r["certificate"].number for r in good if r["certificate"]]
    taken = (
        set(Certificate.objects.filter(number__in=numbers).values_list("kind", "number"))
        if numbers
        else set()
    )
    for r in good:
        cert = r["certificate"]
        if cert and (cert.kind, cert.number) in taken:
            result.errors.append(RowError(r["row"], TITLE_OF["number"], "此证书编号已登记"))
    result.errors.sort(key=lambda e: e.row)
    if dry_run or result.errors or not good:
        return result
    if progress:
        progress.phase(JobPhase.WRITING, len(rows))
    _create_all(good, actor, checker.book, result)
    return result


def _create_all(good: list[dict[str, Any]], actor: Any, book: RuleBook, result: PersonnelImport) -> None:
    """Write the checked rows: the people (ID numbers encrypted) and certificates (with their schedule) are built
    first, so that the one transaction — SQLite's write lock — holds only the inserts and their audit entries."""
    people: dict[tuple[int, str], Person] = {}  # (enterprise, id hash) → the person its first row describes
    certificates: list[tuple[tuple[int, str], Certificate]] = []
    for r in good:
        key = (r["enterprise"].pk, idnumber.id_hash(r["id_number"]))
        if key not in people:
            people[key] = Person(
                enterprise=r["enterprise"],
                name=r["name"],
                id_number_encrypted=idnumber.encrypt(r["id_number"]),
                id_hash=key[1],
                id_masked=idnumber.mask(r["id_number"]),
                hired_on=r["hired_on"],
                phone=r["phone"],
                **{POST_FIELDS[Post(p)]: True for p in r["posts"]},
            )
        if r["certificate"] is not None:
            certificates.append((key, _certificate(r["certificate"], r["enterprise"].region_code, book)))
    _write(people, certificates, actor, result)
    result.imported = len(good)


def _certificate(data: CertificateInput, region_code: str, book: RuleBook) -> Certificate:
    assert data.issued_on is not None and data.expires_on is not None  # certificate_problems requires both
    cert = Certificate(
        kind=data.kind,
        number=data.number,
        issuing_authority=data.issuing_authority.strip(),
        issued_on=data.issued_on,
        expires_on=data.expires_on,
    )
    if data.kind == CertificateKind.SPECIAL_OPERATION:
        cert.category_code, cert.job_name = catalogue_jobs(book, data.issued_on, region_code)[data.job_code]
        cert.job_code = data.job_code
    schedule(cert, book, region_code)
    return cert


@transaction.atomic
def _write(
    people: dict[tuple[int, str], Person],
    certificates: list[tuple[tuple[int, str], Certificate]],
    actor: Any,
    result: PersonnelImport,
) -> None:
    """People not yet registered, then every certificate on its person, each audited (`audit.record_many`)."""
    hashes = {key[1] for key in people}
    known = {(p.enterprise_id, p.id_hash): p for p in Person.objects.filter(id_hash__in=hashes)}
    new_people = [person for key, person in people.items() if key not in known]
    Person.objects.bulk_create(new_people, batch_size=500)
    if new_people and new_people[0].pk is None:  # a backend that returns no keys: read them back
        ids = dict(Person.objects.filter(id_hash__in=hashes).values_list("id_hash", "pk"))
        for p in new_people:
            p.pk = ids[p.id_hash]
    for key, cert in certificates:
        cert.person = known.get(key) or people[key]
    made = [cert for _key, cert in certificates]
    Certificate.objects.bulk_create(made, batch_size=500)
    audit.record_many(AuditAction.IMPORT, new_people, actor=actor, comment="Excel导入三项岗位人员")
    if made and made[0].pk is not None:
        audit.record_many(AuditAction.IMPORT, made, actor=actor, comment="Excel导入人员证书")
    result.people, result.certificates = len(new_people), len(made)
