"""Entry point of the crawler child process: ``python -m observatory.scraping.child crawl <spider> …``.

The same arguments as ``scrapy crawl``, with two differences that make a crawl safe to run from a pipeline:
the child dies with its parent (``PR_SET_PDEATHSIG`` with SIGKILL on Linux, checked against the parent it was started
by), and it exits with :data:`~observatory.scraping.extensions.FAILED_EXIT_CODE` when the crawl fetched
nothing usable, the reason on stderr.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

PARENT_PID_ENV = "OBSERVATORY_CRAWL_PARENT_PID"
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int | None) -> bool:
    """Ask the kernel to kill this process when its parent exits; exit now if the parent is already gone.

    SIGKILL, not SIGTERM: Scrapy's graceful shutdown waits for downloads in flight (up to DOWNLOAD_TIMEOUT),
    and nobody is left to read what it would save.

    Returns False where the platform has no ``prctl`` (the child then outlives a killed parent).
    """
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return False
    # The parent may have died between fork and prctl: then we were re-parented and nobody will signal us.
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)
    return True


def main(argv: list[str]) -> int:
    parent = os.environ.get(PARENT_PID_ENV)
    die_with_parent(int(parent) if parent and parent.isdigit() else None)
    from scrapy.cmdline import execute

    from observatory.scraping import extensions

    try:
        execute(["scrapy", *argv])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (1 if exc.code else 0)
    else:
        code = 0
    outcome = extensions.last_outcome
    if code == 0 and outcome is not None and not outcome.get("ok"):
        sys.stderr.write(f"crawl failed: {outcome.get('reason')}\n")
        return extensions.FAILED_EXIT_CODE
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
