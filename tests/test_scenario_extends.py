"""``extends`` (issue 19, item 5): a scenario written as a preset or another
file with some values changed. The merged scenario must compile to exactly
its base's model but for the values the extending file gives; chains work
up to the documented depth, cycles and special files are refused, and every
error names the file the bad value came from and the field path. Also the
Python counterparts of ``--set``: ``load_scenario(overrides=...)`` and
``Scenario.with_values``."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import wager
from wager.compile.model import kernel_model
from wager.compile.uncertainty import central_scenario
from wager.scenario import loader, scenario_from_dict
from wager.scenario.extends import MAX_EXTENDS_DEPTH
from wager.scenario.origin import ScenarioOrigin

PRESET = wager.presets.load("compute_first")


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every number, bool and string of a compiled model, by its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple | np.ndarray):
        for i, item in enumerate(list(value)):
            yield from _leaves(item, f"{path}[{i}]")
    else:
        yield path, value


def _model(scenario: wager.Scenario) -> dict[str, Any]:
    return dict(_leaves(kernel_model(central_scenario(scenario))))


def _differences(a: wager.Scenario, b: wager.Scenario) -> dict[str, tuple[Any, Any]]:
    """The compiled model's values that differ, by path (and paths only one has)."""
    ma, mb = _model(a), _model(b)
    return {p: (ma.get(p), mb.get(p)) for p in ma.keys() | mb.keys() if ma.get(p) != mb.get(p)}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _refused(path: Path | str, **kwargs: Any) -> wager.ScenarioError:
    with pytest.raises(wager.ScenarioError) as info:
        wager.load_scenario(path, **kwargs)
    message = str(info.value)
    assert message.isprintable() or all(line.isprintable() for line in message.splitlines())
    return info.value


# --- one preset, one override ------------------------------------------------------------


def test_a_preset_with_one_override_compiles_to_the_preset_but_that_value(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path / "cash.toml", 'extends = "compute_first"\n\n[financing]\ninitial_cash = 60.0\n'
    )
    sc = wager.load_scenario(path)
    assert _differences(PRESET, sc) == {"initial_cash": (12.0, 60.0)}
    assert sc.origin == ScenarioOrigin(str(path), ("preset compute_first",), ())
    # Everything but that field is the preset's, field by field too.
    assert sc.model_dump(exclude={"financing"}) == PRESET.model_dump(exclude={"financing"})


def test_a_file_that_only_extends_equals_its_preset_and_says_where_it_came_from(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path / "same.toml", 'extends = "compute_first"\n')
    sc = wager.load_scenario(path)
    assert sc == PRESET  # equality is of the fields, not of the origin
    assert sc.origin.extends == ("preset compute_first",) and PRESET.origin.extends == ()
    assert _differences(PRESET, sc) == {}


def test_tables_merge_key_by_key(tmp_path: Path) -> None:
    # One key of one regime: the other keys of that regime and the other regimes stay.
    path = _write(
        tmp_path / "bust.toml",
        'extends = "compute_first"\n[market.regimes.bust]\nraise_success = 0.25\n',
    )
    sc = wager.load_scenario(path)
    assert sc.market.regimes["bust"].raise_success == 0.25
    bust = next(i for i, name in enumerate(PRESET.market.regimes) if name == "bust")
    changed = _differences(PRESET, sc)
    assert set(changed) == {f"regimes[{bust}].raise_success"}, changed
    assert changed[f"regimes[{bust}].raise_success"][1] == 0.25


def test_a_series_is_one_value_and_replaces_the_bases(tmp_path: Path) -> None:
    # The preset's consumer ratio is {2025 = 0.52, 2029 = 0.30}: its 2029 point must not
    # survive under a new curve (a merged table would bend the new curve there).
    path = _write(
        tmp_path / "ratio.toml",
        'extends = "compute_first"\n'
        "[segments.consumer]\ninference_cost_ratio = { 2025 = 0.6, 2035 = 0.2 }\n",
    )
    sc = wager.load_scenario(path)
    assert sc.segments["consumer"].inference_cost_ratio == {2025: 0.6, 2035: 0.2}
    assert sc.segments["enterprise"] == PRESET.segments["enterprise"]
    assert sc.segments["consumer"].revenue == PRESET.segments["consumer"].revenue


