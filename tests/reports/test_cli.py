"""``observatory report``: files written per format, clear errors and exit codes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from observatory.reports.cli import register

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test app holding only the report command."""

    register(app)
    return app


def _run(app: typer.Typer, db: Path, *args: str):  # noqa: ANN202 - click Result
    return runner.invoke(app, ["report", "--db", str(db), *args])


@pytest.mark.parametrize(("fmt", "magic"), [("html", b"<!DOCTYPE html>"), ("xlsx", b"PK"), ("csv", b"PK")])
def test_each_format_is_written(app: typer.Typer, report_db: Path, tmp_path: Path, fmt: str, magic: bytes) -> None:
    out = tmp_path / f"cmp.{fmt}"
    result = _run(app, report_db, "--tools", "decidim,consul-democracy,loomio,polis", "--lang", "fr",
                  "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)
    assert not list(tmp_path.glob(".*"))    # no temporary file left behind
    if fmt == "csv":
        readme = zipfile.ZipFile(out).read("README.txt").decode()
        assert f"--format csv -o {out}" in readme     # the title page names the exact command


def test_unknown_tool_exits_2_and_lists_valid_ids(app: typer.Typer, report_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.html"
    result = _run(app, report_db, "--tools", "decidim,not-a-tool", "-o", str(out))
    assert result.exit_code == 2
    assert "not-a-tool" in result.output and "consul-democracy" in result.output and "loomio" in result.output
    assert not out.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "docx"], "unknown report format 'docx'"),
    (["--lang", "de"], "unknown language 'de'"),
    (["--pb-edition", "missing-file.pb"], "missing-file.pb"),
])
def test_bad_arguments_exit_2(app: typer.Typer, report_db: Path, tmp_path: Path, args: list[str], message: str) -> None:
    result = _run(app, report_db, "--tools", "decidim", "-o", str(tmp_path / "x"), *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (tmp_path / "x").exists()


def test_missing_database_exits_1(app: typer.Typer, tmp_path: Path) -> None:
    result = _run(app, tmp_path / "nope.duckdb", "--tools", "decidim", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 1
    assert "database not found" in result.output


def test_needs_file_adds_the_ranking(app: typer.Typer, report_db: Path, tmp_path: Path) -> None:
    needs = tmp_path / "needs.yaml"
    needs.write_text("processes: [proposals, participatory_budgeting]\nhosting: self_host\nmust_be_osi: true\n",
                     encoding="utf-8")
    out = tmp_path / "ranked.html"
    result = _run(app, report_db, "--tools", "decidim,loomio", "--needs", str(needs), "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert 'data-section="chooser"' in html and 'data-table="chooser"' in html
    assert f"--needs {needs}" in html
    assert "participatory_budgeting" in html     # the needs, reproduced as YAML

    bad = tmp_path / "bad.yaml"
    bad.write_text("colour: blue\n", encoding="utf-8")
    result = _run(app, report_db, "--tools", "decidim", "--needs", str(bad), "-o", str(tmp_path / "y.html"))
    assert result.exit_code == 2 and "colour" in result.output
