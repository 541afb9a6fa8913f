"""Customer import throughput: 50,000 rows (a customer and its contact each) from .csv
and .xlsx, through the import services (not the web), on a fresh database.

    .venv/bin/python bench/imports.py [--rows 50000] [--formats csv xlsx]
    DATABASE_URL=postgres://user:pw@127.0.0.1:5432/db .venv/bin/python bench/imports.py

Each format runs on a database of its own (a SQLite file under a temporary directory,
or a new PostgreSQL database <db>_imports_bench next to the one DATABASE_URL names,
dropped afterwards), migrated first. Timed per format:
- upload_s: reading the header and keeping the file (import_job_create);
- dry_run_s: checking every row (import_job_dry_run);
- import_s: the background import itself (run by the immediate task backend);
- total_s: upload + mapping + dry run + import, what a person waits for;
- rows_per_s: rows / import_s.
Issue 9 asks for total_s under 60 s for 50,000 rows. Results go to
bench/results-imports-<engine>.json.
"""

import argparse
import csv
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
CITIES = [("广东", "深圳"), ("广东", "广州"), ("浙江", "杭州"), ("江苏", "苏州"), ("上海", "上海")]
HEADERS = ["客户名称", "简称", "级别", "省份", "城市", "地址", "联系人", "职务", "手机", "邮箱"]


def rows(count: int) -> list[list[str]]:
    out = []
    for n in range(count):
        region, city = CITIES[n % len(CITIES)]
        person = SURNAMES[n % len(SURNAMES)] + GIVEN[(n // 7) % len(GIVEN)]
        out.append(
            [
                f"{city}市第{n}号科技有限公司",
                f"第{n}号",
                ("VIP", "A", "B", "C")[n % 4],
                region,
                city,
                f"{city}市高新区{n % 300}号",
                person,
                "采购经理",
                f"138{n:08d}",
                f"buyer{n}@example.com",
            ]
        )
    return out


def write_file(path: Path, fmt: str, data: list[list[str]]) -> None:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows(data)
        path.write_bytes(out.getvalue().encode("gb18030"))  # as Chinese Excel saves it
        return
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    for row in data:
        sheet.append(row)
    workbook.save(path)


def database_for_run(tmp: Path) -> tuple[str, str | None]:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
        return "sqlite", None
    import psycopg

    parts = urlsplit(url)
    bench_db = f"{parts.path.lstrip('/') or 'postgres'}_imports_bench"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{bench_db}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + quote(bench_db)))
    return "postgresql", url


def run_one(fmt: str, count: int) -> dict[str, object]:
    """One format in a child process: Django is set up once per database."""
    child = subprocess.run(  # noqa: S603 (this very script, with our own arguments)
        [sys.executable, __file__, "--child", fmt, "--rows", str(count)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    return json.loads(child.stdout.strip().splitlines()[-1])


def child(fmt: str, count: int) -> None:
    with tempfile.TemporaryDirectory(prefix="vf-import-bench-") as name:
        tmp = Path(name)
        engine, original_url = database_for_run(tmp)
        os.environ["VISITFLOW_TESTING"] = "1"  # the immediate task backend
        os.environ.pop("DEBUG", None)
        os.environ["IMPORT_ROOT"] = str(tmp / "files")
        os.environ["IMPORT_MAX_BYTES"] = str(200 * 1024 * 1024)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command

        from visitflow.accounts.models import Role
        from visitflow.accounts.services import user_create
        from visitflow.customers.models import Contact, Customer
        from visitflow.imports import services
        from visitflow.imports.models import ImportJob

        call_command("migrate", verbosity=0)
        sales = user_create(
            username="bench-sales",
            password="bench-pass-123",  # noqa: S106 (a throw-away database)
            display_name="王销售",
            role=Role.SALES,
        )
        path = tmp / f"customers.{fmt}"
        write_file(path, fmt, rows(count))
        started = time.perf_counter()
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        job = services.import_job_create(actor=sales, upload=upload)
        upload_s = time.perf_counter() - started
        job = services.import_job_set_mapping(actor=sales, job=job, mapping=job.mapping)
        t = time.perf_counter()
        job = services.import_job_dry_run(actor=sales, job=job)
        dry_run_s = time.perf_counter() - t
        t = time.perf_counter()
        services.import_job_start(actor=sales, job=job)  # runs on commit, immediate backend
        import_s = time.perf_counter() - t
        total_s = time.perf_counter() - started
        job = ImportJob.objects.get(pk=job.pk)
        result = {
            "format": fmt,
            "engine": engine,
            "rows": count,
            "status": job.status,
            "created": job.created_count,
            "refused": job.refused_count,
            "customers": Customer.objects.count(),
            "contacts": Contact.objects.count(),
            "file_mb": round(path.stat().st_size / 1e6, 1),
            "upload_s": round(upload_s, 2),
            "dry_run_s": round(dry_run_s, 2),
            "import_s": round(import_s, 2),
            "total_s": round(total_s, 2),
            "rows_per_s": round(count / import_s),
        }
        from django.db import connections

        connections.close_all()
        if original_url:
            import psycopg

            bench_db = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
            with psycopg.connect(original_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
        print(json.dumps(result, ensure_ascii=False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--formats", nargs="+", default=["csv", "xlsx"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows)
        return 0
    engine = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    runs = []
    for fmt in args.formats:
        result = run_one(fmt, args.rows)
        print(json.dumps(result, ensure_ascii=False), flush=True)
        runs.append(result)
    out = ROOT / "bench" / f"results-imports-{engine}.json"
    out.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
                "runs": runs,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    print(f"Written to {out.relative_to(ROOT)}")
    failed = [r for r in runs if r["status"] != "done" or float(str(r["total_s"])) >= 60]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
