"""Attacks on the importers (``import any|decidim-open-data|consul-csv``, ``pb import|compare``) through the
real CLI: each in a subprocess under a memory cap and a timeout, each on its own copy of a store that
already holds a Decide Madrid proposal and a complete PB edition.

Every attack asserts its exit code, exactly one ``error:`` line, no traceback, and the data fingerprint
unchanged (lenient ``pb import`` may only add its failure to ``pb_problems``). Each guard has a control
showing what the unguarded path does. The runs are started together (one per core) so the matrix stays
within its CI budget.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from tests.reliability.conftest import (
    DEFAULT_MEMORY_CAP_BYTES,
    CliRun,
    _limit_memory,
    assert_one_error,
    cli_command,
    run_cli,
)

MADRID = "decide.madrid.es"
CONSUL_HEADER = '"id";"title";"description";"cached_votes_up";"created_at";"retired_at"\n'
MADRID_ROW = '"35573";"Metro accesible Campamento";"<p>Campamento</p>";"15";"01/01/2024";""\n'
EDITION = "Testville_2024"
PB_VOTERS = ["v1;1,2", "v2;1", "v3;1,3", "v4;2,3", "v5;1,2", "v6;3"]


def pb_text(budget: str = "100", voters: list[str] | None = None, num_votes: int | None = None,
            cost_of_1: str = "50") -> str:
    """A small approval edition; every defect an attack needs is one argument away."""
    voters = PB_VOTERS if voters is None else voters
    return "\n".join([
        "META", "key;value", "description;test edition", "country;Nowhere", "unit;Testville", "instance;2024",
        "num_projects;3", f"num_votes;{len(voters) if num_votes is None else num_votes}", f"budget;{budget}",
        "vote_type;approval", "rule;greedy",
        "PROJECTS", "project_id;cost;name", f"1;{cost_of_1};A", "2;40;B", "3;30;C",
        "VOTES", "voter_id;vote", *voters, ""])


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def zip_bomb(path: Path, inflated: int) -> Path:
    """One CSV member of ``inflated`` bytes, mostly zeros, compressed about 1000:1 (written in chunks)."""
    chunk = b"0" * (8 * 1024**2)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open("proposals.csv", "w", force_zip64=True) as member:
        member.write((CONSUL_HEADER + '"1";"').encode())
        for _ in range(inflated // len(chunk)):
            member.write(chunk)
        member.write(b'";"";"1";"01/01/2024";""\n')
    return path


def forged_size_zip(path: Path) -> Path:
    """A member whose headers declare fewer bytes than it inflates to (both headers patched)."""
    data = (CONSUL_HEADER + MADRID_ROW * 50).encode()
    _zip(path, {"proposals.csv": data})
    raw = bytearray(path.read_bytes())
    true_size = len(data).to_bytes(4, "little")
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = raw.find(signature)
        assert raw[at + offset:at + offset + 4] == true_size
        raw[at + offset:at + offset + 4] = (len(data) // 10).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    return path


def make_inputs(root: Path) -> Path:
    """Every bad input of the matrix, under ``root``."""
    _write(root / "other-city/proposals.csv", CONSUL_HEADER + '"35573";"Otra ciudad";"x";"3";"02/02/2024";""\n')
    _write(root / "decidim/proposals.csv",
           "id;title/en;body/en;supports;published_at;url;state\n"
           '7;"Stop <script>alert(1)</script> now";"<p>Body <b>bold</b></p>";3;2024-01-01 10:00:00 UTC;'
           "https://demo.decidim.example/processes/x/f/1/proposals/7;accepted\n")
    _write(root / "consul-html/proposals.csv",
           CONSUL_HEADER + '"9";"Title <b>as typed</b>";"<p>Para <i>todos</i></p>";"1";"01/01/2024";""\n')
    _write(root / "pb/complete" / f"{EDITION}.pb", pb_text())
    _write(root / "pb/truncated" / f"{EDITION}.pb", pb_text(voters=PB_VOTERS[:3], num_votes=6))
    _write(root / "pb/renamed/Truncated_copy.pb", pb_text(voters=PB_VOTERS[:3], num_votes=6))
    _write(root / "pb/miscounted" / f"{EDITION}.pb", pb_text(num_votes=9))
    _write(root / "pb/zero" / f"{EDITION}.pb", pb_text(budget="0"))
    _write(root / "pb/negative" / f"{EDITION}.pb", pb_text(budget="-5"))
    _write(root / "pb/positive/Other_2024.pb", pb_text(budget="120"))
    _write(root / "pb/garbage" / f"{EDITION}.pb", "hello\nnot a pb file\n")
    _write(root / "pb/latin1" / f"{EDITION}.pb", pb_text().replace("Testville", "Test\xe9ville").encode("latin-1"))
    _write(root / "pb/no-votes" / f"{EDITION}.pb", pb_text().split("VOTES")[0])
    _write(root / "pb/bad-cost" / f"{EDITION}.pb", pb_text(cost_of_1="-50"))
    (root / "pb/empty").mkdir(parents=True)
    _zip(root / "nested.zip", {"inner.zip": _zip(root / "inner.zip", {"proposals.csv": CONSUL_HEADER.encode()})
                               .read_bytes()})
    (root / "empty-folder").mkdir()
    _write(root / "no-csv/readme.txt", "nothing to import here\n")
    complete = _zip(root / "complete.zip", {"proposals.csv": (CONSUL_HEADER + MADRID_ROW * 200).encode()})
    _write(root / "truncated.zip", complete.read_bytes()[: complete.stat().st_size // 2])
    encrypted = bytearray(complete.read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        encrypted[encrypted.find(signature) + flag_offset] |= 0x1
    _write(root / "encrypted.zip", bytes(encrypted))
    with zipfile.ZipFile(root / "many.zip", "w") as archive:
        for k in range(10_001):
            archive.writestr(f"f{k}.txt", b"")
    forged_size_zip(root / "forged.zip")
    zip_bomb(root / "bomb.zip", 256 * 1024**2)
    _write(root / "csv/huge-field.csv", CONSUL_HEADER + '"1";"' + "x" * 300_000 + '";"d";"1";"01/01/2024";""\n')
    _write(root / "csv/unclosed.csv", CONSUL_HEADER + '"1";"t;"d";"1";"01/01/2024";""\n"2";"t";"d";"1";"01/01/2024";""\n')
    _write(root / "csv/bad-date.csv", CONSUL_HEADER + '"1";"t";"d";"1";"31/31/2024";""\n')
    _write(root / "csv/wide-row.csv", CONSUL_HEADER + '"1";"t";"d";"1";"01/01/2024";"";"extra"\n')
    _write(root / "csv/missing-columns.csv", '"id";"title";"created_at"\n"1";"t";"01/01/2024"\n')
    _write(root / "csv/empty.csv", b"")
    _write(root / "csv/gzip-named-csv.csv", zlib.compress(CONSUL_HEADER.encode()))
    os.mkfifo(root / "pipe.csv")
    return root


@dataclass(frozen=True)
class Attack:
    name: str
    args: Callable[[Path], list[str]]     # given the inputs folder
    code: int
    mentions: str                         # a word the one error line must contain (file, field or limit)
    may_change: frozenset[str] = frozenset()   # tables a failure may write to (lenient pb: pb_problems)
    env: dict[str, str] = field(default_factory=dict)


LENIENT_PB = frozenset({"pb_problems"})
ATTACKS: tuple[Attack, ...] = (
    # --- seen in the issue
    Attack("consul-csv-without-instance", lambda d: ["import", "any", str(d / "other-city/proposals.csv")],
           2, "--instance"),
    Attack("truncated-pb-replacing-complete-edition", lambda d: ["pb", "import", str(d / "pb/truncated")],
           1, "stored edition", LENIENT_PB),
    Attack("pb-votes-disagree-with-meta", lambda d: ["pb", "import", str(d / "pb/miscounted")],
           1, "num_votes", LENIENT_PB),
    Attack("pb-zero-budget-strict", lambda d: ["pb", "import", "--strict", str(d / "pb/zero")], 1, "budget"),
    Attack("pb-negative-budget-strict", lambda d: ["pb", "import", "--strict", str(d / "pb/negative")], 1, "budget"),
    Attack("pb-negative-budget-lenient", lambda d: ["pb", "import", str(d / "pb/negative")], 1, "budget",
           LENIENT_PB),
    Attack("pb-compare-unparseable", lambda d: ["pb", "compare", "--format", "json", str(d / "pb/garbage")],
           1, "META"),
    Attack("pb-import-lenient-every-file-failed", lambda d: ["pb", "import", "--lenient", str(d / "pb/garbage")],
           1, EDITION, LENIENT_PB),
    Attack("zip-bomb", lambda d: ["import", "any", str(d / "bomb.zip")], 1, "ratio"),
    Attack("nested-zip", lambda d: ["import", "any", "--instance", MADRID, str(d / "nested.zip")], 1, "inner.zip"),
    Attack("empty-folder", lambda d: ["import", "any", str(d / "empty-folder")], 2, "empty-folder"),
    # --- our own
    Attack("decidim-file-under-a-consul-instance",
           lambda d: ["import", "decidim-open-data", "--instance", MADRID, str(d / "decidim/proposals.csv")],
           2, "consul instance"),
    Attack("instance-not-a-host", lambda d: ["import", "any", "--instance", "Decide Madrid",
                                             str(d / "other-city/proposals.csv")], 2, "host"),
    Attack("folder-without-csv", lambda d: ["import", "any", str(d / "no-csv")], 2, "no-csv"),
    Attack("missing-path", lambda d: ["import", "any", str(d / "nowhere.csv")], 2, "nowhere.csv"),
    Attack("fifo-named-csv", lambda d: ["import", "any", "--instance", MADRID, str(d / "pipe.csv")], 2, "pipe.csv"),
    Attack("truncated-zip", lambda d: ["import", "any", "--instance", MADRID, str(d / "truncated.zip")],
           1, "truncated"),
    Attack("encrypted-zip-member", lambda d: ["import", "any", "--instance", MADRID, str(d / "encrypted.zip")],
           1, "encrypted"),
    Attack("zip-with-too-many-members", lambda d: ["import", "any", str(d / "many.zip")], 1, "10000"),
    Attack("zip-member-larger-than-declared", lambda d: ["import", "any", "--instance", MADRID, str(d / "forged.zip")],
           1, "forged.zip!proposals.csv"),
    Attack("zip-bomb-within-ratio-but-over-size", lambda d: ["import", "any", str(d / "bomb.zip")], 1, "limit",
           env={"OBSERVATORY_ZIP_MAX_RATIO": "100000", "OBSERVATORY_ZIP_MAX_BYTES": str(64 * 1024**2)}),
    Attack("zip-limit-not-a-number", lambda d: ["import", "any", str(d / "complete.zip")], 2,
           "OBSERVATORY_ZIP_MAX_BYTES", env={"OBSERVATORY_ZIP_MAX_BYTES": "lots"}),
    Attack("zip-limit-zero", lambda d: ["import", "any", "--zip-max-ratio", "0", str(d / "complete.zip")], 2, "ratio"),
    Attack("csv-huge-field", lambda d: ["import", "any", "--instance", MADRID, str(d / "csv/huge-field.csv")],
           1, "huge-field.csv:2"),
    Attack("csv-unclosed-quote-strict",
           lambda d: ["import", "any", "--strict", "--instance", MADRID, str(d / "csv/unclosed.csv")], 1, "unclosed.csv"),
    Attack("csv-bad-date-strict",
           lambda d: ["import", "any", "--strict", "--instance", MADRID, str(d / "csv/bad-date.csv")], 1, "created_at"),
    Attack("csv-row-wider-than-header-strict",
           lambda d: ["import", "any", "--strict", "--instance", MADRID, str(d / "csv/wide-row.csv")], 1, "wide-row.csv:2"),
    Attack("csv-missing-columns",
           lambda d: ["import", "consul-csv", "--instance", MADRID, str(d / "csv/missing-columns.csv")], 1, "columns"),
    Attack("csv-empty-file", lambda d: ["import", "any", "--instance", MADRID, str(d / "csv/empty.csv")], 1, "empty"),
    Attack("csv-binary-named-csv",
           lambda d: ["import", "any", "--instance", MADRID, str(d / "csv/gzip-named-csv.csv")], 1, "gzip-named-csv"),
    Attack("pb-not-utf8", lambda d: ["pb", "import", "--strict", str(d / "pb/latin1")], 1, "UTF-8"),
    Attack("pb-without-votes-section", lambda d: ["pb", "import", "--strict", str(d / "pb/no-votes")], 1, "VOTES"),
    Attack("pb-negative-cost-strict", lambda d: ["pb", "import", "--strict", str(d / "pb/bad-cost")], 1, "cost"),
    Attack("pb-folder-without-pb", lambda d: ["pb", "import", str(d / "pb/empty")], 2, "no .pb file"),
    Attack("pb-unknown-rule", lambda d: ["pb", "import", "--rules", "nosuchrule", str(d / "pb/positive")], 2,
           "nosuchrule"),
    Attack("pb-compare-unknown-format", lambda d: ["pb", "compare", "--format", "xml", str(d / "pb/complete")], 2,
           "xml"),
    Attack("pb-compare-missing-file", lambda d: ["pb", "compare", str(d / "pb/nowhere.pb")], 2, "nowhere.pb"),
)


# Runs that show what each guard protects (see the tests at the end), started with the attacks.
CONTROLS: dict[str, Callable[[Path], list[str]]] = {
    "old-default-instance": lambda d: ["import", "any", "--instance", MADRID, str(d / "other-city/proposals.csv")],
    "own-instance": lambda d: ["import", "any", "--instance", "other.example.org", str(d / "other-city/proposals.csv")],
    "truncated-as-new-edition": lambda d: ["pb", "import", "--rules", "greedy", str(d / "pb/renamed")],
    "positive-budget": lambda d: ["pb", "import", "--strict", "--rules", "greedy", str(d / "pb/positive")],
    "compare-good-file": lambda d: ["pb", "compare", "--rules", "greedy", "--format", "json", str(d / "pb/complete")],
    "compare-good-and-bad": lambda d: ["pb", "compare", "--rules", "greedy", "--format", "json",
                                       str(d / "pb/complete"), str(d / "pb/garbage")],
    "plain-text-decidim": lambda d: ["import", "any", str(d / "decidim/proposals.csv")],
    "plain-text-consul": lambda d: ["import", "consul-csv", "--instance", MADRID, str(d / "consul-html/proposals.csv")],
}
BOMB_RUNS: dict[str, list[str]] = {
    "guarded": [],
    "unguarded": ["--zip-max-ratio", "1e9"],   # the limits lifted: inflated, decoded and parsed in memory
}


def table_digests(db: Path) -> dict[str, str]:
    """sha256 of each table's sorted rows, to tell which tables a run changed."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE'").fetchall()]
        return {t: hashlib.sha256("\n".join(sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())))
                                  .encode()).hexdigest() for t in tables}
    finally:
        con.close()


