"""`foialens watch` options: --direct/--deployment is a switch and the deployment's name has its
own option (both were `--deployment`, so `watch DIR --deployment` took the next word as a name)."""

from __future__ import annotations

from click.testing import CliRunner

from foialens.cli.main import app


def test_deployment_switch_without_a_server_names_the_missing_setting(tmp_path, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    result = CliRunner().invoke(app, ["watch", str(tmp_path), "--deployment", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 2, result.output
    assert "--deployment needs PREFECT_API_URL" in result.output


def test_deployment_name_is_its_own_option(tmp_path, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    result = CliRunner().invoke(app, ["watch", str(tmp_path), "--deployment-name", "ingest_batch/other", "--deployment",
                                      "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 2 and "--deployment needs PREFECT_API_URL" in result.output


def test_missing_folder_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["watch", str(tmp_path / "nope"), "--direct", "--once"])
    assert result.exit_code == 2 and "no such folder" in result.output
