"""`foialens network --conflicts` end to end: a sharing report and the laws it breaks go through the
real pipeline (extraction, tagging, relations, SQLite index); the conflicts name both pieces of
evidence. With ../shared/corpus present, the Orange County Sheriff's real 2020 LEARN report is in
the same batch and its shares with HSI and CBP conflict with the SB 34 fixture too."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from foialens.cli.main import app
from tests.conftest import CORPUS
from tests.support.laws import REAL_REPORT, conflict_data_dir

pytestmark = pytest.mark.slow  # the module's fixture runs the whole pipeline over a report and three laws


@pytest.fixture(scope="module")
def info(tmp_path_factory):
    return conflict_data_dir(tmp_path_factory, CORPUS / "real" if (CORPUS / "real").is_dir() else None)


def run(info, *args) -> str:
    result = CliRunner().invoke(app, ["network", *args, "--data-dir", str(info["data_dir"])], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def conflicts(info, *args) -> list[dict]:
    return [json.loads(line) for line in run(info, "--conflicts", "--json", *args).splitlines()]


RIVERTON = "local-riverton-police"


def test_the_report_and_the_laws_are_read(info):
    assert not info["summary"].failed
    rules = [json.loads(x) for x in run(info, "--polarity", "restrict", "--json").splitlines()]
    sb34 = [r for r in rules if r["citation"] == "Cal. Civ. Code § 1798.90.55"]
    assert len(sb34) == 1 and sb34[0]["data_type"] == "alpr" and sb34[0]["jurisdiction"] == "CA"
    assert sb34[0]["recipient_classes"] == ["federal", "out_of_state", "private"]
    assert "shall not sell, share, or transfer ALPR information" in sb34[0]["text"]
    grants = [json.loads(x) for x in run(info, "--from", RIVERTON, "--json").splitlines()]
    assert len(grants) == 20 and {g["via"][0] for g in grants} == {"learn_nvls"}
    assert {g["source_jurisdictions"][0] for g in grants} == {"CA"}  # the owner is in the report's state


def test_conflicts_pair_each_forbidden_share_with_the_rule(info):
    found = conflicts(info, "--from", RIVERTON)
    by_rule: dict[str, set[str]] = {}
    for c in found:
        by_rule.setdefault(c["rule"]["citation"], set()).add(c["grant"]["recipient_id"])
    # SB 34: only California public agencies may receive ALPR data: not HSI, CBP, nor Georgia and Texas police
    assert by_rule["Cal. Civ. Code § 1798.90.55"] == {"hsi", "cbp", "local-ga-alpharetta-police", "local-tx-dallas-police"}
    # SB 54 (databases available for immigration enforcement): the immigration agencies only
    assert by_rule["Cal. Gov. Code § 7284.6"] == {"hsi", "cbp"}
    hsi = next(c for c in found if c["grant"]["recipient_id"] == "hsi" and "1798.90.55" in c["rule"]["citation"])
    assert hsi["grant"]["text"] == "DHS - HSI (San Diego CA)" and hsi["grant"]["page"] == 1
    assert hsi["grant"]["path"].endswith("riverton_pd_learn_sharing_2020.pdf")
    assert hsi["rule"]["path"].endswith("ca_civ_code_1798_90_55.pdf") and hsi["rule"]["page"] == 1
    assert any("federal agency" in r for r in hsi["reasons"])
    # in-state police are public agencies: no conflict
    assert not any(c["grant"]["recipient_id"] == "local-ca-anaheim-police" for c in found)


def test_conflicts_table_and_filters(info):
    out = run(info, "--conflicts", "--from", RIVERTON, "--to", "ice")
    assert "Conflicts: 2 grants" in out and "Cal. Civ. Code § 1798.90.55" in out and "Cal. Gov. Code § 7284.6" in out
    assert "HSI (San Diego" in out and "learn_nvls" in out
    assert conflicts(info, "--from", RIVERTON, "--data-type", "fingerprints") == []


def test_real_learn_report_breaks_the_alpr_law(info):
    if not info["real"]:
        pytest.skip(f"../shared/corpus/real/{REAL_REPORT} is not present")
    found = [c for c in conflicts(info) if c["grant"]["path"].endswith(REAL_REPORT)]
    sheriff = {c["grant"]["source_id"] for c in found}
    assert sheriff == {"local-orange-county-sheriff"}
    federal = {c["grant"]["recipient_id"] for c in found if "1798.90.55" in c["rule"]["citation"]}
    assert {"hsi", "cbp"} <= federal
    hsi = next(c for c in found if c["grant"]["recipient_id"] == "hsi")
    assert "HSI" in hsi["grant"]["text"] and hsi["grant"]["page"] >= 1


def test_analyze_json_has_programs_kind_and_rules(info):
    law = next(f for f in info["files"] if f.name == "ca_gov_code_7284_6.pdf")
    result = CliRunner().invoke(app, ["analyze", str(law), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout.splitlines()[0])
    assert doc["kind"] == "law"
    [detainer] = [p for p in doc["programs"] if p["id"] == "ice_detainer"]  # "a hold request"
    assert detainer["name"] == "ICE detainers" and {"page", "text", "start", "end"} <= set(detainer["mentions"][0])
    assert detainer["mentions"][0]["text"] == "hold request"
    rules = [r for r in doc["relations"] if r["polarity"] == "restrict"]
    assert {r["citation"] for r in rules} == {"Cal. Gov. Code § 7284.6"} and len(rules) == 4
