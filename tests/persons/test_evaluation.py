"""The evaluation harness, and the quality bar it holds screening to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vigil.persons import cross_script, evaluation
from vigil.world.generate import generate
from vigil.world.scale import parse_scale

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("world")
    generate(parse_scale("tiny"), 7, out, workers=1)
    return out


def test_screening_beats_brute_force_on_the_synthetic_world(world: Path) -> None:
    report = evaluation.run(world=world, data=None, pg_url=None, max_queries=None)
    systems = report["world"]["systems"]
    vigil, brute = systems["vigil"], systems["rapidfuzz_token_sort"]
    assert vigil["precision"] >= 0.95
    assert vigil["recall"] >= 0.97
    assert vigil["f1"] > brute["f1"]
    assert vigil["recall_at_10"] >= 0.99
    assert next(evaluation.iter_lines(report)).startswith("synthetic world: 1500 records")


@pytest.mark.skipif(not SHARED.exists(), reason="the shared data folder is absent")
def test_cross_script_pairs_rank_the_right_name_first() -> None:
    sets = cross_script.read(SHARED)
    report = cross_script.evaluate({"watchman": sets["watchman"]})
    assert report["watchman"]["first"] >= 0.85


def test_the_cli_reports_every_system(world: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from vigil.cli.main import app

    result = CliRunner().invoke(
        app,
        [
            "eval",
            "names",
            "--world",
            str(world),
            "--queries",
            "200",
            "--data",
            str(tmp_path / "none"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["world"]["systems"]) == {"vigil", "rapidfuzz_token_sort"}
    assert report["world"]["queries"] == 200
    bad = CliRunner().invoke(app, ["eval", "names", "--world", str(tmp_path)])
    assert bad.exit_code != 0


def test_tables_of_equivalents_run_beside_and_never_grade_their_own_set(
    world: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from vigil.cli.main import app

    # A data folder whose synonames set is the very table loaded: that set is not measured
    # with it (it would only show the table holds its own pairs).
    data = tmp_path / "data"
    (data / "synonames").mkdir(parents=True)
    table = data / "synonames" / "synonyms.txt"
    table.write_text("william, уильям\nalexander, александр\n", encoding="utf-8")
    args = ["eval", "names", "--world", str(world), "--queries", "100", "--data", str(data)]
    result = CliRunner().invoke(app, [*args, "--equivalents", str(table), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["world"]["systems"]) == {
        "vigil", "vigil_with_equivalents", "rapidfuzz_token_sort",
    }  # fmt: skip
    assert set(report["cross_script"]) == {"synonames"}
    assert report["cross_script_with_equivalents"] == {}
    missing = CliRunner().invoke(app, [*args, "--equivalents", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "--equivalents" in missing.output
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    refused = CliRunner().invoke(app, [*args, "--equivalents", str(empty)])
    assert refused.exit_code == 2 and "empty" in refused.output
