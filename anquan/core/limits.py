"""The last line before the database: no row is stored past its column's limits (issue #9 item 3).

SQLite does not enforce a CharField's max_length and both databases refuse (with a server error) an
integer past 64 bits, a decimal past its digits or a text with NUL. Forms, API schemas and imports
check their own fields with friendly messages first (and clean text, core.textclean); this `pre_save`
check catches whatever reaches `Model.save()` anyway and answers with the same field-level
ValidationFailed (API 422, page error). It refuses and never alters a value: an audit entry's hash is
computed before it is saved.
"""

import datetime as dt
import decimal

from django.core.exceptions import ValidationError
from django.db import models

from .errors import FieldError, ValidationFailed
from .textclean import BadText, clean_text

_CHECKED = (models.CharField, models.TextField, models.IntegerField, models.DecimalField, models.DateField)
YEAR_MIN, YEAR_MAX = 1900, 2200  # wider than any plausible-date window; catches year 1 and year 9999


def check_row(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures and loaddata
        return
    problems = []
    for field in sender._meta.concrete_fields:
        if not isinstance(field, _CHECKED) or field.primary_key:
            continue
        value = getattr(instance, field.attname)
        if value is None or value == "":
            continue
        if isinstance(value, str) and isinstance(field, (models.CharField, models.TextField)):
            try:
                if (
                    clean_text(value) != value
                ):  # inputs are cleaned where they enter; refuse, never alter here
                    problems.append(FieldError(field.name, "invalid_text", "包含不可见的控制字符"))
                    continue
            except BadText as exc:
                problems.append(FieldError(field.name, "invalid_text", str(exc)))
                continue
            if field.max_length and len(value) > field.max_length:
                problems.append(FieldError(field.name, "too_long", f"不能超过{field.max_length}个字符"))
        elif isinstance(field, models.DateField) and isinstance(value, dt.date):
            if not YEAR_MIN <= value.year <= YEAR_MAX:
                problems.append(FieldError(field.name, "out_of_range", "日期超出合理范围"))
        elif isinstance(field, (models.IntegerField, models.DecimalField)):
            if isinstance(value, float):
                value = decimal.Decimal(repr(value)) if isinstance(field, models.DecimalField) else value
            try:
                field.run_validators(value)
            except ValidationError:
                problems.append(FieldError(field.name, "out_of_range", "数值超出范围"))
            except (TypeError, ValueError, ArithmeticError):
                problems.append(FieldError(field.name, "invalid", "应为数字"))
    if problems:
        raise ValidationFailed(problems)


def connect():
    from django.apps import apps
    from django.db.models.signals import pre_save

    for model in apps.get_models():
        if model.__module__.startswith("anquan."):
            pre_save.connect(check_row, sender=model, dispatch_uid=f"limits:{model._meta.label}")