def test_contracts_merge_by_name_and_their_payment_forms_replace_each_other(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path / "contracts.toml",
        'extends = "compute_first"\n\n'
        '[[compute.commitments]]\nname = "azure"\ntotal = 70.0\nstart = 2027\nend = 2033\n\n'
        '[[compute.commitments]]\nname = "aws"\ncounterparty = "Amazon Web Services"\n\n'
        '[[compute.commitments]]\nname = "tpu"\ncounterparty = "Google"\n'
        "schedule = { 2030 = 5.0 }\n",
    )
    sc = wager.load_scenario(path)
    by_name = {c.name: c for c in sc.compute.commitments}
    assert [c.name for c in sc.compute.commitments] == [
        *(c.name for c in PRESET.compute.commitments),
        "tpu",
    ]
    azure = by_name["azure"]  # the schedule gave way to the total form
    assert (azure.schedule, azure.total, azure.start, azure.end) == (None, 70.0, 2027, 2033)
    assert azure.payments() == {y: 10.0 for y in range(2027, 2034)}
    assert azure.counterparty == "Microsoft"  # kept from the preset
    aws = by_name["aws"]
    assert aws.counterparty == "Amazon Web Services" and aws.total == 38.0
    old = {c.name: c for c in PRESET.compute.commitments}
    for name in ("oracle_stargate", "coreweave", "nvidia", "amd", "broadcom"):
        assert by_name[name] == old[name]
    assert by_name["tpu"].payments() == {2030: 5.0}


def test_a_contract_without_a_name_cannot_be_matched(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "anon.toml", 'extends = "compute_first"\n[[compute.commitments]]\ntotal = 1.0\n'
    )
    err = _refused(path)
    assert err.source == str(path)
    assert err.problems[0][0] == "compute.commitments[0].name"


def test_lists_replace_the_bases(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "one_tranche.toml",
        'extends = "compute_first"\n'
        '[[financing.tranches]]\ninvestor = "Only"\nyear = 2026\namount = 5.0\n',
    )
    sc = wager.load_scenario(path)
    assert [(t.investor, t.year, t.amount) for t in sc.financing.tranches] == [("Only", 2026, 5.0)]


# --- chains ------------------------------------------------------------------------------


def test_a_chain_of_two_relative_to_each_file(tmp_path: Path) -> None:
    base = _write(
        tmp_path / "base.toml",
        'extends = "compute_first"\n[financing]\ninitial_cash = 60.0\n[tax]\nrate = 0.25\n',
    )
    child = _write(
        tmp_path / "variants" / "child.yaml",
        "extends: ../base.toml\ntax:\n  rate: 0.3\nname: child\n",
    )
    sc = wager.load_scenario(child)
    changed = _differences(PRESET, sc)
    assert changed == {"initial_cash": (12.0, 60.0), "tax_rate": (0.21, 0.3)}
    assert sc.name == "child"
    assert sc.origin.extends == (os.path.normpath(base), "preset compute_first")
    # A base need not be a whole scenario: only the merged result is validated.
    partial = _write(tmp_path / "tax_only.toml", "[tax]\nrate = 0.3\n")
    top = _write(
        tmp_path / "top.toml",
        'extends = "tax_only.toml"\nname = "x"\n'
        "[segments.core]\nrevenue = 1.0\ninference_cost_ratio = 0.5\n"
        "[financing]\ninitial_cash = 1.0\n",
    )
    assert wager.load_scenario(top).tax.rate == 0.3
    assert wager.load_scenario(top).origin.extends == (str(partial),)


def _chain(tmp_path: Path, links: int) -> Path:
    """Files f0 -> f1 -> ... that reach the preset after ``links`` extends."""
    for i in range(links - 1):
        _write(tmp_path / f"f{i}.toml", f'extends = "f{i + 1}.toml"\n')
    _write(tmp_path / f"f{links - 1}.toml", 'extends = "compute_first"\n')
    return tmp_path / "f0.toml"


def test_the_depth_limit(tmp_path: Path) -> None:
    deepest = _chain(tmp_path / "ok", MAX_EXTENDS_DEPTH)
    sc = wager.load_scenario(deepest)
    assert sc == PRESET and len(sc.origin.extends) == MAX_EXTENDS_DEPTH
    err = _refused(_chain(tmp_path / "too_deep", MAX_EXTENDS_DEPTH + 1))
    assert err.problems[0][0] == "extends"
    assert f"more than {MAX_EXTENDS_DEPTH} scenarios extended in a row" in err.problems[0][1]
    assert "f0.toml -> " in err.problems[0][1]


