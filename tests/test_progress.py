"""When a run shows progress (issue 19): a bar for any run expected to take
two seconds or more when someone watches (a terminal or a notebook), with
the up-front estimate in its label; never otherwise, unless asked."""

from __future__ import annotations

import pytest

import wager
from wager.analyses.run import estimate_run_time
from wager.compile.prepared import prepare_strategy
from wager.compile.run_config import simulation_config
from wager.kernel import execution, progress
from wager.kernel.progress import AUTO_BAR_MIN_SECONDS, progress_callback


@pytest.fixture
def watched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "interactive", lambda: True)


def test_a_long_run_shows_a_bar_with_its_estimate(
    watched: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with progress_callback(None, 100, "compute_first", expected_seconds=150.0) as update:
        assert update is not None
        update(50, 100)
    err = capsys.readouterr().err
    assert "compute_first (estimate: at most 2 min)" in err


@pytest.mark.parametrize("seconds", [0.0, AUTO_BAR_MIN_SECONDS / 2])
def test_a_short_run_shows_nothing_unless_asked(watched: None, seconds: float) -> None:
    with progress_callback(None, 100, "x", expected_seconds=seconds) as update:
        assert update is None
    with progress_callback(True, 100, "x", expected_seconds=seconds) as update:
        assert update is not None
    with progress_callback(False, 100, "x", expected_seconds=1e6) as update:
        assert update is None


def test_nobody_watching_means_no_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "interactive", lambda: False)
    with progress_callback(None, 100, "x", expected_seconds=1e6) as update:
        assert update is None
    seen: list[tuple[int, int]] = []
    with progress_callback(lambda d, t: seen.append((d, t)), 100, "x") as update:
        assert update is not None
        update(3, 100)
    assert seen == [(3, 100)]


def test_the_call_s_estimate_is_the_public_one() -> None:
    sc = wager.presets.load("compute_first")  # 11 years of 4 steps
    config = simulation_config(
        [prepare_strategy(sc)], n_paths=10**6, seed=0, n_threads=1, keep_paths=False
    )
    expected = execution._expected_seconds(config, "local")
    assert expected == pytest.approx(10**6 * 44 / progress.PATH_STEPS_PER_SECOND)
    # estimate_run_time adds its fixed cost per cell (2 ms).
    assert estimate_run_time(sc, 10**6, n_threads=1) == pytest.approx(expected + 0.002)
