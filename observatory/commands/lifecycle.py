"""Process lifecycle of the command line: signals become a clean exit, children never outlive the command.

Every ``observatory`` command turns SIGTERM and SIGHUP into the same unwinding as Ctrl-C, so context managers run
(the embedded PostgreSQL handle is released, the server stops with its last user) and the children the command
started are stopped. Long-lived children (the Dagster webserver and daemon of ``observatory ui``) also get
``PR_SET_PDEATHSIG``, so that even a ``kill -9`` of the command stops them.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import psutil

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
_PR_SET_PDEATHSIG = 1


class Terminated(SystemExit):
    """The command was asked to stop by a signal; exits with 128 + the signal number, as shells report it."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


_received: list[int] = []


def received_signal() -> int | None:
    """The stop signal this process received, if any (libraries may turn the exception into their own)."""
    return _received[0] if _received else None


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    stop_for(signum)


def stop_for(signum: int) -> NoReturn:
    """Unwind the command as stopped by ``signum`` (also for a signal a library's own handler took first)."""
    # Ignore repeated signals while unwinding: a second Ctrl-C must not interrupt the cleanup it started.
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    _received.append(signum)
    raise Terminated(signum)


@contextlib.contextmanager
def stop_signals_seen() -> Iterator[list[int]]:
    """Yield a list that holds, on exit, the stop signals that arrived inside the block, whoever handled them.

    Dagster replaces the SIGTERM/SIGINT handlers while it executes a run and turns a signal into its own
    interruption, or into nothing at all when it arrives after the last checkpoint (its flag is cleared when the
    run ends), so the command's handler never learns of it. Python writes the number of every signal that has a
    Python handler to the wakeup file descriptor whichever handler it is: that is read here. Outside the main
    thread (where signals cannot be watched) the list stays empty.
    """
    seen: list[int] = []
    try:
        reader, writer = socket.socketpair()
    except OSError:
        yield seen
        return
    with reader, writer:
        reader.setblocking(False)
        writer.setblocking(False)
        try:
            previous = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        except ValueError:  # not the main thread
            yield seen
            return
        try:
            yield seen
        finally:
            signal.set_wakeup_fd(previous)
            with contextlib.suppress(BlockingIOError):
                data = reader.recv(4096)
                seen.extend(n for n in data if n in STOP_SIGNALS)


def install_signal_handlers() -> None:
    """Make SIGTERM, SIGINT and SIGHUP unwind the command like an exception (``finally`` blocks run).

    Python runs a signal handler at the next bytecode boundary, which may lie inside a weakref callback or a
    ``__del__`` method; an exception raised there cannot propagate and is only reported as "unraisable", so the
    command would go on as if never stopped. The unraisable hook installed here sees such a swallowed
    ``Terminated`` and delivers the signal again, so that it lands in ordinary code.
    """
    global _previous_unraisablehook
    for sig in STOP_SIGNALS:
        signal.signal(sig, _raise_terminated)
    if sys.unraisablehook is not _redeliver_swallowed_stop:
        _previous_unraisablehook = sys.unraisablehook
        sys.unraisablehook = _redeliver_swallowed_stop


_previous_unraisablehook: Callable[[Any], object] = sys.__unraisablehook__


def _redeliver_swallowed_stop(unraisable: Any) -> None:
    """Deliver again a stop signal whose ``Terminated`` was swallowed in a callback; report anything else."""
    exc = unraisable.exc_value
    if not isinstance(exc, Terminated):
        _previous_unraisablehook(unraisable)
        return
    signum = exc.signum
    # stop_for ignored further stop signals: take them again, then send this one from a helper thread, so that
    # the handler runs once this callback has returned rather than inside it.
    for sig in STOP_SIGNALS:
        signal.signal(sig, _raise_terminated)
    if _received and _received[-1] == signum:
        _received.pop()
    while True:
        try:
            threading.Thread(target=_send_later, args=(signum,), daemon=True, name="redeliver-stop").start()
            return
        except Terminated:  # the signal came back before this hook returned: this exception is lost too
            for sig in STOP_SIGNALS:
                signal.signal(sig, _raise_terminated)
            _received.pop()


def _send_later(signum: int, delay: float = 0.02) -> None:
    time.sleep(delay)  # let the hook that started this thread return first
    os.kill(os.getpid(), signum)


