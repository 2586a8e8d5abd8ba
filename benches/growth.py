#!/usr/bin/env python3
"""Training dashboard benchmark (issue 5): a leader's dashboard over a
500-person organisation, release build.

Against a freshly started release server with the demo organisation (20
people), on its own SQLite file (or, with --database postgres, a fresh
PostgreSQL database: see benches/db.py), the admin creates six teams under lead1's Product
team and 480 more people in them (500 in all), gives every one of them a
level, leader ratings for all six competencies and a plan of six items
(some done, some overdue, with costs) plus budgets, all through the server
functions. Then GET /growth/dashboard signed in as lead1 (completion per team
and person, overdue items, budget used, the competency heatmap of 50 people)
is measured under `wrk -t1 -c16 -d15s` (requests/s, p50, p99), one request at
a time, and the server's memory is read.

Usage: python3 benches/growth.py [--people 480] [--bin target/release/keel]
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

PERIOD = "6e0b0000-0000-4000-8000-000000000001"
PRODUCT = "8c0f5a52-0d43-4c55-8f0e-2c1f2b7d0a01"
KINDS = ["course", "conference", "reading", "internal_sharing", "mentoring", "stretch_assignment"]


def comp(i):
    return f"6e0a0000-0000-4000-8000-0000000001{i:02d}"


def level(i):
    return f"6e0a0000-0000-4000-8000-0000000002{i:02d}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=480)
    ap.add_argument("--items", type=int, default=6)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "keel"))
    ap.add_argument("--seconds", type=int, default=15)
    add_arguments(ap)
    args = ap.parse_args()
    db, proc, port = start_bench(args)
    admin = Client(port)
    lead = Client(port)
    try:
        phases = [("started", rss_kib(proc.pid))]
        admin.form("login", email="admin@example.com", password="keel-demo")
        rng = random.Random(5)
        t0 = time.time()
        teams = []
        for t in range(6):
            tid = str(uuid.uuid4())
            admin.form("create_team", id=tid, name=f"小组 {t} Squad {t}", parent_id=PRODUCT, leader_id="")
            teams.append(tid)
        people = []
        for i in range(args.people):
            pid = str(uuid.uuid4())
            admin.form("create_person", id=pid, email=f"p{i}@bench.example.com",
                       display_name=f"员工 {i:03d} Person {i:03d}", role="pm" if i % 3 else "member",
                       team_id=teams[i % len(teams)], password="bench-password", language="en")
            people.append(pid)
        created = time.time() - t0
        phases.append(("people", rss_kib(proc.pid)))

        t0 = time.time()
        today = datetime.date.fromisoformat(admin.form("person_growth", person_id="", period_id="")["today"])
        for n, pid in enumerate(people):
            admin.form("set_level", person_id=pid, level_id=level(1 + n % 5), version="0")
            admin.json("save_ratings", {"person_id": pid, "period_id": PERIOD, "version": 0, "as_leader": True,
                                        "ratings": [{"competency_id": comp(c), "rating": str(rng.randint(1, 5))}
                                                    for c in range(1, 7)]})
            for k in range(args.items):
                due = today + datetime.timedelta(days=rng.randint(-40, 60))
                item_id = str(uuid.uuid4())
                admin.json("add_plan_item", {"id": item_id, "person_id": pid, "period_id": PERIOD, "form": {
                    "kind": KINDS[k % 6], "title": f"学习 {k} Item {k}", "competency_id": comp(1 + (n + k) % 6),
                    "due_date": due.isoformat(), "cost": str(rng.choice([0, 0, 90, 800, 1500])),
                    "evidence": "", "catalog_id": ""}})
                if rng.random() < 0.35:
                    admin.form("update_plan_item", id=item_id, version="1", status="done", evidence="https://example.com/e",
                               due_date=due.isoformat(), cost="0")
            if n % 4 == 0:
                admin.form("set_budget", period_id=PERIOD, scope="person", subject_id=pid, amount="2000", version="0")
        for tid in teams:
            admin.form("set_budget", period_id=PERIOD, scope="team", subject_id=tid, amount="60000", version="0")
        seeded = time.time() - t0
        phases.append(("plans", rss_kib(proc.pid)))

        lead.form("login", email="lead1@example.com", password="keel-demo")
        path = "/growth/dashboard"
        status, body = lead.request("GET", path)
        rows = body.count(b'data-testid="person-row"')
        cells = body.count(b'data-testid="heat-cell"')
        assert status == 200 and rows == 50 and cells == 300, (status, rows, cells, body[-1500:])
        page_kib = len(body) / 1024
        wrk(port, lead.cookie, path, 4, 3)
        single_rps, single_p50, single_p99, _, _ = wrk(port, lead.cookie, path, 1, 5)
        rps, p50, p99, non2xx, _ = wrk(port, lead.cookie, path, 16, args.seconds)
        rss, peak = rss_kib(proc.pid)

        def ms(s):
            return float(s[:-2]) if s.endswith("ms") else float(s[:-2]) / 1000 if s.endswith("us") else float(s[:-1]) * 1000

        total = args.people + 20
        print(f"Keel training dashboard benchmark — {total} people, {args.people * args.items} plan items, leader lead1, release build, {args.database}")
        print(f"  created {args.people} people in {created:.1f} s; levels, ratings, plans and budgets in {seeded:.1f} s")
        print(f"  GET {path} ({page_kib:.0f} KiB HTML, {rows} people, {cells} heatmap cells)")
        print(f"    wrk -t1 -c16 -d{args.seconds}s: {rps:.0f} requests/s, p50 {p50}, p99 {p99}, non-2xx {non2xx}")
        print(f"    one at a time (wrk -c1): {single_rps:.0f} requests/s, p50 {single_p50}, p99 {single_p99}")
        print(f"  server memory: {rss / 1024:.1f} MiB resident, {peak / 1024:.1f} MiB peak; by phase: "
              + ", ".join(f"{n} {k[0] / 1024:.0f}" for n, k in phases))
        ok = rps >= 300 and ms(p50) < 50 and non2xx == 0
        print("  targets (≥300 requests/s, p50 < 50 ms):", "met" if ok else "NOT met")
        return 0 if ok else 1
    finally:
        for c in (admin, lead):
            try:
                c.conn.close()
            except Exception:
                pass
        stop_bench(proc, db)


if __name__ == "__main__":
    sys.exit(main())
