"""Hardening of the scenario layer (issue 18, items 1, 2, 3, 8 and 9 in part):
bounded stress composition, error reporting linear in the number of errors
and capped in what it prints, library stress names reserved, control
characters escaped wherever input is echoed, special files refused and
standard input read with the same limit as files."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wager
from wager.cli import cli
from wager.compile import shocks as compile_shocks
from wager.compile.shocks import core_shocks
from wager.present.report import _stresses
from wager.scenario import loader, stress_limits
from wager.scenario.errors import MAX_PROBLEMS_SHOWN, ScenarioError, printable
from wager.scenario.loader import load_scenario, parse_scenario_text, scenario_from_dict
from wager.scenario.stress_limits import expansion_problem, keys_reached
from wager.stresses import StressError

SMALL = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

MINIMAL: dict[str, Any] = {
    "name": "s",
    "time": {"start_year": 2025, "horizon": 2030, "steps_per_year": 1},
    "segments": {
        "core": {"revenue": 10.0, "inference_cost_ratio": 0.3},
        "other": {"revenue": 2.0, "inference_cost_ratio": 0.3},
    },
    "financing": {"initial_cash": 50.0},
}
BASE = scenario_from_dict(MINIMAL)
TRAINING = {"target": "compute.training", "op": "add", "value": 1.0}
EVERY_SEGMENT = {"target": "segments.*.revenue", "op": "scale", "value": 0.9}
PRESET_TOML = wager.presets.text("profitability")


def _with(**fields: Any) -> dict[str, Any]:
    return {**json.loads(json.dumps(MINIMAL)), **fields}


def _refusal(data: Any, source: str = "<dict>") -> ScenarioError:
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(data, source)
    return err.value


def _bomb_toml(levels: int = 30) -> str:
    """The issue's example: each stress includes the next twice, ``levels`` deep."""
    lines = [
        'name = "bomb"',
        "[segments.core]",
        "revenue = 10.0",
        "inference_cost_ratio = 0.3",
        "[financing]",
        "initial_cash = 5.0",
    ]
    for i in range(levels):
        lines += [f"[stresses.s{i}]", f'includes = ["s{i + 1}", "s{i + 1}"]']
    lines += [
        f"[stresses.s{levels}]",
        f"[[stresses.s{levels}.shocks]]",
        'target = "compute.training"',
        'op = "add"',
        "value = 1.0",
    ]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------- 1. bounded composition


def test_the_include_bomb_is_refused_at_validation(tmp_path: Path) -> None:
    text = _bomb_toml()
    assert len(text) < 1500  # the 1.4 KB file
    path = tmp_path / "bomb.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    # s21 is the first stress that applies more than 1,000 others: 2 + 4 + ... + 2**9 = 1,022.
    assert err.value.problems == [
        (
            "stresses.s21.includes",
            "stress 's21' applies more than 1,000 stresses through its includes (each "
            "inclusion counted, repeats too); the limit is 1,000 (docs/stress.md, Limits)",
        )
    ]
    assert str(err.value).startswith(f"{path}: stresses.s21.includes: ")


