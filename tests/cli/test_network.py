"""`foialens network` over a real SQLite index: --to a subtree, --from a name, --changes between two
reports of one sheriff, JSON Lines, CSV and GraphML."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from foialens.cli.main import app
from foialens.search.config import BackendConfig
from foialens.search.factory import open_backend
from tests.search.test_relations import rel

SHERIFF = "local-orange-county-sheriff"
R2020, R2022 = "1" * 64, "2" * 64


@pytest.fixture
def data_dir(tmp_path):
    backend = open_backend(BackendConfig(sqlite_path=tmp_path / "index.sqlite"))
    backend.replace_relations(R2020, [
        rel(R2020, 0, SHERIFF, "hsi", rpath=["hsi", "ice", "dhs"], batch="2020"),
        rel(R2020, 1, SHERIFF, "local-ca-anaheim-police", batch="2020"),
        rel(R2020, 2, SHERIFF, "local-ga-alpharetta-police", batch="2020"),
    ])
    backend.replace_relations(R2022, [
        rel(R2022, 0, SHERIFF, "hsi", rpath=["hsi", "ice", "dhs"], batch="2022"),
        rel(R2022, 1, SHERIFF, "local-ca-anaheim-police", batch="2022"),
        rel(R2022, 2, SHERIFF, "cbp", rpath=["cbp", "dhs"], batch="2022"),
        rel(R2022, 3, "local-irvine-police", "ice", rpath=["ice", "dhs"], polarity="restrict", batch="2022"),
    ])
    backend.close()
    return tmp_path


def run(data_dir, *args) -> str:
    result = CliRunner().invoke(app, ["network", *args, "--data-dir", str(data_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_to_ice_lists_sources_with_evidence(data_dir):
    out = run(data_dir, "--to", "ice")
    assert "Orange County Sheriff" in out and "Hsi" in out and "1 sources" in out
    assert "Irvine" not in out  # a restriction is no flow
    lines = [json.loads(line) for line in run(data_dir, "--to", "ice", "--json").splitlines()]
    assert {(r["source_id"], r["recipient_id"], r["doc_id"][:1]) for r in lines} == {(SHERIFF, "hsi", "1"), (SHERIFF, "hsi", "2")}
    assert all(r["text"] and r["page"] for r in lines)
    restricts = run(data_dir, "--to", "ice", "--polarity", "restrict", "--json").splitlines()
    assert [json.loads(x)["source_id"] for x in restricts] == ["local-irvine-police"]


def test_from_a_name_and_changes_between_reports(data_dir):
    out = run(data_dir, "--from", "Orange County Sheriff", "--changes")
    assert "3 recipients" in out and "+1 / -1 since the previous document" in out
    assert "added: Cbp" in out and "removed: Local Ga Alpharetta Police" in out


def test_csv_and_graphml(data_dir, tmp_path):
    csv_out = run(data_dir, "--to", "dhs", "--format", "csv")
    assert csv_out.splitlines()[0].startswith("source_id,source_name,recipient_id") and len(csv_out.splitlines()) == 4
    graph_file = tmp_path / "net.graphml"
    run(data_dir, "--format", "graphml", "--out", str(graph_file))
    g = nx.read_graphml(graph_file)
    assert g.number_of_edges() == 6 and g.has_edge(SHERIFF, "hsi")


def test_unknown_agency_and_missing_index_are_usage_errors(data_dir, tmp_path):
    result = CliRunner().invoke(app, ["network", "--from", "Nowhere Sheriff", "--data-dir", str(data_dir)])
    assert result.exit_code == 2 and "no source agency matching" in result.output
    result = CliRunner().invoke(app, ["network", "--to", "ice", "--data-dir", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "no index" in result.output


def test_top_limits_the_table_not_the_relations(data_dir):
    backend = open_backend(BackendConfig(sqlite_path=data_dir / "index.sqlite"))
    backend.replace_relations("3" * 64, [rel("3" * 64, 0, "local-ca-tustin-police", "cbp", rpath=["cbp", "dhs"])])
    backend.close()
    out = run(data_dir, "--to", "dhs", "--top", "1")
    assert "2 sources" in out and "Orange County Sheriff" in out and "Tustin" not in out  # most recipients first
    assert "1 more sources with fewer recipients" in out
    assert "Tustin" in run(data_dir, "--to", "dhs", "--top", "0")
    lines = run(data_dir, "--to", "dhs", "--top", "1", "--json").splitlines()
    assert len(lines) == 4  # every relation, whatever --top says
