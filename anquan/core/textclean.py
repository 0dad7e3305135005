"""What text may contain, for every way text comes in: API JSON, query strings, page forms, Excel imports.

One rule (issue #9): text is normalised, not refused, unless it cannot be stored at all.
- C0 control characters other than tab, newline and carriage return are removed; a vertical tab or
  form feed (what Word puts in a pasted manual line break) becomes a newline. NUL is removed too:
  PostgreSQL cannot store it in text, and openpyxl cannot write any of them into a workbook.
- Lone surrogates (only possible through a JSON ``\\ud800`` escape) cannot be encoded as UTF-8 and are
  refused: the caller gets a field-level error naming where it was.
"""

import re

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BREAKS = re.compile(r"[\x0b\x0c]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class BadText(ValueError):
    """Text that cannot be stored (a lone surrogate)."""

    path: tuple = ()  # where in a JSON body (set by clean_tree)


def clean_text(value: str) -> str:
    """`value` with control characters removed (VT/FF → newline); raises BadText for a lone surrogate."""
    if _SURROGATE.search(value):
        raise BadText("包含无法识别的字符（不成对的代理码元）")
    if value.isprintable():  # the common case: nothing to do
        return value
    return _CONTROL.sub("", _BREAKS.sub("\n", value))


def strip_for_export(value: str) -> str:
    """Second line of defence for workbooks: whatever openpyxl refuses is dropped (never an error)."""
    return _CONTROL.sub("", _BREAKS.sub("\n", _SURROGATE.sub("\ufffd", value)))


def clean_tree(value, path: tuple = ()):
    """A parsed JSON value with every string cleaned; raises BadText with `.path` set at the first bad one."""
    if isinstance(value, str):
        try:
            return clean_text(value)
        except BadText as exc:
            exc.path = path
            raise
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            clean_key = clean_tree(key, path + (key,)) if isinstance(key, str) else key
            out[clean_key] = clean_tree(item, path + (key,))
        return out
    if isinstance(value, list):
        return [clean_tree(item, path + (i,)) for i, item in enumerate(value)]
    return value
