#!/usr/bin/env python3
"""Survey results benchmark (issue 6): 100 closed rounds × 500 responses.

Against a freshly started release server with the demo organisation, on its
own SQLite file (or, with --database postgres, a fresh PostgreSQL database:
see benches/db.py), 500 more people are put into a tree of teams under the
Product team (Product ⊃ four squads ⊃ two sub-squads each), written straight
into the database (the accounts are not what is measured). The admin then
makes 100 rounds over Product with all six templates (22 questions) through
the server function; 500 responses per round are written straight into the
database the way `submit_answers` stores them (the invitee's participation
row marked answered, one added to each counter an answer names, free text
into the pending table; one transaction per round) and every round is
closed through `close_round` (which moves the free text into the comments).
Measured, signed in as the admin:

- the results page of a closed round, GET /surveys/{id}/results (every
  group's suppression, the heatmap over the 13 teams, per-question results,
  the trend over the last 12 rounds, action plans): once per round on first
  read (p50, p99 over 30 rounds), then under `wrk -t1 -c8` and one at a time;
- the results server function alone (POST /api/load_survey_results) for the
  organisation group and for a team;
- the server's memory.

Usage: python3 benches/surveys.py [--rounds 100] [--responses 500] [--bin target/release/keel]
         [--database sqlite|postgres] [--pg-url postgres://…] [--keep]
Needs: the release build (`cargo leptos build --release`) and `wrk` on PATH.
"""
import argparse
import collections
import datetime
import json
import os
import random
import statistics
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from backlog import ROOT, Client, rss_kib, start_bench, stop_bench, wrk  # noqa: E402
from db import add_arguments  # noqa: E402

PRODUCT = "8c0f5a52-0d43-4c55-8f0e-2c1f2b7d0a01"
THEMES = ["engagement", "culture", "safety", "balance", "environment", "wellbeing"]
COUNT_BASE = 1 << 40  # survey_counts.n holds this + the count (src/surveys/store.rs)
COMMENTS = ["More focus time", "Fewer meetings", "Clearer goals", "更好的工具", "多一些认可", "Great team", "加班太多"]


def local(minutes):
    t = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))) + datetime.timedelta(minutes=minutes)
    return t.strftime("%Y-%m-%dT%H:%M")


