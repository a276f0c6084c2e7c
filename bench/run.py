"""One backend's benchmarks, in a process of their own (settings are read once,
at start-up): ``python -m bench.run RESULTS.json``. The database named by the
environment is migrated here and filled with bulk data; bench/__main__.py makes
and removes it."""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"  # as in production: tasks go to a broker


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from . import outbox, pages

    rounds = int(os.environ.get("BENCH_ROUNDS", "15"))
    out = {"database": connection.vendor, "broker": settings.CELERY_BROKER_URL}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    step("migrated", started)
    index, articles = pages.setup()
    step("101,010 approved comments on three articles", started)
    out["pages"] = pages.article_pages(articles, rounds)
    step("article pages", started)
    out["post"] = pages.post_comment(articles, rounds)
    step("posting a comment", started)
    out["admin"] = pages.moderation_listing(index, max(5, rounds // 2))
    step("moderation listing and bulk approval", started)
    if os.environ.get("BENCH_SKIP_OUTBOX") != "1":
        folder = settings.VAR_DIR / "bench-outbox"
        folder.mkdir(parents=True, exist_ok=True)
        out["smtplib"] = outbox.raw_smtplib(folder)
        step("raw smtplib loop", started)
        out["outbox"] = outbox.outbox(folder, dict(os.environ))
        step("outbox with two workers", started)
    with open(sys.argv[1], "w") as results:
        json.dump(out, results, indent=2)


def step(what, started):
    print(f"  {time.perf_counter() - started:7.1f} s  {what}", flush=True)


if __name__ == "__main__":
    main()