def test_a_cycle_is_refused_naming_the_chain(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.toml", 'extends = "b.toml"\n')
    b = _write(tmp_path / "b.toml", 'extends = "./a.toml"\n')
    err = _refused(a)
    assert err.source == str(b)
    assert err.problems == [("extends", f"a cycle: {a} -> {b} -> {a}")]
    itself = _write(tmp_path / "self.toml", 'extends = "self.toml"\n')
    assert "a cycle" in _refused(itself).problems[0][1]
    # Through a symbolic link: the same file.
    link = tmp_path / "link.toml"
    link.symlink_to(tmp_path / "loop.toml")
    _write(tmp_path / "loop.toml", 'extends = "link.toml"\n')
    assert "a cycle" in _refused(tmp_path / "loop.toml").problems[0][1]


# --- errors name the file and the field --------------------------------------------------


def test_an_unknown_field_in_the_extending_file_names_it_and_the_path(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "typo.toml", 'extends = "compute_first"\n[financing]\ninitial_csh = 60.0\n'
    )
    err = _refused(path)
    assert err.source == str(path)
    assert err.problems == [("financing.initial_csh", "unknown key (did you mean 'initial_cash'?)")]
    assert str(err) == f"{path}: financing.initial_csh: unknown key (did you mean 'initial_cash'?)"


def test_a_bad_value_from_the_base_names_the_base(tmp_path: Path) -> None:
    base = _write(tmp_path / "base.toml", '[financing]\ninitial_cash = "a lot"\n')
    child = _write(
        tmp_path / "child.toml",
        'extends = "base.toml"\nname = "x"\n'
        "[segments.core]\nrevenue = 1.0\ninference_cost_ratio = 0.5\n",
    )
    err = _refused(child)
    assert err.source == str(child)
    assert err.problems == [
        ("financing.initial_cash", f"Input should be a valid number (got 'a lot') (from {base})")
    ]
    # A shorter horizon in the child: every preset series that no longer fits, from the preset.
    short = _write(tmp_path / "short.toml", 'extends = "compute_first"\n[time]\nhorizon = 2030\n')
    problems = _refused(short).problems
    assert len(problems) > 10
    assert all(why.endswith("(from preset compute_first)") for _, why in problems)


def test_bad_extends_values(tmp_path: Path) -> None:
    typo = _write(tmp_path / "typo.toml", 'extends = "compute-first"\n')
    (path, why), *_ = _refused(typo).problems
    assert path == "extends" and "did you mean 'compute_first'?" in why
    number = _write(tmp_path / "number.toml", "extends = 3\n")
    assert _refused(number).problems == [
        ("extends", "a preset's name or a scenario file's path, got 3")
    ]
    missing = _write(tmp_path / "missing.toml", 'extends = "nowhere.toml"\n')
    err = _refused(missing)
    assert err.source == str(tmp_path / "nowhere.toml")
    assert "cannot read the file" in err.problems[0][1]
    assert err.problems[0][1].endswith(f"(extended by {missing})")
    _write(tmp_path / "list.json", "[1, 2]")
    listed = _write(tmp_path / "listed.toml", 'extends = "list.json"\n')
    assert _refused(listed).problems[0][1] == (
        f"a scenario must be a table of fields, got a list (extended by {listed})"
    )
    _write(tmp_path / "broken.toml", "[financing\n")
    broken = _write(tmp_path / "uses_broken.toml", 'extends = "broken.toml"\n')
    assert _refused(broken).problems[0][1].startswith("not valid TOML")


def test_an_echoed_extends_is_escaped(tmp_path: Path) -> None:
    path = _write(tmp_path / "evil.json", '{"extends": "\\u001b[2J\\nother.toml: valid"}')
    err = _refused(path)
    assert "\x1b" not in str(err) and "\n" not in str(err)
    assert "\\x1b[2J\\nother.toml: valid" in str(err)


def test_special_files_are_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    path = _write(tmp_path / "reads_a_pipe.toml", 'extends = "pipe.toml"\n')
    caught: list[BaseException] = []
    worker = threading.Thread(
        target=lambda: caught.extend(_capture(path)),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "extends waited on a named pipe"
    assert isinstance(caught[0], wager.ScenarioError)
    assert "it is a named pipe (FIFO), not a regular file" in str(caught[0])
    (tmp_path / "folder.toml").mkdir()
    folder = _write(tmp_path / "reads_a_folder.toml", 'extends = "folder.toml"\n')
    assert "it is a directory" in str(_refused(folder))
    null = tmp_path / "null.toml"
    null.symlink_to("/dev/null")
    device = _write(tmp_path / "reads_a_device.toml", 'extends = "null.toml"\n')
    assert "a character device" in str(_refused(device))


def _capture(path: Path) -> list[BaseException]:
    try:
        wager.load_scenario(path)
    except BaseException as err:  # reported to the test's thread
        return [err]
    return []


def test_the_size_limit_applies_to_each_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "big.toml", "# " + "x" * 2000 + "\n")
    path = _write(tmp_path / "small.toml", 'extends = "big.toml"\n')
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 1000)
    err = _refused(path)
    assert err.source == str(tmp_path / "big.toml")
    assert "scenario files are limited to 1000 bytes" in err.problems[0][1]