def test_the_include_bomb_is_refused_by_wager_validate(tmp_path: Path) -> None:
    path = tmp_path / "bomb.toml"
    path.write_text(_bomb_toml(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}: stresses.s21.includes: " in result.stderr
    assert "the limit is 1,000" in result.stderr and "valid" not in result.stdout


def test_a_bomb_built_in_python_is_refused_when_applied() -> None:
    # model_copy skips validation: the run bounds its own expansion.
    bomb = {f"s{i}": wager.Stress(includes=[f"s{i + 1}", f"s{i + 1}"]) for i in range(30)}
    bomb["s30"] = wager.Stress.model_validate({"shocks": [TRAINING]})
    sc = BASE.model_copy(update={"stresses": bomb})
    with pytest.raises(StressError) as err:
        core_shocks("s0", sc)
    (path, reason), *_ = err.value.problems
    assert path == "includes"
    assert reason.startswith("stress 's0' applies more than 1,000 stresses")


def test_too_many_shocks_through_stars_are_refused() -> None:
    # 5,001 shocks on two segments each: 10,002 core shocks.
    data = _with(stresses={"big": {"shocks": [EVERY_SEGMENT] * 5_001}})
    err = _refusal(data)
    assert err.problems == [
        (
            "stresses.big.shocks",
            "stress 'big' expands to more than 10,000 shocks, its includes' included (each "
            "key a '*' reaches counted); the limit is 10,000 (docs/stress.md, Limits)",
        )
    ]
    assert scenario_from_dict(_with(stresses={"big": {"shocks": [EVERY_SEGMENT] * 5_000}}))


def test_too_deep_includes_are_refused_naming_the_chain() -> None:
    chain = {f"c{i}": {"includes": [f"c{i + 1}"]} for i in range(33)}
    err = _refusal(_with(stresses={**chain, "c33": {}}))
    ((path, reason),) = err.problems
    assert path == "stresses.c0.includes"
    assert reason == (
        "includes nest more than 32 levels deep (c0 -> c1 -> c2 -> ... -> c32 -> c33); "
        "the limit is 32 (docs/stress.md, Limits)"
    )
    ok = {f"c{i}": {"includes": [f"c{i + 1}"]} for i in range(32)}
    sc = scenario_from_dict(_with(stresses={**ok, "c32": {"shocks": [TRAINING]}}))
    assert len(core_shocks("c0", sc)) == 1


def test_a_limit_crossed_in_a_library_stress_blames_the_including_stress() -> None:
    library = wager.stresses.load("telecom_2001")

    def count(shock: Any) -> int:
        return 5_000

    problem = expansion_problem(
        {"mine": wager.Stress(includes=["telecom_2001"])},
        count,
        lambda name: wager.stresses.load(name) if name in wager.stresses.names() else None,
    )
    assert library.includes and problem is not None
    path, reason = problem
    assert path == "stresses.mine.includes"
    assert reason.startswith(
        "through mine -> telecom_2001: stress 'telecom_2001' expands to more than 10,000 shocks"
    )


def test_composition_within_the_limits_still_runs() -> None:
    stresses = {"twice": {"includes": ["telecom_2001", "telecom_2001"], "shocks": [TRAINING]}}
    sc = scenario_from_dict(_with(stresses=stresses))
    one = len(core_shocks("telecom_2001", sc))
    assert len(core_shocks("twice", sc)) == 2 * one + 1


def test_keys_reached_counts_the_keys_of_a_star() -> None:
    tables = {"segments": 3, "market.regimes": 4, "compute.commitments": 5}
    assert keys_reached("segments.*.revenue", tables) == 3
    assert keys_reached("market.regimes.*.raise_success", tables) == 4
    assert keys_reached("compute.commitments.*", tables) == 5
    assert keys_reached("compute.commitments.largest", tables) == 1
    assert keys_reached("segments.core.revenue", tables) == 1
    assert keys_reached("segments.*x.revenue", tables) == 1


@contextlib.contextmanager
def _small_limits() -> Iterator[None]:
    """Limits small enough for hypothesis to cross them with a few stresses."""
    with pytest.MonkeyPatch.context() as mp:
        for module in (stress_limits, compile_shocks):
            mp.setattr(module, "MAX_EXPANDED_SHOCKS", 12)
            mp.setattr(module, "MAX_INCLUDED_STRESSES", 10)
            mp.setattr(module, "MAX_INCLUDE_DEPTH", 3)
        yield


graphs = st.integers(min_value=1, max_value=6).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.tuples(
                st.lists(st.integers(min_value=0, max_value=5), max_size=4),
                st.lists(st.sampled_from([TRAINING, EVERY_SEGMENT]), max_size=3),
            ),
            min_size=n,
            max_size=n,
        ),
    )
)


