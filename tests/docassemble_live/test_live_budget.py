"""The real-server run's time budget, without a server: which walks a run makes, and when a
test is skipped rather than started (live_fixtures.within_deadline)."""

from __future__ import annotations

import datetime as dt
import time

import live_fixtures
import pytest


def walks_on(monkeypatch, day: dt.date, mode: str) -> list[tuple[str, str]]:
    monkeypatch.setenv("ASYLUMDOCS_DA_WALKS", mode)
    return live_fixtures.walks_wanted(day)


def test_a_budget_run_walks_every_interview_in_french_and_one_in_english_first(monkeypatch):
    walks = walks_on(monkeypatch, dt.date(2026, 12, 5), "budget")
    assert sorted(p for p, lang in walks if lang == "fr") == sorted(live_fixtures.PROCEDURES)
    english = [p for p, lang in walks if lang == "en"]
    assert len(english) == 1 and walks[0] == (english[0], "en")
    assert len(walks) == len(live_fixtures.PROCEDURES) + 1


def test_the_walks_start_at_another_interview_each_day_and_every_one_comes_first(monkeypatch):
    days = [dt.date(2026, 12, 5) + dt.timedelta(days=n) for n in range(len(live_fixtures.PROCEDURES))]
    firsts = [walks_on(monkeypatch, day, "budget")[1][0] for day in days]  # the first French walk
    assert sorted(firsts) == sorted(live_fixtures.PROCEDURES)
    everything = walks_on(monkeypatch, days[0], "all")
    assert sorted(everything) == sorted((p, lang) for p in live_fixtures.PROCEDURES for lang in ("fr", "en"))


def test_a_test_that_would_end_after_the_deadline_is_skipped_with_the_reason(monkeypatch):
    reunification = live_fixtures.SECONDS_BESIDE_PYTEST["reunification"]
    monkeypatch.setenv("ASYLUMDOCS_DA_DEADLINE", str(time.time() + reunification - 30))
    with pytest.raises(pytest.skip.Exception, match=r"^CI time budget: reunification takes about 260 s and 2[0-9]{2} s are left"):
        live_fixtures.within_deadline("reunification")
    live_fixtures.within_deadline("interview-absence")  # 55 s: it fits, nothing raised


def test_a_test_not_in_the_table_reserves_the_longest_and_no_deadline_means_no_limit(monkeypatch):
    longest = max(live_fixtures.SECONDS_BESIDE_PYTEST.values())
    monkeypatch.setenv("ASYLUMDOCS_DA_DEADLINE", str(time.time() + longest - 10))
    with pytest.raises(pytest.skip.Exception, match=f"a-new-procedure takes about {longest} s"):
        live_fixtures.within_deadline("a-new-procedure")
    monkeypatch.setenv("ASYLUMDOCS_DA_DEADLINE", str(time.time() - 3600))
    monkeypatch.delenv("ASYLUMDOCS_DA_DEADLINE")
    live_fixtures.within_deadline("a-new-procedure")
