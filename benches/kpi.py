#!/usr/bin/env python3
"""KPI dashboard benchmark (issue 4): a leader's dashboard over 500 KPIs with
52 weekly check-ins each, release build.

Against a freshly started release server with the demo organisation, on its
own SQLite file (or, with --database postgres, a fresh PostgreSQL database:
see benches/db.py), it creates 500 KPIs owned by the six PMs under leader lead1,
imports 26,000 check-ins through the CSV import, then measures GET /kpis
signed in as lead1 under `wrk -t1 -c16 -d15s` (requests/s, p50, p99), the same
page one request at a time, and the server's memory.

Usage: python3 benches/kpi.py [--kpis 500] [--weeks 52] [--bin target/release/keel]
         [--database sqlite|postgres] [--pg-url postgres://…] [--keep]
Needs: the release build (`cargo leptos build --release`) and `wrk` on PATH.
"""
import argparse
import datetime
import os
import random
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from backlog import ROOT, Client, rss_kib, start_bench, stop_bench, wrk  # noqa: E402
from db import add_arguments  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kpis", type=int, default=500)
    ap.add_argument("--weeks", type=int, default=52)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "keel"))
    ap.add_argument("--seconds", type=int, default=15)
    add_arguments(ap)
    args = ap.parse_args()
    db, proc, port = start_bench(args)
    c = Client(port)
    try:
        phases = [("started", rss_kib(proc.pid))]
        c.form("login", email="lead1@example.com", password="keel-demo")
        choices = c.form("kpi_form_choices")
        owners = [o[0] for o in choices["owners"] if o[0].startswith("pm:")]
        assert len(owners) >= 3, owners
        today = datetime.date.fromisoformat(choices["today"])
        start = today - datetime.timedelta(days=7 * args.weeks + 7)
        due = today + datetime.timedelta(days=60)
        t0 = time.time()
        rng = random.Random(4)
        codes = []
        for i in range(args.kpis):
            code = f"B{i:04}"
            codes.append(code)
            direction = ["increase", "decrease", "stay_above", "stay_below"][i % 4]
            baseline, target = (100.0, 200.0) if direction in ("increase", "stay_above") else (200.0, 100.0)
            c.json("create_kpi", {"id": str(uuid.uuid4()), "form": {
                "code": code, "name": f"指标 {i} KPI", "owner": owners[i % len(owners)], "unit": "%",
                "direction": direction, "baseline": str(baseline), "target": str(target),
                "start_date": start.isoformat(), "due_date": due.isoformat(), "cadence_days": "7",
                "visibility": ["private", "team", "organisation"][i % 3], "goal_id": "", "weight": "",
            }})
        created = time.time() - t0
        phases.append(("created", rss_kib(proc.pid)))
        # 52 weekly check-ins per KPI, one CSV file per 100 KPIs.
        t0 = time.time()
        imported = 0
        for first in range(0, args.kpis, 100):
            lines = ["date,kpi_code,value,confidence,note"]
            for code in codes[first:first + 100]:
                v = 100.0
                for w in range(args.weeks):
                    d = today - datetime.timedelta(days=7 * (args.weeks - 1 - w))
                    v += rng.uniform(-2, 4)
                    lines.append(f"{d.isoformat()},{code},{v:.2f},{rng.randint(40, 95)},周报 week {w}")
            data = ("\n".join(lines) + "\n").encode()
            r = c.json("import_checkins", {"batch_id": str(uuid.uuid4()), "file": list(data),
                                           "commit": True, "only_valid": False})
            assert not r["errors"], r["errors"][:3]
            imported += r["imported"]
        seeded = time.time() - t0
        phases.append(("imported", rss_kib(proc.pid)))

        path = "/kpis"
        status, body = c.request("GET", path)
        cards = body.count(b'data-testid="kpi-card"')
        assert status == 200 and cards == 50, (status, cards, body[-1500:])
        page_kib = len(body) / 1024
        wrk(port, c.cookie, path, 4, 3)
        single_rps, single_p50, single_p99, _, _ = wrk(port, c.cookie, path, 1, 5)
        rps, p50, p99, non2xx, _ = wrk(port, c.cookie, path, 16, args.seconds)
        rss, peak = rss_kib(proc.pid)

        def ms(s):
            return float(s[:-2]) if s.endswith("ms") else float(s[:-2]) / 1000 if s.endswith("us") else float(s[:-1]) * 1000

        print(f"Keel KPI dashboard benchmark — {args.kpis} KPIs × {args.weeks} check-ins, leader lead1, release build, {args.database}")
        print(f"  created {args.kpis} KPIs in {created:.1f} s; imported {imported} check-ins through CSV in {seeded:.1f} s")
        print(f"  GET {path} ({page_kib:.0f} KiB HTML, 50 cards with sparklines)")
        print(f"    wrk -t1 -c16 -d{args.seconds}s: {rps:.0f} requests/s, p50 {p50}, p99 {p99}, non-2xx {non2xx}")
        print(f"    one at a time (wrk -c1): {single_rps:.0f} requests/s, p50 {single_p50}, p99 {single_p99}")
        print(f"  server memory: {rss / 1024:.1f} MiB resident, {peak / 1024:.1f} MiB peak; by phase: "
              + ", ".join(f"{n} {k[0] / 1024:.0f}" for n, k in phases))
        ok = rps >= 300 and ms(p50) < 50 and non2xx == 0
        print("  targets (≥300 requests/s, p50 < 50 ms):", "met" if ok else "NOT met")
        return 0 if ok else 1
    finally:
        try:
            c.conn.close()
        except Exception:
            pass
        stop_bench(proc, db)


if __name__ == "__main__":
    sys.exit(main())