def ms(s):
    return float(s[:-2]) if s.endswith("ms") else float(s[:-2]) / 1000 if s.endswith("us") else float(s[:-1]) * 1000


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--responses", type=int, default=500)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "keel"))
    ap.add_argument("--seconds", type=int, default=15)
    add_arguments(ap)
    args = ap.parse_args()
    db, proc, port = start_bench(args)
    admin = Client(port)
    try:
        phases = [("started", rss_kib(proc.pid))]
        admin.form("login", email="admin@example.com", password="keel-demo")
        rng = random.Random(6)
        now = "2026-01-01T00:00:00Z"
        pw = db.scalar("SELECT password_hash FROM users WHERE email = 'member1@example.com'")

        # Teams: Product ⊃ 4 squads ⊃ 2 sub-squads each (13 teams with Growth).
        t0 = time.time()
        leaves, writes = [], []
        team_sql = "INSERT INTO teams (id, name, parent_id, leader_id, version, created_at, updated_at) VALUES (?, ?, ?, NULL, 1, ?, ?)"
        for s in range(4):
            sid = str(uuid.uuid4())
            writes.append((team_sql, (sid, f"小队 {s} Squad {s}", PRODUCT, now, now)))
            leaves.append(sid)
            for c in range(2):
                cid = str(uuid.uuid4())
                writes.append((team_sql, (cid, f"小组 {s}.{c} Pod {s}.{c}", sid, now, now)))
                leaves.append(cid)
        # Uneven sizes, some small enough to be hidden.
        weights = [rng.choice([1, 3, 8, 12]) for _ in leaves]
        for i in range(args.responses):
            team = rng.choices(leaves, weights)[0]
            writes.append(("INSERT INTO users (id, email, display_name, password_hash, role, team_id, language, active, version, created_at, updated_at) "
                           "VALUES (?, ?, ?, ?, 'member', ?, 'en', 1, 1, ?, ?)",
                           (str(uuid.uuid4()), f"s{i}@bench.example.com", f"员工 {i:03d}", pw, team, now, now)))
        db.run(writes)
        people = time.time() - t0

        # Rounds through the server function; answers as submit_answers writes them.
        t0 = time.time()
        rounds = []
        for r in range(args.rounds):
            rid = str(uuid.uuid4())
            admin.json("create_round", {
                "id": rid, "title": f"Pulse {r:03d}", "themes": THEMES, "teams": [PRODUCT],
                "opens": local(-60), "closes": local(24 * 60), "pulse": "none", "visibility": "organisation",
                "k": "", "comment_min": "", "support_note": ""})
            rounds.append(rid)
        created = time.time() - t0
        # Totals over every round, the demo's included; the bench adds to them.
        totals = lambda: db.query(  # noqa: E731
            "SELECT (SELECT COUNT(*) FROM survey_participation WHERE answered = 1), "
            "(SELECT COALESCE(SUM(n - ?), 0) FROM survey_counts WHERE question_id = '' AND value = -1), "
            "(SELECT COALESCE(SUM(n - ?), 0) FROM survey_counts WHERE question_id <> '' AND value >= 0)",
            (COUNT_BASE, COUNT_BASE))[0]
        before = totals()
        t0 = time.time()
        n_responses = n_values = n_texts = 0
        for r, rid in enumerate(rounds):
            questions = db.query("SELECT id, kind, options FROM survey_questions WHERE round_id = ? ORDER BY position", (rid,))
            invitees = db.query("SELECT person_id, team_id FROM survey_invitees WHERE round_id = ? ORDER BY person_id", (rid,))
            rng.shuffle(invitees)
            mood = rng.uniform(-0.8, 0.8)
            writes, counts, texts = [], collections.Counter(), []
            for person, team in invitees[: args.responses]:
                writes.append(("UPDATE survey_participation SET answered = 1, submission = ? "
                               "WHERE round_id = ? AND person_id = ? AND answered = 0", (str(uuid.uuid4()), rid, person)))
                counts[(team, "", -1)] += 1  # the team's respondents
                for qid, kind, options in questions:
                    if kind == "likert":
                        values = [max(1, min(5, round(rng.gauss(3.4 + mood, 1.1))))]
                    elif kind == "enps":
                        values = [max(0, min(10, round(rng.gauss(7.2 + 2 * mood, 2.2))))]
                    elif kind == "single":
                        values = [rng.randrange(len(json.loads(options)))]
                    elif kind == "multiple":
                        n = len(json.loads(options))
                        values = rng.sample(range(n), rng.randint(1, min(3, n)))
                    else:
                        values = []
                        if rng.random() < 0.3:
                            texts.append((team, qid, rng.choice(COMMENTS)))
                    if values:
                        counts[(team, qid, -1)] += 1  # answered the question
                        for v in values:
                            counts[(team, qid, v)] += 1
                            n_values += 1
            for (team, qid, value), k in sorted(counts.items()):
                writes.append(("UPDATE survey_counts SET n = n + ? WHERE round_id = ? AND team_id = ? AND question_id = ? AND value = ?",
                               (k, rid, team, qid, value)))
            # Pending free text, in the order of random keys.
            for key, (team, qid, text) in sorted((str(uuid.uuid4()), t) for t in texts):
                writes.append(("INSERT INTO survey_pending_texts (id, round_id, team_id, question_id, text) VALUES (?, ?, ?, ?, ?)",
                               (key, rid, team, qid, text)))
            db.run(writes)
            n_responses += min(len(invitees), args.responses)
            n_texts += len(texts)
        answered = time.time() - t0
        # Every write found its row (as submit_answers checks): the counters add up.
        added = tuple(a - b for a, b in zip(totals(), before))
        assert added == (n_responses, n_responses, n_values), (added, n_responses, n_values)
        for rid in rounds:
            version = admin.form("load_round", id=rid)["round"]["version"]
            admin.form("close_round", round_id=rid, version=str(version))
        phases.append(("seeded", rss_kib(proc.pid)))

        # First read of each of 30 rounds (nothing cached for them yet).
        first = []
        for rid in rounds[-30:]:
            t = time.time()
            status, body = admin.request("GET", f"/surveys/{rid}/results")
            first.append((time.time() - t) * 1000)
            assert status == 200 and b'data-testid="heatmap"' in body, (status, body[-800:])
        phases.append(("first reads", rss_kib(proc.pid)))
        rid = rounds[-1]
        path = f"/surveys/{rid}/results"
        status, body = admin.request("GET", path)
        cells = body.count(b'data-testid="heat-cell"')
        hidden = body.count(b'data-hidden="true"')
        page_kib = len(body) / 1024
        # The server function alone, one at a time.
        fn_times = {}
        for group in ["", leaves[0]]:
            times = []
            for _ in range(40):
                t = time.time()
                admin.form("load_survey_results", round_id=rid, group=group)
                times.append((time.time() - t) * 1000)
            fn_times["organisation" if group == "" else "a squad"] = times
        wrk(port, admin.cookie, path, 4, 3)
        single_rps, single_p50, single_p99, _, _ = wrk(port, admin.cookie, path, 1, 5)
        rps, p50, p99, non2xx, _ = wrk(port, admin.cookie, path, 8, args.seconds)
        rss, peak = rss_kib(proc.pid)

        print(f"Keel survey results benchmark — {args.rounds} closed rounds × {n_responses // args.rounds} responses "
              f"({n_values} answer values counted, {n_texts} comments, 22 questions, 13 teams), release build, {args.database}")
        print(f"  seeded: {args.responses} people in {people:.1f} s, {args.rounds} rounds in {created:.1f} s, answers in {answered:.1f} s")
        print(f"  GET {path} ({page_kib:.0f} KiB HTML, {cells} heatmap cells, {hidden} hidden)")
        print(f"    first read of a round (30 rounds): p50 {pct(first, 50):.1f} ms, p99 {pct(first, 99):.1f} ms")
        print(f"    one at a time (wrk -c1): {single_rps:.0f} requests/s, p50 {single_p50}, p99 {single_p99}")
        print(f"    wrk -t1 -c8 -d{args.seconds}s: {rps:.0f} requests/s, p50 {p50}, p99 {p99}, non-2xx {non2xx}")
        for name, times in fn_times.items():
            print(f"  POST /api/load_survey_results ({name}): p50 {statistics.median(times):.1f} ms, p99 {pct(times, 99):.1f} ms")
        print(f"  server memory: {rss / 1024:.1f} MiB resident, {peak / 1024:.1f} MiB peak; by phase: "
              + ", ".join(f"{n} {k[0] / 1024:.0f}" for n, k in phases))
        ok = pct(first, 50) < 200 and ms(single_p50) < 200 and non2xx == 0
        print("  target (a closed round's results, server work p50 < 200 ms):", "met" if ok else "NOT met")
        return 0 if ok else 1
    finally:
        try:
            admin.conn.close()
        except Exception:
            pass
        stop_bench(proc, db)


if __name__ == "__main__":
    sys.exit(main())