def test_schema_versions_along_a_chain(tmp_path: Path) -> None:
    # A version-4 file without a score sensitivity means the regime's odds alone
    # (sensitivity 0); read as version 5 it would take the default.
    text = wager.presets.text("compute_first").replace("sensitivity = 1.5", "", 1)
    v4 = _write(tmp_path / "v4.toml", text.replace("schema_version = 5", "schema_version = 4", 1))
    direct = wager.load_scenario(v4)  # read with version 4's meaning kept
    assert direct.financing.equity.score.sensitivity == 0.0
    as_v5 = wager.load_scenario(_write(tmp_path / "v5.toml", text))
    assert as_v5.financing.equity.score.sensitivity > 0.0
    # A version-5 file over a version-4 base: the base keeps its meaning.
    newer = _write(tmp_path / "newer.toml", 'extends = "v4.toml"\nschema_version = 5\n')
    assert wager.load_scenario(newer) == direct
    # Without a version, a file is read in its base's.
    same = _write(tmp_path / "same.toml", 'extends = "v4.toml"\n')
    assert wager.load_scenario(same) == direct
    older = _write(tmp_path / "older.toml", 'extends = "compute_first"\nschema_version = 4\n')
    (path, why), *_ = _refused(older).problems
    assert path == "schema_version" and "differs from its base's (5)" in why


# --- the Python API ----------------------------------------------------------------------


def test_extends_from_a_dict_and_overrides_in_python(tmp_path: Path) -> None:
    sc = scenario_from_dict(
        {"extends": "compute_first", "tax": {"rate": 0.3}},
        overrides={"financing.initial_cash": 60.0},
    )
    assert _differences(PRESET, sc) == {"initial_cash": (12.0, 60.0), "tax_rate": (0.21, 0.3)}
    assert sc.origin.overrides == ("overrides financing.initial_cash=60.0",)
    path = _write(tmp_path / "same.toml", 'extends = "compute_first"\n')
    again = wager.load_scenario(path, overrides=[("compute.commitments.azure.schedule.2033", 0.0)])
    changed = {c.name: c for c in again.compute.commitments}["azure"].schedule
    assert changed is not None and changed[2033] == 0.0
    assert {y: v for y, v in changed.items() if y != 2033} == {
        y: v
        for y, v in {c.name: c for c in PRESET.compute.commitments}["azure"].payments().items()
        if y != 2033
    }


def test_with_values_sets_fields_by_path_and_revalidates() -> None:
    sc = PRESET.with_values(
        {
            "financing.initial_cash": 60.0,
            "segments.*.volatility": 0.3,
            "financing.tranches.0.amount": 11.0,
            "compute.commitments[2].total": 40.0,
        }
    )
    assert sc.financing.initial_cash == 60.0
    assert {s.volatility for s in sc.segments.values()} == {0.3}
    assert sc.financing.tranches[0].amount == 11.0
    assert sc.compute.commitments[2].name == "aws" and sc.compute.commitments[2].total == 40.0
    assert sc.origin.source == "preset compute_first"
    assert sc.origin.overrides[0] == "overrides financing.initial_cash=60.0"
    assert PRESET.financing.initial_cash == 12.0  # unchanged
    with pytest.raises(wager.ScenarioError) as info:
        PRESET.with_values({"financing.initial_cash": -1.0})
    assert str(info.value) == (
        "preset compute_first: financing.initial_cash: Input should be greater than or "
        "equal to 0 (got -1.0) (from overrides)"
    )
    with pytest.raises(wager.ScenarioError) as info:
        PRESET.with_values({"compute.commitments.nope.total": 1.0})
    assert info.value.problems[0][0] == "compute.commitments"
    assert "no item named 'nope'" in info.value.problems[0][1]
    with pytest.raises(wager.ScenarioError, match="not a table"):
        PRESET.with_values({"financing.initial_cash.low": 1.0})
    with pytest.raises(wager.ScenarioError, match="not a key"):
        PRESET.with_values({"financing..initial_cash": 1.0})


def test_the_manifest_says_what_a_scenario_extends_and_what_was_set(tmp_path: Path) -> None:
    base = wager.presets.load("compute_first")
    plain = wager.simulate(base, n_paths=64, progress=False).manifest()["scenarios"]
    assert plain == {"compute_first": {"sha256": plain["compute_first"]["sha256"]}}
    path = tmp_path / "variant.toml"
    path.write_text('extends = "compute_first"\nname = "variant"\n', encoding="utf-8")
    sc = wager.load_scenario(path, overrides={"financing.initial_cash": 20.0})
    sim = wager.simulate(sc, n_paths=64, progress=False)
    entry = sim.manifest()["scenarios"]["variant"]
    assert entry["extends"] == ["preset compute_first"]
    assert entry["overrides"] == ["overrides financing.initial_cash=20.0"]
    # It survives the round trip through a file (read_results validates it).
    sim.to_json(tmp_path / "r.json")
    assert wager.read_results(tmp_path / "r.json").manifest["scenarios"]["variant"] == entry
