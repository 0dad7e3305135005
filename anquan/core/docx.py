"""A .docx from a docxtpl template, shared by the official documents (documents/render.py) and the bulletins
(bulletins/generate.py): where a template is read from, and rendering it safely.

- `template_path(setting, name, default_dir)`: the province's own template when the directory named by the
  setting (else the environment variable of the same name) holds a file `name`, else the default.
- `render(template, context, what=...)`: renders in a sandboxed Jinja environment with autoescape (a value typed by
  a user is text, never a tag); a broken template is a field-level 422 naming it, never a 500. The caller opens
  the template (`DocxTemplate(path)`) so that it can add images (InlineImage needs the template) first."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from .errors import FieldError, ValidationFailed

log = logging.getLogger(__name__)


def template_path(setting: str, name: str, default_dir: Path) -> Path:
    custom = getattr(settings, setting, None) or os.environ.get(setting)
    if custom and (Path(custom) / name).is_file():
        return Path(custom) / name
    return default_dir / name


def render(template: DocxTemplate, name: str, context: dict[str, Any], *, what: str) -> bytes:
    """The rendered document's bytes; `name` is the template's file name and `what` its kind in Chinese
    (文书, 公报) for the message of a broken template."""
    try:
        template.render(context, jinja_env=SandboxedEnvironment(), autoescape=True)
    except TemplateError as exc:
        log.exception("%s template %s failed to render", what, name)
        raise ValidationFailed(
            [FieldError("kind", "template_error", f"{what}模板“{name}”有误，无法生成：{exc}")]
        ) from None
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
