"""README documents every setting, and every setting README names exists (as datasette's
tests/test_docs.py does for its settings)."""

from __future__ import annotations

import re
from pathlib import Path

from foialens.settings import Settings, setting_names

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
SETTINGS_SECTION = README[README.index("<!-- section:settings -->"):README.index("<!-- /section:settings -->")]


def test_every_setting_is_documented_in_the_settings_table():
    rows = set(re.findall(r"^\| `(FOIALENS_[A-Z0-9_]+)` \|", SETTINGS_SECTION, re.M))
    assert rows == set(setting_names())


def test_every_foialens_variable_named_in_readme_is_a_setting():
    named = set(re.findall(r"\bFOIALENS_[A-Z0-9_]*[A-Z0-9]\b", README))
    assert named <= set(setting_names()), sorted(named - set(setting_names()))


def test_documented_defaults_are_the_real_ones():
    """The table's default column matches Settings for the fields with a fixed default."""
    defaults = dict(re.findall(r"^\| `(FOIALENS_[A-Z0-9_]+)` \| `([^`]*)` \|", SETTINGS_SECTION, re.M))
    s = Settings(_env_file=None)
    for name, field in Settings.model_fields.items():
        if name == "es":
            for sub in type(s.es).model_fields:
                key = f"FOIALENS_ES_{sub.upper()}"
                if key in defaults:
                    assert defaults[key] == _show(getattr(s.es, sub)), key
        elif (key := f"FOIALENS_{name.upper()}") in defaults and field.default_factory is None:
            assert defaults[key] == _show(field.default), key


def _show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