@SMALL
@given(graphs)
def test_validation_refuses_exactly_the_stresses_a_run_refuses(
    graph: tuple[int, list[tuple[list[int], list[dict[str, Any]]]]],
) -> None:
    n, nodes = graph
    # Stress i includes only stresses after it: no cycle.
    stresses = {
        f"s{i}": {
            "includes": [f"s{j}" for j in incs if i < j < n],
            "shocks": list(shocks),
        }
        for i, (incs, shocks) in enumerate(nodes)
    }
    refused: ScenarioError | None = None
    unchecked = BASE.model_copy(
        update={"stresses": {k: wager.Stress.model_validate(v) for k, v in stresses.items()}}
    )
    too_big = []
    with _small_limits():
        try:
            scenario_from_dict(_with(stresses=stresses))
        except ScenarioError as err:
            refused = err
        for name in stresses:
            try:
                core_shocks(name, unchecked)
            except StressError as err:
                too_big.append((name, str(err)))
    assert all("the limit is" in message for _, message in too_big)
    assert (refused is None) == (not too_big)
    if refused is not None:
        ((path, reason),) = refused.problems
        assert path.split(".")[1] in dict(too_big) and "the limit is" in reason


# ------------------------------------------------------ 2. linear, capped error reporting


def _many_invalid_items_yaml(n: int) -> str:
    items = ",".join(["1"] * n)
    return (
        "name: x\nsegments: {}\nfinancing: {initial_cash: 1}\n"
        f"uncertainty: {{inputs: [{items}]}}\n"
    )


