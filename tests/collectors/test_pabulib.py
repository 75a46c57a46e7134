"""Pabulib collector: site index parsing, downloads, hand-off to the PB importer, faults."""

from __future__ import annotations

import sys
from pathlib import Path

from collectors import rebuild
from collectors.pabulib import parse_index
from tests.collectors.helpers import run
from tests.collectors.replay import RECORDINGS, Reply

REC = RECORDINGS / "pabulib"


def test_parse_index_reads_tiles_and_refuses_path_tricks():
    files = parse_index((REC / "index.html").read_text(encoding="utf-8"), "https://pabulib.org")
    assert files == [
        ("Netherlands_Testdam_2024.pb", "https://pabulib.org/download/Netherlands_Testdam_2024.pb"),
        ("Poland_Testowo_2025.pb", "https://pabulib.org/download/Poland_Testowo_2025.pb"),
        ("Broken_File_2020.pb", "https://pabulib.org/download/Broken_File_2020.pb"),
    ]


def test_downloads_handed_to_importer(server, con, archive_dir, clock, recording_importer):
    server.load("pabulib")
    summary = run(con, "pabulib", server.base, archive_dir, clock)
    assert summary.status == "partial" and summary.fetched == 2 and summary.failed == 1
    assert "Broken_File_2020.pb" in summary.errors[0] and "not a .pb file" in summary.errors[0]
    names = [f[0] for f in recording_importer]
    assert names == ["Netherlands_Testdam_2024.pb", "Poland_Testowo_2025.pb"]
    assert recording_importer[0][1] == (REC / "Netherlands_Testdam_2024.pb").read_bytes()
    assert recording_importer[0][2] == f"{server.base}/download/Netherlands_Testdam_2024.pb"


def test_second_run_is_conditional(server, con, archive_dir, clock, recording_importer):
    server.load("pabulib")
    run(con, "pabulib", server.base, archive_dir, clock)
    server.routes[("GET", "/download/Netherlands_Testdam_2024.pb")].append(Reply(304, b"", content_type=None))
    run(con, "pabulib", server.base, archive_dir, clock)
    sent = [s for s in server.seen if s.path == "/download/Netherlands_Testdam_2024.pb"]
    assert sent[-1].headers.get("If-None-Match") == '"pb-a-1"'
    assert recording_importer[-2][1] == (REC / "Netherlands_Testdam_2024.pb").read_bytes()   # replayed body


def test_index_down_fails_cleanly(server, con, archive_dir, clock, recording_importer):
    server.add("GET", "/", Reply(503, "maintenance", content_type="text/html"))
    summary = run(con, "pabulib", server.base, archive_dir, clock)
    assert summary.status == "failed" and "file index" in summary.errors[0] and not recording_importer


def test_failing_importer_is_a_clear_failure_and_downloads_stay_archived(server, con, archive_dir, clock,
                                                                         monkeypatch):
    import types

    def refuse(con, items, strict=False):
        raise ValueError("importer refused the batch")

    monkeypatch.setitem(sys.modules, "observatory.pb.importer", types.SimpleNamespace(import_editions=refuse))
    server.load("pabulib")
    summary = run(con, "pabulib", server.base, archive_dir, clock)
    assert summary.status == "failed" and any("importer refused the batch" in e for e in summary.errors)
    assert con.execute("SELECT count(*) FROM raw_responses WHERE url LIKE '%.pb'").fetchone()[0] == 3


def test_rebuild_hands_the_same_bytes(server, con, archive_dir, clock, recording_importer):
    server.load("pabulib")
    run(con, "pabulib", server.base, archive_dir, clock)
    live = list(recording_importer)
    recording_importer.clear()
    server.stop()
    rebuild(con, archive_dir, ["pabulib"])
    assert recording_importer == live


def test_real_importer_on_real_files(server, con, archive_dir, clock, shared_data: Path):
    files = sorted((shared_data / "pabulib" / "files").glob("*.pb"), key=lambda p: p.stat().st_size)[:2]
    tiles = "".join(f'<section class="tile" data-file="{p.name}"><a class="download" href="/download/{p.name}">'
                    f"</a></section>" for p in files)
    server.add("GET", "/", Reply(200, f"<html><body>{tiles}</body></html>", content_type="text/html"))
    for p in files:
        server.add("GET", f"/download/{p.name}", Reply(200, p.read_bytes(), content_type="application/octet-stream"))
    summary = run(con, "pabulib", server.base, archive_dir, clock)
    assert summary.status == "ok" and summary.fetched == 2, summary.errors


def test_real_importer_reports_a_bad_file_and_keeps_the_others(server, con, archive_dir, clock):
    """A downloaded file that does not parse (budget 0 here) is a failed source of the run, not a silent row."""
    good = (REC / "Poland_Testowo_2025.pb").read_bytes()
    bad = good.replace(b"\nbudget;", b"\nbudget;0\nold_budget;", 1)
    assert bad != good
    tiles = "".join(f'<section class="tile" data-file="{n}"><a class="download" href="/download/{n}"></a></section>'
                    for n in ("Good_2025.pb", "Zero_Budget_2025.pb"))
    server.add("GET", "/", Reply(200, f"<html><body>{tiles}</body></html>", content_type="text/html"))
    server.add("GET", "/download/Good_2025.pb", Reply(200, good, content_type="application/octet-stream"))
    server.add("GET", "/download/Zero_Budget_2025.pb", Reply(200, bad, content_type="application/octet-stream"))
    summary = run(con, "pabulib", server.base, archive_dir, clock)
    assert summary.status == "partial" and summary.failed == 1, summary.errors
    assert any("Zero_Budget_2025.pb" in e and "budget" in e for e in summary.errors), summary.errors
    assert con.execute("SELECT edition_id FROM pb_editions").fetchall() == [("Good_2025",)]