def _die_with_parent_hook() -> Callable[[], None] | None:
    """A pre-exec hook that asks Linux to send the child SIGTERM when its parent dies (``PR_SET_PDEATHSIG``)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # resolved before fork: only the call runs in the child
    except (OSError, AttributeError):
        return None

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)

    return hook


def spawn_child(args: Sequence[str], env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.Popen[bytes]:
    """Start a child, leader of its own process group, that gets SIGTERM when this process dies (Linux).

    Its own group lets a later command stop what it started (code servers) if this process is killed with
    SIGKILL (see :func:`stop_orphaned_children`)."""
    return subprocess.Popen(list(args), env=env, preexec_fn=_die_with_parent_hook(), start_new_session=True, **kwargs)


def stop_processes(processes: Sequence[psutil.Process], timeout: float = 10.0, sig: int = signal.SIGTERM) -> None:
    """Send ``sig`` to each process, wait up to ``timeout`` seconds, then kill what is left."""
    alive = []
    for proc in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.send_signal(sig)
            alive.append(proc)
    _, left = psutil.wait_procs(alive, timeout=timeout)
    for proc in left:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(left, timeout=5)


def stop_descendants(timeout: float = 10.0) -> None:
    """Stop every process this one started (children and their children) that is still running."""
    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    if children:
        stop_processes(children, timeout=timeout)


def stop_children(children: Sequence[subprocess.Popen[bytes]], timeout: float = 15.0) -> None:
    """Stop ``children`` and everything they started: SIGTERM, a grace period, then SIGKILL."""
    tree: list[psutil.Process] = []
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            parent = psutil.Process(child.pid)
            tree.extend(parent.children(recursive=True))  # grandchildren first seen before their parent exits
            tree.insert(0, parent)
    top = [p for p in tree if p.pid in {c.pid for c in children}]
    stop_processes(top, timeout=timeout)
    stop_processes([p for p in tree if p not in top and p.is_running()], timeout=5)
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=1)


class PortInUseError(RuntimeError):
    """The port the command should listen on is taken."""


def check_port_free(host: str, port: int) -> None:
    """Raise :class:`PortInUseError` when ``host:port`` cannot be bound (another server listens there)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUseError(
                    f"port {port} on {host} is already in use (another `observatory ui`?); stop that server "
                    f"or choose another port with --port"
                ) from None
            raise PortInUseError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def wait_for_http(url: str, alive: Callable[[], bool], timeout: float = 300.0, interval: float = 0.5) -> bool:
    """Poll ``url`` until it answers (any HTTP status), ``alive()`` turns false, or ``timeout`` runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # the server answered, even if not with 200
        except (urllib.error.URLError, OSError):
            time.sleep(interval)
    return False


CHILDREN_FILE = "children.json"


def record_children(data_dir: Path, children: Sequence[subprocess.Popen[bytes]]) -> Path:
    """Write who started which process groups, so that a later command can stop them if this one is killed."""
    path = data_dir / CHILDREN_FILE
    state = {"owner": os.getpid(), "groups": [child.pid for child in children]}
    path.write_text(json.dumps(state), encoding="utf-8")
    return path


def forget_children(data_dir: Path) -> None:
    """Remove this process's record of its children (they have been stopped)."""
    path = data_dir / CHILDREN_FILE
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text(encoding="utf-8")).get("owner") == os.getpid():
            path.unlink()


def stop_orphaned_children(data_dir: Path) -> list[int]:
    """Stop the process groups left by a command that died without cleaning up (``kill -9``); returns their pids.

    A group is stopped only when its recorded owner is gone and its processes are Dagster's (the webserver,
    the daemon and the code servers they started).
    """
    path = data_dir / CHILDREN_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    owner = int(state.get("owner", 0))
    if owner and psutil.pid_exists(owner) and psutil.Process(owner).status() != psutil.STATUS_ZOMBIE:
        return []
    groups = {int(g) for g in state.get("groups", [])}
    orphans = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        with contextlib.suppress(psutil.Error):
            if os.getpgid(proc.pid) in groups and "dagster" in " ".join(proc.info["cmdline"] or []):
                orphans.append(proc)
    stop_processes(orphans, timeout=10)
    with contextlib.suppress(OSError):
        path.unlink()
    return [p.pid for p in orphans]