def test_64000_invalid_items_are_refused_with_a_capped_message(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(_many_invalid_items_yaml(64_000), encoding="utf-8")
    assert 120_000 < path.stat().st_size < 132_000  # the 128 KB file
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    problems = err.value.problems
    assert len(problems) == 64_000
    assert problems[0] == ("uncertainty.inputs[0]", "Input should be a valid string (got 1)")
    assert problems[-1][0] == "uncertainty.inputs[63999]"
    lines = str(err.value).splitlines()
    assert len(lines) == 11
    assert lines[0] == f"{path}: uncertainty.inputs[0]: Input should be a valid string (got 1)"
    assert lines[-1] == f"{path}: ... and 63,990 more problems"


def test_wager_validate_prints_the_capped_message(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(_many_invalid_items_yaml(2_000), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == MAX_PROBLEMS_SHOWN + 1
    assert lines[-1] == f"{path}: ... and 1,990 more problems"


def test_non_finite_numbers_among_many_errors_are_not_repeated() -> None:
    # A NaN inside a field already reported is not reported again (one set look-up).
    data = _with(uncertainty={"inputs": [float("nan")] * 3_000})
    err = _refusal(data)
    assert len(err.problems) == 3_000
    assert all(path.startswith("uncertainty.inputs[") for path, _ in err.problems)


@SMALL
@given(st.integers(min_value=0, max_value=300))
def test_the_message_shows_at_most_ten_problems_and_counts_the_rest(n: int) -> None:
    data = _with(uncertainty={"inputs": [1] * n, "correlation": []})
    if n == 0:
        assert scenario_from_dict(data).uncertainty.inputs == []
        return
    err = _refusal(data, "f.yaml")
    assert [p for p, _ in err.problems] == [f"uncertainty.inputs[{i}]" for i in range(n)]
    lines = str(err).splitlines()
    assert len(lines) == min(n, MAX_PROBLEMS_SHOWN) + (n > MAX_PROBLEMS_SHOWN)
    if n > MAX_PROBLEMS_SHOWN:
        rest = n - MAX_PROBLEMS_SHOWN
        assert lines[-1] == f"f.yaml: ... and {rest:,} more problem{'s' if rest > 1 else ''}"


@SMALL
@given(st.lists(st.tuples(st.sampled_from(["a", "b.c", ""]), st.sampled_from(["x", "y"]))))
def test_a_scenario_error_keeps_every_problem_in_order(problems: list[tuple[str, str]]) -> None:
    err = ScenarioError("f.toml", problems)
    assert err.problems == problems
    shown = [f"f.toml: {p}: {r}" if p else f"f.toml: {r}" for p, r in problems[:10]]
    assert str(err).splitlines()[: len(shown)] == shown


# ---------------------------------------------------------- 3. library names are reserved


@pytest.mark.parametrize("name", ["baseline", "ai_bubble_burst"])
def test_a_scenario_stress_with_a_library_name_is_refused(name: str, tmp_path: Path) -> None:
    path = tmp_path / "shadow.toml"
    path.write_text(
        PRESET_TOML + f'\n[stresses.{name}]\nnarrative = "mine"\n'
        f'[[stresses.{name}.shocks]]\ntarget = "compute.training"\nop = "add"\nvalue = 1.0\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert err.value.problems == [
        (
            f"stresses.{name}",
            f"{name!r} is the name of a library stress (wager.stresses.names()); a scenario's "
            "own stress needs a name of its own, so that results never show it under the "
            "library's name and narrative",
        )
    ]
    assert str(err.value).startswith(f"{path}: stresses.{name}: ")


def test_a_scenario_stress_named_other_than_its_key_is_refused() -> None:
    err = _refusal(_with(stresses={"mine": {"name": "baseline"}}))
    assert err.problems == [
        (
            "stresses.mine.name",
            "'baseline' differs from the stress's key 'mine': in a scenario the key names "
            "the stress (leave name out)",
        )
    ]
    assert scenario_from_dict(_with(stresses={"mine": {"name": "mine"}})).stresses["mine"]


names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,20}", fullmatch=True)


@SMALL
@given(st.one_of(st.sampled_from(wager.stresses.names()), names))
def test_a_name_is_refused_if_and_only_if_the_library_has_it(name: str) -> None:
    data = _with(stresses={name: {"shocks": [TRAINING]}})
    if name in wager.stresses.names():
        err = _refusal(data)
        assert [p for p, _ in err.problems] == [f"stresses.{name}"]
    else:
        sc = scenario_from_dict(data)
        assert [d["label"] for d in core_shocks(name, sc)] == [f"{name}.shocks[0]"]


def test_a_python_stress_may_not_pose_as_a_library_stress() -> None:
    # Results and the report show a stress by name: under a library name it
    # must be the library's stress (any severity), never another one.
    freeze = wager.stresses.load("funding_freeze")
    assert [d["label"] for d in core_shocks(freeze.with_severity(0.5), BASE)] == [
        d["label"] for d in core_shocks("funding_freeze", BASE)
    ]
    extra = wager.Shock.model_validate(TRAINING)
    posing = freeze.model_copy(update={"shocks": [*freeze.shocks, extra]})
    with pytest.raises(wager.stresses.StressError) as err:
        core_shocks(posing, BASE)
    assert err.value.problems[0][0] == "name"
    assert "is the name of a library stress, but this stress differs" in str(err.value)
    renamed = posing.model_copy(update={"name": "my_freeze"})
    assert len(core_shocks(renamed, BASE)) == len(core_shocks("funding_freeze", BASE)) + 1


def test_the_report_shows_each_stress_where_it_is_defined() -> None:
    def own(narrative: str) -> dict[str, Any]:
        return {"narrative": narrative, "shocks": [TRAINING]}

    a = scenario_from_dict(_with(name="a", stresses={"late": own("A's freeze")}))
    b = scenario_from_dict(_with(name="b", stresses={"late": own("B's freeze")}))
    c = scenario_from_dict(_with(name="c", stresses={"late": own("A's freeze")}))
    shown = _stresses(["late", "funding_freeze+late"], [a, b, c])
    assert [(s["name"], s["narrative"]) for s in shown] == [
        ("late (own stress of a, c)", "A's freeze"),
        ("late (own stress of b)", "B's freeze"),
        ("funding_freeze (library)", wager.stresses.load("funding_freeze").narrative),
    ]
    # A scenario built around validation still never lends its stress the library's text.
    shadow = BASE.model_copy(
        update={"stresses": {"baseline": wager.Stress.model_validate(own("not the library"))}}
    )
    shown = _stresses(["baseline"], [shadow, BASE])
    assert [(s["name"], s["narrative"]) for s in shown] == [
        ("baseline (own stress of s)", "not the library"),
        ("baseline (library, for s)", wager.stresses.load("baseline").narrative),
    ]


def test_a_report_names_the_scenario_that_defines_a_stress(tmp_path: Path) -> None:
    sc = scenario_from_dict(
        _with(
            stresses={"late": {"title": "Late", "narrative": "Mine alone.", "shocks": [TRAINING]}}
        )
    )
    sim = wager.simulate(sc, n_paths=64, seed=1, stress="late", progress=False)
    html = sim.report(tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<h3>late (own stress of s): Late</h3>" in html and "Mine alone." in html


# ---------------------------------------------------------- 8. control characters escaped

FORGED = "evil\x1b[2J\nother.toml: valid"


def test_a_key_with_an_escape_sequence_and_a_newline_is_echoed_escaped(tmp_path: Path) -> None:
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(_with(**{FORGED: 1})), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    message = str(err.value)
    assert message == f'{path}: "evil\\x1b[2J\\nother.toml: valid": unknown key'
    assert "\x1b" not in message and "\n" not in message


def test_a_file_name_with_control_characters_is_echoed_escaped(tmp_path: Path) -> None:
    good = tmp_path / "x\x1b[2J\nother.toml: valid.toml"
    good.write_text(PRESET_TOML, encoding="utf-8")
    bad = tmp_path / "y\rother.toml: valid.toml"
    bad.write_text("name = 1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(good), str(bad)])
    assert result.exit_code == 2
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"{tmp_path}/x\\x1b[2J\\nother.toml: valid.toml: valid — ")
    assert "\x1b" not in result.output and "\r" not in result.output
    assert all(e.startswith(f"{tmp_path}/y\\rother.toml") for e in result.stderr.splitlines())


def test_a_value_and_a_shock_target_are_echoed_escaped() -> None:
    err = _refusal(_with(name="a\x1b]0;title\x07"))
    assert "\x1b" not in str(err) and "\\x1b]0;title\\x07" in str(err)
    bad = wager.Stress.model_validate(
        {"name": "t", "shocks": [{"target": "x\n\x1b[1A", "op": "add", "value": 1.0}]}
    )
    with pytest.raises(StressError) as stress_err:
        core_shocks(bad, BASE)
    assert str(stress_err.value).startswith("stress 't': shocks[0] (x\\n\\x1b[1A): unknown target")
    assert len(str(stress_err.value).splitlines()) == 1


@SMALL
@given(st.text(max_size=30))
def test_printable_escapes_exactly_what_a_terminal_would_not_print(text: str) -> None:
    shown = printable(text)
    assert shown.isprintable()
    if text.isprintable():
        assert shown == text
    if "\\" not in text:  # repr's escapes, read back
        assert shown.encode("latin-1", "backslashreplace").decode("unicode_escape") == text


@SMALL
@given(st.text(min_size=1, max_size=20))
def test_an_unknown_key_never_forges_a_line(key: str) -> None:
    data = _with(**{key: [1]})
    with pytest.raises(ScenarioError) as err:  # [1] is no valid value of any field
        scenario_from_dict(data, "f.toml")
    lines = str(err.value).splitlines()
    assert len(lines) == len(err.value.problems)
    assert all(line.startswith("f.toml: ") and line.isprintable() for line in lines)


# ------------------------------------------------- 9. special files and standard input


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            load_scenario(fifo)
        except BaseException as err:  # handed to the test's thread
            outcome.append(err)

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # release the reader before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("loading a FIFO waits for a writer")
    (err,) = outcome
    assert isinstance(err, ScenarioError)
    assert str(err) == (
        f"{fifo}: cannot read the file: it is a named pipe (FIFO), not a regular file; "
        "give a scenario file, or - to read standard input"
    )


@pytest.mark.parametrize(
    ("target", "kind"), [("/dev/zero", "a character device"), ("/dev/null", "a character device")]
)
def test_a_device_is_refused(tmp_path: Path, target: str, kind: str) -> None:
    link = tmp_path / "device.toml"
    link.symlink_to(target)
    with pytest.raises(ScenarioError, match=f"cannot read the file: it is {kind}, not a regular"):
        load_scenario(link)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(ScenarioError, match="it is a directory, not a regular file"):
        load_scenario(folder)


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
def test_dash_reads_standard_input(monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    preset = wager.presets.load("profitability")
    data = preset.model_dump(mode="json", exclude_none=True)
    text = {
        "toml": PRESET_TOML,
        "json": json.dumps(data),
        "yaml": "---\n" + json.dumps(data),  # JSON is YAML
    }[fmt]
    _stdin(monkeypatch, text.encode())
    assert load_scenario("-") == preset


def test_standard_input_has_the_files_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 1000)
    _stdin(monkeypatch, b"#" * 1001)
    with pytest.raises(ScenarioError) as err:
        load_scenario("-")
    assert str(err.value) == (
        "<stdin>: standard input is over 1000 bytes; scenario files are limited to 1000 bytes"
    )


def test_wager_validate_and_project_read_standard_input() -> None:
    result = CliRunner().invoke(cli, ["validate", "-"], input=PRESET_TOML)
    assert result.exit_code == 0
    assert result.stdout.startswith("<stdin>: valid — profitability, 2025-2035")
    bad = CliRunner().invoke(cli, ["validate", "-"], input="name = 1\n")
    assert bad.exit_code == 2 and bad.stderr.startswith("<stdin>: ")
    run = subprocess.run(
        [sys.executable, "-m", "wager", "project", "-", "--format", "csv"],
        input=PRESET_TOML,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "profitability" in run.stdout


@SMALL
@given(st.binary(max_size=64), st.integers(min_value=8, max_value=48))
def test_standard_input_loads_or_is_refused_cleanly(data: bytes, limit: int) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(loader, "MAX_FILE_BYTES", limit)
        mp.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="latin-1"))
        with pytest.raises(ScenarioError) as err:  # no scenario fits in 48 bytes
            load_scenario("-")
    message = str(err.value)
    assert message.startswith("<stdin>: ")
    assert ("standard input is over" in message) == (len(data) > limit)


def test_parse_scenario_text_escapes_a_yaml_error_s_characters() -> None:
    with pytest.raises(ScenarioError) as err:
        parse_scenario_text("name: \x1b\n", "yaml", "f.yaml")
    assert "\x1b" not in str(err.value) and str(err.value).startswith("f.yaml: not valid YAML")


# --- item 5: a year given twice after normalisation (property) --------------------------

spellings = st.tuples(st.integers(0, 3), st.sampled_from(["", " "]), st.sampled_from(["", " "]))


@SMALL
@given(st.integers(2025, 2030), st.integers(2025, 2030), spellings, spellings)
def test_two_spellings_of_one_year_are_refused_and_of_two_years_kept(
    first: int, second: int, a: tuple[int, str, str], b: tuple[int, str, str]
) -> None:
    # A year key may carry leading zeros and surrounding spaces; two keys
    # that mean the same year are refused naming both, never merged.
    def spell(year: int, how: tuple[int, str, str]) -> str:
        zeros, before, after = how
        return f"{before}{'0' * zeros}{year}{after}"

    one, two = spell(first, a), spell(second, b)
    if one == two:
        return  # one key: a dict cannot hold it twice
    data = _with()
    data["segments"]["core"]["revenue"] = {one: 1.0, two: 2.0}
    if first == second:
        err = _refusal(data)
        assert err.problems == [
            (
                "segments.core.revenue",
                f"year {first} is given twice (as {one!r} and {two!r})",
            )
        ]
    else:
        sc = scenario_from_dict(data)
        values = sc.segments["core"].revenue
        assert isinstance(values, dict)
        assert values[first] == 1.0
        assert values[second] == 2.0
