"""A stop signal that Dagster takes while it executes a run still stops the command.

CI once saw ``observatory demo`` answer a SIGTERM with "error: taxonomy failed (run …): " and nothing after: Dagster
had replaced the command's handler for the run, turned the signal into its own interruption outside any step, and
the command neither said why the run failed nor that it was asked to stop.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import weakref
from collections.abc import Iterator

import dagster as dg
import pytest

from observatory.commands import lifecycle
from observatory.commands.lifecycle import Terminated, received_signal, stop_signals_seen
from observatory.defs.runs import run_assets, summarize


@pytest.fixture()
def fresh_signals() -> Iterator[None]:
    """The command's handlers installed, and no signal recorded before or after the test."""
    before = {sig: signal.getsignal(sig) for sig in lifecycle.STOP_SIGNALS}
    hook = sys.unraisablehook
    lifecycle._received.clear()
    lifecycle.install_signal_handlers()
    yield
    lifecycle._received.clear()
    sys.unraisablehook = hook
    for sig, handler in before.items():
        signal.signal(sig, handler)


def test_a_signal_taken_by_another_handler_is_still_seen(fresh_signals: None) -> None:
    taken: list[int] = []
    with stop_signals_seen() as seen:
        previous = signal.signal(signal.SIGTERM, lambda signum, _frame: taken.append(signum))
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            signal.signal(signal.SIGUSR1, lambda *_: None)
            os.kill(os.getpid(), signal.SIGUSR1)  # not a stop signal: not reported
        finally:
            signal.signal(signal.SIGTERM, previous)
            signal.signal(signal.SIGUSR1, signal.SIG_DFL)
    assert taken == [signal.SIGTERM]
    assert seen == [signal.SIGTERM]
    assert received_signal() is None  # seeing is not stopping: the caller decides
    # Outside the block nothing is watched any more.
    assert signal.set_wakeup_fd(-1) == -1


@dg.asset
def stopped_upstream() -> int:
    os.kill(os.getpid(), signal.SIGTERM)  # what `kill <pid>` does while the step runs
    return 1


@dg.asset
def stopped_downstream(stopped_upstream: int) -> int:
    return stopped_upstream + 1


def test_a_run_dagster_interrupts_stops_the_command_as_terminated(fresh_signals: None) -> None:
    defs = dg.Definitions(assets=[stopped_upstream, stopped_downstream])
    with dg.DagsterInstance.ephemeral() as instance:
        with pytest.raises(Terminated) as stopped:
            run_assets(defs, instance, ["stopped_upstream", "stopped_downstream"])
        assert stopped.value.signum == signal.SIGTERM and stopped.value.code == 128 + signal.SIGTERM
        assert received_signal() == signal.SIGTERM  # the CLI then prints "stopped by SIGTERM"
        runs = instance.get_runs()
        assert [run.status for run in runs] == [dg.DagsterRunStatus.FAILURE]
        assert instance.get_latest_materialization_event(dg.AssetKey("stopped_downstream")) is None
    # While unwinding, a second signal must not interrupt the cleanup.
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN


def test_an_interrupted_run_says_why_it_failed(fresh_signals: None) -> None:
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize([stopped_upstream, stopped_downstream], instance=instance, raise_on_error=False)
    summary = summarize(result)
    assert not summary.success
    assert summary.failures and all(failure.split(":", 1)[1].strip() for failure in summary.failures)
    assert any("Interrupted" in failure for failure in summary.failures), summary.failures


def test_a_run_without_signals_is_summarised_as_before(fresh_signals: None) -> None:
    @dg.asset
    def quiet() -> int:
        return 2

    with dg.DagsterInstance.ephemeral() as instance:
        summary = run_assets(dg.Definitions(assets=[quiet]), instance, ["quiet"])
    assert summary.success and summary.materialized == {"quiet": 1} and summary.failures == []
    assert received_signal() is None


class _Referent:
    pass


def test_a_stop_swallowed_inside_a_weakref_callback_is_delivered_again(fresh_signals: None) -> None:
    """A handler that runs inside a weakref callback raises where Python can only report it: not lost."""

    def callback(_ref: object) -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # the handler runs at the callback's next bytecode, inside it
        sum(range(10))

    referent = _Referent()
    ref = weakref.ref(referent, callback)
    with pytest.raises(Terminated) as stopped:
        del referent  # the callback swallows the first Terminated; the hook sends SIGTERM again
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            time.sleep(0.01)
    assert ref() is None
    assert stopped.value.signum == signal.SIGTERM
    assert received_signal() == signal.SIGTERM


def test_other_unraisable_exceptions_are_still_reported(fresh_signals: None) -> None:
    reported: list[BaseException | None] = []
    lifecycle._previous_unraisablehook = lambda unraisable: reported.append(unraisable.exc_value)
    try:

        def callback(_ref: object) -> None:
            raise ValueError("broken callback")

        referent = _Referent()
        _ref = weakref.ref(referent, callback)
        del referent
    finally:
        lifecycle._previous_unraisablehook = sys.__unraisablehook__
    assert [type(e) for e in reported] == [ValueError]
    assert signal.getsignal(signal.SIGTERM) is lifecycle._raise_terminated
