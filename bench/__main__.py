"""``make bench``: every benchmark on the embedded default (SQLite, filesystem
broker) in a throwaway VOUCH_VAR_DIR, then, when DATABASE_URL and
CELERY_BROKER_URL are set, on PostgreSQL (a database of its own, vouch_bench_*,
created and dropped here) and Redis (db 13, flushed before and after).

Prints each figure with its ratio and goal. Exits 0 even when a goal is missed:
benchmarks report, tests assert.
"""

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
REDIS_DB = 13


def main():
    print(
        f"Vouch benchmarks, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    runs = [("SQLite + filesystem broker", embedded())]
    if os.environ.get("DATABASE_URL") and os.environ.get("CELERY_BROKER_URL"):
        runs.append(("PostgreSQL + Redis", production()))
    else:
        print(
            "(DATABASE_URL and CELERY_BROKER_URL not set: PostgreSQL + Redis skipped)"
        )
    for name, results in runs:
        report(name, results)
    return 0


def embedded():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "EMAIL_HOST"}
    }
    return run_backend("SQLite + filesystem broker", env)


def production():
    import psycopg
    import redis

    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"vouch_bench_{os.getpid()}"
    admin_url = urlunsplit(url._replace(path="/postgres"))
    broker = urlsplit(os.environ["CELERY_BROKER_URL"])
    broker_url = urlunsplit(broker._replace(path=f"/{REDIS_DB}"))
    queue = redis.Redis.from_url(broker_url)
    queue.flushdb()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **{k: v for k, v in os.environ.items() if k != "EMAIL_HOST"},
        "DATABASE_URL": urlunsplit(url._replace(path=f"/{name}")),
        "CELERY_BROKER_URL": broker_url,
        "CACHE_URL": broker_url,
    }
    try:
        return run_backend("PostgreSQL + Redis", env)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        queue.flushdb()


def run_backend(name, env):
    print(f"\n== {name} ==", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="vouch-bench-"))
    try:
        results = folder / "results.json"
        env = {
            **env,
            "VOUCH_VAR_DIR": str(folder / "var"),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
        }
        done = subprocess.run(
            [sys.executable, "-m", "bench.run", str(results)], cwd=BASE_DIR, env=env
        )
        if done.returncode or not results.exists():
            print(f"  {name}: the benchmark process failed (exit {done.returncode})")
            return None
        return json.loads(results.read_text())
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def ms(seconds):
    return f"{seconds * 1000:8.1f} ms"


def report(name, results):
    print(f"\n{name}")
    if results is None:
        print("  no figures (see the error above)")
        return
    rows = []

    def row(what, value, ratio, goal, met):
        rows.append((what, value, ratio, goal, "met" if met else "MISSED"))

    pages = results["pages"]
    base = pages["page 10"]
    for size in (10, 1000, 100000):
        r = pages[f"page {size}"]
        ratio = r["median"] / base["median"]
        row(
            f"article page, {size:,} comments (median; best)",
            f"{ms(r['median'])}; {ms(r['best']).strip()}",
            f"{ratio:5.2f}x vs 10",
            "<= 1.20x" if size > 10 else "baseline",
            ratio <= 1.2,
        )
        row(
            f"  queries at {size:,}",
            f"{r['queries']:8d}",
            "",
            "= at 10",
            r["queries"] == base["queries"],
        )
    last = pages["page 100000, last comments page"]
    ratio = last["median"] / base["median"]
    row(
        "article page, 100,000, last comments page",
        ms(last["median"]),
        f"{ratio:5.2f}x vs 10",
        "<= 1.20x",
        ratio <= 1.2,
    )
    for size in (10, 100000):
        floor = pages[f"floor {size}"]
        ratio = pages[f"page {size}"]["median"] / floor["median"]
        row(
            f"bare view, same rows from a list ({size:,})",
            ms(floor["median"]),
            f"{ratio:5.2f}x page/floor",
            "<= 1.50x",
            ratio <= 1.5,
        )
    post, bare = results["post"]["post comment"], results["post"]["bare insert"]
    row(
        "POST one comment (median)",
        ms(post["median"]),
        f"{post['median'] / bare['median']:5.2f}x vs bare insert",
        "",
        True,
    )
    row("  queries", f"{post['queries']:8d}", "", "<= 8", post["queries"] <= 8)
    admin = results["admin"]
    small = admin["admin queue, 1000 pending"]
    large = admin["admin queue, 100000 pending"]
    ratio = large["median"] / small["median"]
    row(
        "admin moderation queue, 1,000 pending",
        ms(small["median"]),
        "",
        "baseline",
        True,
    )
    row(
        "admin moderation queue, 100,000 pending",
        ms(large["median"]),
        f"{ratio:5.2f}x vs 1,000",
        "<= 1.30x",
        ratio <= 1.3,
    )
    row(
        "  queries 1,000 / 100,000",
        f"{small['queries']:4d} / {large['queries']}",
        "",
        "equal",
        small["queries"] == large["queries"],
    )
    bulk = admin["bulk approve 1000"]
    row("bulk approve 1,000 (one POST)", ms(bulk["median"]), "", "", True)
    row("  queries", f"{bulk['queries']:8d}", "", "<= 20", bulk["queries"] <= 20)
    if "outbox" in results:
        raw, box = results["smtplib"], results["outbox"]
        row(
            "raw smtplib loop, 10,000 emails",
            f"{raw['rate']:6.0f} /s",
            "",
            "baseline",
            raw["lost"] == 0,
        )
        ratio = box["rate"] / raw["rate"]
        row(
            "outbox, 2 Celery workers, 10,000 emails",
            f"{box['rate']:6.0f} /s",
            f"{ratio:5.2f}x vs smtplib",
            ">= 0.80x",
            ratio >= 0.8,
        )
        row(
            "  of which publishing 10,000 tasks on commit",
            f"{box['publishing seconds']:6.1f} s of {box['seconds']:.1f} s",
            "",
            "(info)",
            True,
        )
        row(
            "  lost / duplicates (by Message-ID)",
            f"{box['lost']} / {box['duplicates']}",
            "",
            "0 / 0",
            box["lost"] == 0 and box["duplicates"] == 0,
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    header = ("figure", "value", "ratio", "goal", "")
    for line in [header, tuple("-" * w for w in widths), *rows]:
        print(
            "  "
            + "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True))
        )


if __name__ == "__main__":
    sys.exit(main())
