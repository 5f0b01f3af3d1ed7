"""Pausing the cyclic garbage collector: nested and overlapping pauses, and one found off."""

from __future__ import annotations

import gc
import threading

import pytest

from annotator.core.collector import collector_paused


@pytest.fixture
def collecting():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_resumes_when_the_last_of_overlapping_pauses_ends(collecting):
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    other_thread = threading.Thread(target=second.__enter__)
    other_thread.start()
    other_thread.join()
    assert not gc.isenabled()
    first.__exit__(None, None, None)  # the first ends while the second still runs
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_pause_ended_by_an_error_resumes_the_collector(collecting):
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError("the run failed")
    assert gc.isenabled()


def test_a_collector_found_paused_stays_paused(collecting):
    gc.disable()  # as the command line does during its start-up
    with collector_paused():
        pass
    assert not gc.isenabled()