def seed_store(built_db: Path, target: Path, inputs: Path) -> None:
    """The built store plus one Decide Madrid proposal and one complete PB edition (in-process: faster)."""
    from observatory.participation.importer import import_path
    from observatory.pb.importer import import_editions
    from observatory.store import writer

    shutil.copyfile(built_db, target)
    madrid = _write(inputs / "madrid/proposals.csv", CONSUL_HEADER + MADRID_ROW)
    complete = inputs / "pb/complete" / f"{EDITION}.pb"
    with writer(target) as con:
        assert import_path(con, madrid, instance_id=MADRID).ok
        assert import_editions(con, [(complete.name, complete.read_bytes(), None)], rules=["greedy"]).ok


@dataclass
class Outcome:
    run: CliRun
    before: dict[str, str]
    after: dict[str, str]
    db: Path


@pytest.fixture(scope="module")
def lab(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("import-attacks")
    inputs = make_inputs(root / "inputs")
    seeded = root / "seeded.duckdb"
    seed_store(built_db, seeded, inputs)
    return inputs, seeded


def run_on_copy(lab: tuple[Path, Path], name: str, args: list[str], env: dict[str, str] | None = None,
                **kwargs: object) -> Outcome:
    inputs, seeded = lab
    db = seeded.parent / "runs" / name / "observatory.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seeded, db)
    before = table_digests(db)
    run = run_cli(args, env={"OBSERVATORY_DB": str(db), "OBSERVATORY_ARCHIVE": str(db.parent / "archive"),
                             **(env or {})}, cwd=db.parent, timeout=120, **kwargs)  # type: ignore[arg-type]
    return Outcome(run, before, table_digests(db), db)


def _peak_rss_mib(lab: tuple[Path, Path], name: str, extra: list[str]) -> tuple[int, float]:
    """Exit code and peak resident memory (MiB) of importing the ZIP bomb, read from the run's own rusage."""
    inputs, seeded = lab
    db = seeded.parent / "runs" / f"bomb-{name}" / "observatory.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seeded, db)
    proc = subprocess.Popen([*cli_command(), "import", "any", *extra, str(inputs / "bomb.zip")],  # noqa: S603
                            env={**os.environ, "OBSERVATORY_DB": str(db)}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, preexec_fn=_limit_memory(DEFAULT_MEMORY_CAP_BYTES))
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024


@pytest.fixture(scope="module")
def outcomes(lab: tuple[Path, Path]) -> dict[str, object]:
    """Every attack, control and ZIP-bomb measurement, run side by side (one per core)."""
    inputs, _ = lab
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {a.name: pool.submit(run_on_copy, lab, a.name, a.args(inputs), a.env) for a in ATTACKS}
        futures.update({f"control:{n}": pool.submit(run_on_copy, lab, f"control-{n}", args(inputs))
                        for n, args in CONTROLS.items()})
        futures.update({f"bomb:{n}": pool.submit(_peak_rss_mib, lab, n, extra) for n, extra in BOMB_RUNS.items()})
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
def test_attack_ends_in_one_line_and_changes_nothing(attack: Attack, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[attack.name]
    assert isinstance(outcome, Outcome)
    assert_one_error(outcome.run, attack.code, mentions=attack.mentions)
    changed = {t for t in outcome.before if outcome.before[t] != outcome.after.get(t)}
    assert changed <= attack.may_change, (changed, outcome.run.describe())


def test_matrix_is_large_enough() -> None:
    assert len(ATTACKS) >= 11 + 15


# ---------------------------------------------------------------- what each guard protects

def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_madrid_row_survives_and_control_shows_the_old_default_overwrote_it(outcomes: dict[str, Outcome]) -> None:
    sql = "SELECT instance_id, title FROM proposals WHERE proposal_id = '35573' ORDER BY 1"
    assert _rows(outcomes["consul-csv-without-instance"].db, sql) == [(MADRID, "Metro accesible Campamento")]
    # control: filing the other city's file under Madrid (what the old default did) overwrites Madrid's row
    old_default = outcomes["control:old-default-instance"]
    assert old_default.run.returncode == 0, old_default.run.describe()
    assert _rows(old_default.db, sql) == [(MADRID, "Otra ciudad")]
    # with its own instance the file goes beside Madrid's rows, never over them
    own = outcomes["control:own-instance"]
    assert own.run.returncode == 0, own.run.describe()
    assert _rows(own.db, sql) == [(MADRID, "Metro accesible Campamento"), ("other.example.org", "Otra ciudad")]


def test_complete_edition_kept_and_control_shows_the_truncated_file_is_smaller(outcomes: dict[str, Outcome]) -> None:
    sql = f"SELECT n_voters, n_problems FROM pb_editions WHERE edition_id = '{EDITION}'"  # noqa: S608 - constant
    problems_sql = f"SELECT fatal, message FROM pb_problems WHERE edition_id = '{EDITION}'"  # noqa: S608 - constant
    for attack in ("truncated-pb-replacing-complete-edition", "pb-votes-disagree-with-meta"):
        assert _rows(outcomes[attack].db, sql) == [(6, 0)]
        problems = _rows(outcomes[attack].db, problems_sql)
        assert len(problems) == 1 and problems[0][0] and "stored edition" in problems[0][1]   # lenient records why
    # control: the same truncated bytes under a new name load (lenient), with half the voters
    renamed = outcomes["control:truncated-as-new-edition"]
    assert renamed.run.returncode == 0, renamed.run.describe()
    assert _rows(renamed.db, "SELECT n_voters, n_problems FROM pb_editions WHERE edition_id = 'Truncated_copy'") == [(3, 1)]


def test_control_positive_budget_imports_and_compare_of_a_good_file_exits_zero(outcomes: dict[str, Outcome]) -> None:
    good = outcomes["control:positive-budget"]
    assert good.run.returncode == 0 and not good.run.error_lines(), good.run.describe()
    assert _rows(good.db, "SELECT budget FROM pb_editions WHERE edition_id = 'Other_2024'") == [(120.0,)]
    compared = outcomes["control:compare-good-file"].run
    assert compared.returncode == 0 and '"greedy"' in compared.stdout, compared.describe()


def test_pb_compare_prints_the_good_files_and_fails_for_the_bad_one(outcomes: dict[str, Outcome]) -> None:
    run = outcomes["control:compare-good-and-bad"].run
    assert_one_error(run, 1, mentions="1 of 2 files failed")
    assert f'"{EDITION}.pb"' in run.stdout and run.error_lines()[0] == run.stderr.strip().splitlines()[-1]


def test_zip_bomb_refused_before_inflating_and_control_shows_the_memory_it_takes(
        lab: tuple[Path, Path], outcomes: dict[str, tuple[int, float]]) -> None:
    inputs, _ = lab
    assert (inputs / "bomb.zip").stat().st_size < 2 * 1024**2      # 256 MiB inside
    code, guarded = outcomes["bomb:guarded"]
    assert code == 1 and guarded < 700, guarded  # the CLI, its libraries and the store copy; nothing inflated
    _, unguarded = outcomes["bomb:unguarded"]
    assert unguarded > guarded + 400, (guarded, unguarded)


def test_plain_text_stored_as_served_html_fields_converted(outcomes: dict[str, Outcome]) -> None:
    from observatory.participation.text import html_to_text

    decidim = outcomes["control:plain-text-decidim"]
    assert decidim.run.returncode == 0, decidim.run.describe()
    assert _rows(decidim.db, "SELECT title, body FROM proposals WHERE proposal_id = '7'") == [
        ("Stop <script>alert(1)</script> now", "Body bold")]          # the body is editor HTML: converted
    consul = outcomes["control:plain-text-consul"]
    assert consul.run.returncode == 0, consul.run.describe()
    assert _rows(consul.db, "SELECT title, body FROM proposals WHERE proposal_id = '9'") == [
        ("Title <b>as typed</b>", "Para todos")]
    # control: the HTML conversion applied to a plain-text title loses what the author typed
    assert html_to_text("Stop <script>alert(1)</script> now") == "Stop now"
