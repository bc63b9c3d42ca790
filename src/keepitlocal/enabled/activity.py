"""Activity codes: SIC 2007 codes and sections (for GVA) and HCA use classes (for floorspace).

Tenants rarely know both. The appendix used "the most similar industry codes" where activities
did not align; here that judgement is a documented mapping table, and the result says when it
was used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from keepitlocal.enabled.reference import ReferenceSet

_SECTION = re.compile(r"[A-Za-z]")
_SIC_SHAPE = re.compile(r"\d{2}(?:\.?\d(?:\d(?:/?\d)?)?)?")  # 56, 56.1, 56.10, 56.10/1


def code_kind(text: str) -> str | None:
    """ "sic" for a section letter or a numeric code, "use_class" for a use-class-like code."""
    text = text.strip()
    if _SECTION.fullmatch(text) or re.fullmatch(r"[\d./ ]+", text):
        return "sic"
    if re.search(r"[A-Za-z]", text):
        return "use_class"
    return None


def normalise_sic(text: str) -> str | None:
    """Canonical SIC 2007 form: "I", "56", "56.1", "56.10" or "56.10/1"; None if not that shape.

    Accepts the spellings people use: "5610", "56.10", "56101", "56.10/1", a lower-case section.
    """
    text = text.strip().replace(" ", "")
    if _SECTION.fullmatch(text):
        return text.upper()
    if not _SIC_SHAPE.fullmatch(text):
        return None
    digits = text.replace(".", "").replace("/", "")
    if not digits.isdigit() or not 2 <= len(digits) <= 5:
        return None
    code = digits[:2]
    if len(digits) >= 3:
        code += "." + digits[2:4]
    if len(digits) == 5:
        code += "/" + digits[4]
    return code


def section_of(code: str, reference: ReferenceSet) -> str | None:
    """The section letter of a canonical SIC code, or None for a division that does not exist."""
    if code in reference.sections:
        return code
    division = int(code[:2])
    for section in reference.sections.values():
        if section.first_division <= division <= section.last_division:
            return section.letter
    return None


def sic_chain(code: str, reference: ReferenceSet) -> list[str]:
    """From most to least specific: "56.10/1" → ["56.10/1", "56.10", "56.1", "56", "I"]."""
    chain = [code]
    if code in reference.sections:
        return chain
    if "/" in code:
        chain.append(code.split("/")[0])
    base = chain[-1]
    if len(base) == 5:  # 56.10
        chain.append(base[:4])
    if len(chain[-1]) == 4:  # 56.1
        chain.append(base[:2])
    section = section_of(code, reference)
    if section:
        chain.append(section)
    return chain


def _squash(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def normalise_use_class(text: str, reference: ReferenceSet) -> str | None:
    """The canonical use class for a code or alias ("e(g)(i)" → "B1a"), or None if unknown."""
    wanted = _squash(text)
    for use_class in reference.use_classes.values():
        if wanted == _squash(use_class.code) or any(
            wanted == _squash(a) for a in use_class.aliases
        ):
            return use_class.code
    return None


@dataclass(frozen=True)
class Activity:
    """A tenant's activity resolved to both kinds of code, saying which were assumed and how."""

    sic: str | None
    section: str | None
    use_class: str | None
    sic_assumed: str | None = None
    use_class_assumed: str | None = None

    def describe(self, reference: ReferenceSet) -> str:
        parts = []
        if self.sic:
            label = reference.sections[self.section].label if self.section else ""
            shown = f"SIC {self.sic}" if self.sic != self.section else f"SIC section {self.sic}"
            if self.section and self.sic != self.section:
                shown += f" (section {self.section})"
            parts.append(f"{shown} {label}".strip() + (" [assumed]" if self.sic_assumed else ""))
        if self.use_class:
            label = reference.use_classes[self.use_class].label
            parts.append(
                f"use class {self.use_class} {label}"
                + (" [assumed]" if self.use_class_assumed else "")
            )
        return "; ".join(parts)


def resolve(sic: str | None, use_class: str | None, reference: ReferenceSet) -> Activity:
    """Fill the missing kind of code from the mapping tables (a convention, recorded as such).

    The inputs must already be valid (see validate); unknown codes resolve to None.
    """
    sic_code = normalise_sic(sic) if sic else None
    section = section_of(sic_code, reference) if sic_code else None
    use = normalise_use_class(use_class, reference) if use_class else None
    sic_assumed = use_assumed = None
    if use is None and sic_code and section:
        for code in sic_chain(sic_code, reference):
            mapped = reference.sic_to_use_class.get(code)
            if mapped:
                use = mapped.to
                use_assumed = (
                    f"use class {use} taken as most similar to SIC {code} ({mapped.note}; "
                    "keepitlocal convention)"
                )
                break
    if sic_code is None and use:
        assumed = reference.use_classes[use].assumed_sic
        if assumed:
            sic_code = assumed
            section = section_of(assumed, reference)
            sic_assumed = (
                f"SIC {assumed} taken as most similar to use class {use} (keepitlocal convention)"
            )
    return Activity(sic_code, section, use, sic_assumed, use_assumed)
