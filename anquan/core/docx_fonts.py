"""Fonts and language of Chinese .docx documents built with python-docx (the hazard dossier, the risk notice
card, the bulletin templates).

python-docx's `font.name` sets only the Latin font (`w:ascii`, `w:hAnsi`): Word and WPS then show Chinese text
in the document's default East Asian font. `set_font` names the font for every script."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles.style import CharacterStyle
from docx.text.run import Run

SCRIPTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")


def set_font(target: Run | CharacterStyle, name: str) -> None:
    """Set the Latin and the East Asian font of a run or a style (paragraph styles are character styles)."""
    target.font.name = name
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in SCRIPTS:
        rfonts.set(qn(attr), name)


def set_language(style: CharacterStyle, latin: str, east_asian: str = "zh-CN") -> None:
    """Mark the style's text with its languages (spelling, line breaking and font fallback in Word / WPS)."""
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), latin)
    lang.set(qn("w:eastAsia"), east_asian)
    style.element.get_or_add_rPr().append(lang)
