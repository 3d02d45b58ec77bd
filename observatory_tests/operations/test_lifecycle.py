"""``observatory ui`` stops everything it started on SIGTERM, and after a ``kill -9`` the next command cleans up.

These tests start the real console script (webserver, daemon, code servers, embedded PostgreSQL) as a user would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from observatory.commands.lifecycle import PortInUseError, check_port_free

pytestmark = pytest.mark.slow

OBSERVATORY = Path(sys.executable).parent / "observatory"
READY_TIMEOUT = 240.0
# The command gives its children 10 s after SIGTERM before SIGKILL (stop_processes), then stops PostgreSQL: 15 s
# left no room on a loaded machine (load 7-11 on 2 cores: the webserver was still unwinding at 15 s).
GRACE = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def postgres_of(data_dir: Path) -> list[psutil.Process]:
    pgdata = str((data_dir / "pg").resolve())
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if proc.info["name"] == "postgres" and pgdata in cmdline:
            found.append(proc)
    return found


def alive(procs: list[psutil.Process]) -> list[psutil.Process]:
    return [p for p in procs if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def env_for(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["OBSERVATORY_DATA_DIR"] = str(data_dir)
    env.pop("OBSERVATORY_DATABASE_URL", None)
    env["COLUMNS"] = "200"
    return env


def start_ui(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    proc = subprocess.Popen(
        [str(OBSERVATORY), "ui", "--port", str(port)], env=env_for(data_dir), stdout=out, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if "ready: Dagster UI" in text:
            assert listening(port), "ui said ready before its webserver answered"
            return proc
        if proc.poll() is not None:
            pytest.fail(f"observatory ui exited with {proc.returncode}:\n{text[-3000:]}")
        time.sleep(0.5)
    proc.kill()
    pytest.fail(f"observatory ui not ready after {READY_TIMEOUT} s:\n{log.read_text(errors='replace')[-3000:]}")


def assert_all_gone(
    tree: list[psutil.Process], data_dir: Path, port: int, grace: float = GRACE, log: Path | None = None
) -> None:
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not alive(tree) and not listening(port) and not postgres_of(data_dir):
            return
        time.sleep(0.5)
    # What the command printed says where it was when the signal came (a swallowed stop shows up there).
    said = f"\n{log.read_text(errors='replace')[-3000:]}" if log is not None else ""
    left = [" ".join(p.cmdline())[:160] for p in alive(tree)]
    assert not left, f"still running {grace} s later: {left}{said}"
    assert not listening(port), f"port {port} still has a listener{said}"
    assert not postgres_of(data_dir), f"the embedded PostgreSQL of the data directory still runs{said}"


@pytest.fixture()
def ui_dir(tmp_path: Path) -> Iterator[Path]:
    data_dir = tmp_path / "data"
    yield data_dir
    for proc in alive(postgres_of(data_dir)):  # never leave a server behind, even when the test fails
        proc.kill()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_signal_stops_webserver_daemon_code_servers_and_postgres(
    sig: signal.Signals, ui_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    ui = start_ui(ui_dir, port, tmp_path / "ui.log")
    wrapper = psutil.Process(ui.pid)
    tree = [wrapper, *wrapper.children(recursive=True)]
    assert any("dagster-webserver" in " ".join(p.cmdline()) for p in tree)
    assert any("dagster-daemon" in " ".join(p.cmdline()) for p in tree)
    assert postgres_of(ui_dir), "the embedded PostgreSQL should run while the UI does"

    ui.send_signal(sig)
    assert_all_gone(tree, ui_dir, port, log=tmp_path / "ui.log")
    assert ui.wait(timeout=5) == 128 + sig
    assert (ui_dir / "pg" / ".handle_pids.json").read_text() == "[]"

    if sig != signal.SIGTERM:
        return
    # The daemon that just stopped is what `observatory doctor` reports.
    time.sleep(2)
    env = env_for(ui_dir) | {"OBSERVATORY_ALERTS__DAEMON_HEARTBEAT_MAX_AGE": "1"}
    doctor = subprocess.run(
        [str(OBSERVATORY), "doctor", "--skip", "models"], env=env, capture_output=True, text=True, timeout=120
    )
    assert doctor.returncode == 1, doctor.stdout + doctor.stderr
    assert "stopped: last heartbeat" in doctor.stdout
    assert not postgres_of(ui_dir)


def test_kill_9_then_next_command_cleans_up(ui_dir: Path, tmp_path: Path) -> None:
    port = free_port()
    ui = start_ui(ui_dir, port, tmp_path / "ui.log")
    wrapper = psutil.Process(ui.pid)
    tree = [wrapper, *wrapper.children(recursive=True)]

    ui.send_signal(signal.SIGKILL)
    ui.wait(timeout=5)
    assert str(ui.pid) in (ui_dir / "pg" / ".handle_pids.json").read_text()  # the stale pid a kill -9 leaves

    status = subprocess.run(
        [str(OBSERVATORY), "db", "status"], env=env_for(ui_dir), capture_output=True, text=True, timeout=120
    )
    assert status.returncode == 0, status.stderr
    assert_all_gone(tree, ui_dir, port)
    assert (ui_dir / "pg" / ".handle_pids.json").read_text() == "[]"


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(PortInUseError, match=f"port {port} .* already in use"):
            check_port_free("127.0.0.1", port)
        result = subprocess.run(
            [str(OBSERVATORY), "ui", "--port", str(port)],
            env=env_for(tmp_path / "data"),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert "already in use" in result.stderr
    assert not postgres_of(tmp_path / "data")


def test_sigterm_during_demo_stops_its_run_and_postgres(ui_dir: Path, tmp_path: Path) -> None:
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        demo = subprocess.Popen([str(OBSERVATORY), "demo"], env=env_for(ui_dir), stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + READY_TIMEOUT
    wrapper = psutil.Process(demo.pid)
    while time.monotonic() < deadline and not (postgres_of(ui_dir) and wrapper.children(recursive=True)):
        assert demo.poll() is None, log.read_text(errors="replace")[-3000:]
        time.sleep(0.5)
    time.sleep(5)  # well inside the run: crawls and Dagster's helpers are running
    tree = [wrapper, *wrapper.children(recursive=True)]
    assert postgres_of(ui_dir)

    demo.send_signal(signal.SIGTERM)
    # Dagster defers an interruption that arrives outside user code to the step's next checkpoint, so a demo
    # may finish its current step first: a longer grace than the UI's.
    assert_all_gone(tree, ui_dir, port=free_port(), grace=60, log=log)
    # Wherever the signal lands (a step, Dagster's own code between steps, ours), the command exits as killed by it
    # and says so: Dagster's interruption of the run is not reported as the run's failure.
    code = demo.wait(timeout=5)
    output = log.read_text(errors="replace")
    assert code == 128 + signal.SIGTERM and "stopped by SIGTERM" in output, f"exit {code}:\n{output[-3000:]}"
    assert (ui_dir / "pg" / ".handle_pids.json").read_text() == "[]"
