"""Reminder throughput and delay: N reminders due at once, delivered to a WeCom-style bot
on 127.0.0.1 by 1 and by 2 `db_worker` processes, optionally killing one mid-way.

    .venv/bin/python bench/reminders.py [--reminders 100000] [--workers 1 2] [--kill]
    DATABASE_URL=postgres://user:pw@127.0.0.1:5432/db .venv/bin/python bench/reminders.py

Each run uses a database of its own (a SQLite file under a temporary directory, or a new
PostgreSQL database next to the one DATABASE_URL names, dropped afterwards), migrates
it, seeds N follow-ups due today (20 salespeople, each with a personal bot), lets
`run_scheduler --once` plan them (timed: "plan_s"), then starts the workers and the
scheduler. Everything is due when they start (t0). Reported per run:
- per_second: distinct deliveries received / seconds from t0 to the last one;
- delay_p50_s, delay_p99_s: first arrival of each delivery at the bot minus t0, i.e.
  how long after its due time a reminder arrived, when all came due at once;
- repeats: deliveries that arrived more than once (only after a kill: the one in flight);
- notifications and reminder statuses from the database (exactly one each).
Results go to bench/results-reminders-<engine>.json.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reminders.crash import run  # noqa: E402 (after the path is set)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--kill", action="store_true", help="SIGKILL one worker at 30 %%")
    parser.add_argument("--timeout", type=float, default=7200)
    args = parser.parse_args()
    engine = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    runs = []
    for workers in args.workers:
        with tempfile.TemporaryDirectory(prefix="vf-bench-") as tmp:
            result = run(
                tmp=Path(tmp),
                reminders=args.reminders,
                workers=workers,
                kill=args.kill,
                database=engine,
                timeout=args.timeout,
            )
        summary = result.summary()
        summary["plan_s"] = round(result.plan_seconds, 2)
        # Other work on the machine slows every figure: say how busy it was.
        summary["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(summary, ensure_ascii=False), flush=True)
        runs.append(summary)
    out = ROOT / "bench" / f"results-reminders-{engine}.json"
    out.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                "python": platform.python_version(),
                "runs": runs,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
