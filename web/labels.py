"""Human-readable labels for facet values (display only; ids stay the filter values)."""

from __future__ import annotations

import re
from functools import lru_cache

FIELD_TITLES = {
    "vendors": "Vendors",
    "data_types": "Data types",
    "agencies": "Agencies",
    "clauses": "Clauses",
    "exemptions": "FOIA exemptions",
    "redactions": "Redactions",
    "batch": "Batch",
    "year": "Year",
}

CLAUSE_TITLES = {
    "ice_access": "ICE/DHS access",
    "ice_restriction": "ICE/DHS restriction",
    "third_party_sharing": "Third-party sharing",
    "retention": "Retention",
    "audit_oversight": "Audit / oversight",
    "purpose_limitation": "Purpose limitation",
    "sensitive_locations": "Sensitive locations",
}

_EXEMPTION = re.compile(r"^b(\d)([a-f]?)$")


@lru_cache(maxsize=1)
def _gazetteer_name():
    """models.gazetteer.display_name(kind, id) when the models package provides it, else None."""
    try:
        from foialens.models.gazetteer import display_name  # type: ignore[import-not-found]
    except Exception:  # models/ is optional for the web layer
        return None
    return display_name


def exemption_label(code: str) -> str:
    """b7c -> (b)(7)(C); unknown codes unchanged."""
    m = _EXEMPTION.match(code or "")
    if not m:
        return code
    return f"(b)({m.group(1)})" + (f"({m.group(2).upper()})" if m.group(2) else "")


REDACTION_TITLES = {"redacted": "Redacted page", "text_under_box": "Text under a box (bad redaction)"}

_KINDS = {"vendors": "vendor", "data_types": "data_type", "agencies": "agency"}


@lru_cache(maxsize=4096)
def label(field: str, value: str) -> str:
    if field == "clauses":
        return CLAUSE_TITLES.get(value, value)
    if field == "exemptions":
        return exemption_label(value)
    if field == "redactions":
        return REDACTION_TITLES.get(value, value)
    if field in _KINDS:
        fn = _gazetteer_name()
        if fn is not None:
            try:
                name = fn(_KINDS[field], value)
            except Exception:
                name = None
            if isinstance(name, str) and name:
                return name
    return value
