"""The benchmark suite keeps working (its figures are judged in BENCHMARKS.md, not here)."""

import json

from benchmarks import engine
from benchmarks.report import Figure, as_json, table


def test_a_figure_is_met_on_the_right_side_of_its_target():
    assert Figure("a", "a", 0.9, "x", 1.0, "<=").met
    assert not Figure("b", "b", 1.2, "x", 1.0, "<=").met
    assert Figure("c", "c", 2.1, "x", 2.0, ">=").met
    assert Figure("d", "d", 5.0, "ms").met is None  # reported, no target


def test_the_table_and_json_carry_every_figure():
    figures = [Figure("speed", "1. speed", 2.5, "x", 2.0, ">="), Figure("t", "8. time", 3.0, "ms")]
    text = table(figures)
    assert "1. speed" in text and "yes" in text and "8. time" in text
    assert json.loads(as_json(figures, {"cores": 2}))["figures"]["speed"]["met"] is True


def test_the_engine_figures_are_measured_against_their_references():
    figures = {f.key: f for f in engine.figures(repeats=1, m=5_000)}  # 5,000: every digit (they come sorted)
    assert set(figures) == {"engine_vs_notebook", "engine_vs_floor"}
    assert all(f.value > 0 for f in figures.values())


def test_the_window_figures_are_measured_in_alternating_rounds():
    from benchmarks import window

    figures = {f.key: f for f in window.responsiveness(seconds=0.6, rounds=1)}
    assert set(figures) == {"probe_max_ms", "probe_p99_ms", "pause_latency_ms"}
    assert figures["probe_max_ms"].value >= figures["probe_p99_ms"].value
    assert "frames/s" in figures["pause_latency_ms"].detail


def test_motion_is_measured_headless_and_with_the_window_alike():
    from benchmarks import motion

    rounds = motion._measure(motion.Config("desk", 64, 10), seconds=0.6, rounds=1)
    assert len(rounds.headless) == len(rounds.window) == 1 and rounds.headless[0] > 0 and rounds.window[0] > 0
    assert rounds.frames_per_second[0] > 0 and rounds.costs and all(age >= 0 for age in rounds.staleness)


def test_the_mistakes_page_is_measured_in_sight_with_a_dev_split_of_10000():
    from benchmarks import window

    figures = {f.key: f for f in window.mistakes_page(seconds=1.0)}
    assert set(figures) == {"mistakes_probe_max_ms", "mistakes_probe_p99_ms", "mistakes_page_ms"}
    assert figures["mistakes_page_ms"].value > 0
    assert "evaluations of 10,000 dev digits" in figures["mistakes_probe_max_ms"].detail


def test_rewinds_are_measured_just_before_a_keyframe_of_a_real_run():
    from benchmarks import rewind

    figures = {f.key: f for f in rewind.figures(iterations=100, repeats=1, seed_m=5_000)}
    assert set(figures) == {
        "keyframe_memory_mb",
        "rewind_minibatch_ms",
        "rewind_full_batch_default_ms",
        "rewind_full_batch_seed_ms",
    }
    assert "100 mini-batch" in figures["keyframe_memory_mb"].detail
    assert all(f.value > 0 for f in figures.values())
