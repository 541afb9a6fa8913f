"""Business-card OCR on the CPU: time per card and accuracy per field on the test set.

    .venv/bin/python bench/ocr.py [--repeat 1]

Reads every card of tests/tradeshows/cards.py (Chinese, English and bilingual, flat and
photographed) through `read_card`, the same path as an upload at the booth. Reported:
- load_s: the first call's extra cost, loading the ONNX models (once per process);
- per_card_p50_s, per_card_p95_s, per_card_mean_s: one card, engine already loaded (wall
  clock); per_card_cpu_mean_s: the CPU time it took, which a busy machine does not inflate;
- accuracy overall and per field: fields read right / fields the cards have (phones compared
  by digits, text without spaces and case), and per kind of card (flat, photographed);
- the fields each card got wrong, to see where the engine or the extraction fails.
Results go to bench/results-ocr.json.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("VISITFLOW_TESTING", "1")

import django  # noqa: E402 (after the path and settings are set)

django.setup()

from tests.tradeshows.cards import FIELD_NAMES, field_results, rendered  # noqa: E402
from visitflow.tradeshows.ocr import CardImageError, engine, read_card  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="read the whole set this often")
    args = parser.parse_args()

    cards = rendered()
    started = time.perf_counter()
    engine()
    load_s = time.perf_counter() - started

    times: list[float] = []
    cpu_times: list[float] = []
    right: dict[str, int] = dict.fromkeys(FIELD_NAMES, 0)
    total: dict[str, int] = dict.fromkeys(FIELD_NAMES, 0)
    by_kind: dict[str, list[int]] = {"flat": [0, 0], "photographed": [0, 0]}
    wrong: dict[str, dict[str, dict[str, str]]] = {}
    for round_index in range(args.repeat):
        for spec, data in cards:
            started = time.perf_counter()
            cpu_started = time.process_time()
            try:
                found = read_card(data)
            except CardImageError:
                found = type(spec.truth)()
            times.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu_started)
            if round_index:
                continue
            kind = "photographed" if spec.photo else "flat"
            for name, ok in field_results(spec.truth, found).items():
                total[name] += 1
                right[name] += ok
                by_kind[kind][0] += ok
                by_kind[kind][1] += 1
                if not ok:
                    wrong.setdefault(spec.key, {})[name] = {
                        "expected": getattr(spec.truth, name),
                        "read": getattr(found, name),
                    }

    fields_total = sum(total.values())
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            # The machine may be shared: the load when the run ended puts the times in context.
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
        "cards": len(cards),
        "load_s": round(load_s, 3),
        "per_card_p50_s": round(percentile(times, 0.5), 3),
        "per_card_p95_s": round(percentile(times, 0.95), 3),
        "per_card_mean_s": round(statistics.fmean(times), 3),
        # CPU seconds of this process: what a card costs when the machine is not shared.
        "per_card_cpu_mean_s": round(statistics.fmean(cpu_times), 3),
        "accuracy": round(sum(right.values()) / fields_total, 4),
        "fields": fields_total,
        "accuracy_per_field": {
            name: {
                "right": right[name],
                "of": total[name],
                "share": round(right[name] / total[name], 4),
            }
            for name in FIELD_NAMES
            if total[name]
        },
        "accuracy_per_kind": {
            kind: round(ok / count, 4) for kind, (ok, count) in by_kind.items() if count
        },
        "wrong": wrong,
    }
    path = ROOT / "bench" / "results-ocr.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
