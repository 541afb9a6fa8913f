"""Serve VisitFlow locally: gunicorn, the task worker and the reminder scheduler.

Ctrl-C (SIGINT) or SIGTERM stops all three; if one dies, the others are stopped too, so
the demo never runs half-alive. Used by `make run`; run it with the project's venv Python.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GRACE_SECONDS = 10.0
PR_SET_PDEATHSIG = 1


def commands(host: str, port: int, workers: int) -> dict[str, list[str]]:
    web = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={workers}",
        "--graceful-timeout=5",
        "--access-logfile=-",
        # gunicorn's control socket defaults to one path in $HOME, shared by every checkout.
        "--no-control-socket",
    ]
    if os.environ.get("REDIS_URL"):
        # Tasks go to Redis: RQ's worker, with the job class django-tasks-rq needs.
        worker = [sys.executable, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job"]
    else:
        # No autoreload (its default under DEBUG): a second process to stop, for no gain here.
        worker = [sys.executable, "manage.py", "db_worker", "--no-reload"]
    # Plans reminders and hands due ones (and delivery retries) to the worker.
    scheduler = [sys.executable, "manage.py", "run_scheduler"]
    return {"web": web, "worker": worker, "scheduler": scheduler}


def start_child() -> None:
    # Own process group, so one signal reaches gunicorn's workers too; and a signal
    # from the kernel if this supervisor dies without cleaning up (SIGKILL).
    os.setsid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args(argv)

    stop_requested: list[int] = []

    def request_stop(signum: int, _frame: object) -> None:
        stop_requested.append(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, request_stop)

    children: dict[str, subprocess.Popen[bytes]] = {}
    for name, command in commands(args.host, args.port, args.workers).items():
        children[name] = subprocess.Popen(command, cwd=ROOT, preexec_fn=start_child)  # noqa: S603 (fixed argv)
        print(f"[run] started {name} (pid {children[name].pid}): {' '.join(command)}", flush=True)
    print(
        f"[run] VisitFlow: http://{args.host}:{args.port}/  (Ctrl-C stops all three)",
        flush=True,
    )

    exit_code = 0
    while not stop_requested:
        dead = {
            name: child.returncode for name, child in children.items() if child.poll() is not None
        }
        if dead:
            for name, code in dead.items():
                print(f"[run] {name} exited with code {code}; stopping the rest.", flush=True)
            code = next(iter(dead.values()))
            exit_code = code if code and code > 0 else 1
            break
        time.sleep(0.2)
    if stop_requested:
        print(f"[run] {signal.Signals(stop_requested[0]).name} received; stopping.", flush=True)

    for child in children.values():
        signal_group(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for child in children.values():
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
    while time.monotonic() < deadline and any(group_alive(c.pid) for c in children.values()):
        time.sleep(0.1)
    for name, child in children.items():
        if group_alive(child.pid):
            print(f"[run] {name} did not stop in {GRACE_SECONDS:.0f}s; killing it.", flush=True)
            signal_group(child.pid, signal.SIGKILL)
        child.wait()
    print("[run] stopped.", flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
