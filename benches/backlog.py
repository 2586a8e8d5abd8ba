#!/usr/bin/env python3
"""Backlog benchmark (issue 3): 20,000 requirements in one backlog, release build.

Measures, against a freshly started release server on its own SQLite file
(or, with --database postgres, a fresh PostgreSQL database: see benches/db.py):
  - the ranked page (GET /backlog?b=…, signed in) under `wrk -t1 -c16 -d15s`:
    requests/s, p50 and p99;
  - server work at the median: the same page one request at a time (`wrk -c1`);
  - moving a requirement (median and worst of 200 moves over one kept-alive
    connection), and that each move writes one row;
  - CSV export of all 20,000;
  - the server's resident memory (peak) after all of it.

Usage: python3 benches/backlog.py [--rows 20000] [--bin target/release/keel]
         [--database sqlite|postgres] [--pg-url postgres://…] [--keep]
Needs: the release build (`cargo leptos build --release`) and `wrk` on PATH.
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from db import BenchDb, add_arguments  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start_server(binary, database_url):
    env = dict(os.environ)
    env.update(
        LEPTOS_SITE_ADDR="127.0.0.1:0",
        LEPTOS_SITE_ROOT=os.path.join(ROOT, "target", "site"),
        KEEL_DATABASE_URL=database_url,
        # Required on PostgreSQL (seals survey answers), unused on SQLite.
        KEEL_SURVEY_KEY="6b65656c2d62656e63682d7375727665792d6b65792d30313233343536373839",
        KEEL_DEMO="1",
        RUST_LOG="warn,keel=info",
        NO_COLOR="1",
    )
    proc = subprocess.Popen(
        [binary], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    deadline = time.time() + 60
    log = ""
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        log += line
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if m:
            # Keep reading its output: a full pipe would stall the server.
            threading.Thread(target=lambda: proc.stdout.read(), daemon=True).start()
            return proc, int(m.group(1))
    proc.kill()
    sys.exit(f"server did not start:\n{log}")


def start_bench(args):
    """What every server benchmark starts with: wrk on PATH, a fresh database
    (`db.BenchDb`: a SQLite file or a PostgreSQL database) and the release
    server on it. Returns (db, proc, port); `stop_bench` undoes it."""
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    db = BenchDb(args)
    try:
        proc, port = start_server(args.bin, db.url)
    except BaseException:
        db.close()
        raise
    return db, proc, port


def stop_server(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def stop_bench(proc, db):
    stop_server(proc)
    db.close()


class Client:
    """One kept-alive connection with the session cookie."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookie = ""

    def request(self, method, path, body=None, content_type=None):
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "Origin": f"http://127.0.0.1:{self.port}",
            "Accept": "application/json",
        }
        if self.cookie:
            headers["Cookie"] = self.cookie
        if content_type:
            headers["Content-Type"] = content_type
        self.conn.request(method, path, body=body, headers=headers)
        res = self.conn.getresponse()
        data = res.read()
        for k, v in res.getheaders():
            if k.lower() == "set-cookie" and v.startswith("keel_session="):
                self.cookie = v.split(";")[0]
        return res.status, data

    def form(self, endpoint, **fields):
        status, data = self.request(
            "POST",
            f"/api/{endpoint}",
            urllib.parse.urlencode(fields),
            "application/x-www-form-urlencoded",
        )
        if status != 200:
            sys.exit(f"{endpoint}: {status} {data[:300]!r}")
        return json.loads(data) if data else None

    def json(self, endpoint, body):
        status, data = self.request("POST", f"/api/{endpoint}", json.dumps(body), "application/json")
        if status != 200:
            sys.exit(f"{endpoint}: {status} {data[:300]!r}")
        return json.loads(data)


def wrk(port, cookie, path, connections, seconds):
    out = subprocess.run(
        [
            "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
            "-H", f"Cookie: {cookie}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {p: m for p, m in re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)", out, re.M)}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, lat.get("50"), lat.get("99"), int(non2xx.group(1)) if non2xx else 0, out


def rss_kib(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            fields[k] = v.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", "--requirements", type=int, default=20000)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "keel"))
    ap.add_argument("--seconds", type=int, default=15)
    add_arguments(ap)
    args = ap.parse_args()
    db, proc, port = start_bench(args)
    try:
        c = Client(port)
        phases = [("started", rss_kib(proc.pid))]
        c.form("login", email="pm3@example.com", password="keel-demo")
        phases.append(("signed in", rss_kib(proc.pid)))
        choices = c.form("backlog_choices")
        team = next(t[0] for t in choices["teams"] if "Growth" in t[1] or "增长" in t[1])
        backlog = str(uuid.uuid4())
        c.form(
            "create_backlog", id=backlog, team_id=team, owner_id=choices["suggested_owner"],
            name="Bench 20k", framework="rice",
        )
        # Seed through the CSV import, 5,000 rows a file.
        t0 = time.time()
        sources = ["customer", "sales", "support", "market_research", "user_research", "internal_idea", "leadership"]
        for start in range(0, args.rows, 5000):
            lines = ["title,source,description,labels"]
            for i in range(start, min(start + 5000, args.rows)):
                lines.append(f"需求 {i:05} requirement,{sources[i % 7]},用户登录失败 case {i},label{i % 13}")
            data = ("\n".join(lines) + "\n").encode()
            r = c.json("import_requirements", {
                "backlog_id": backlog, "batch_id": str(uuid.uuid4()), "file": list(data),
                "commit": True, "only_valid": False,
            })
            assert r["imported"] == min(5000, args.rows - start), r
        seeded = time.time() - t0
        phases.append(("imported", rss_kib(proc.pid)))
        # Score 300 of them, so the page mixes scored and unscored rows.
        page = c.form("requirements", backlog_id=backlog, search="", status="", source="", label="",
                      owner="", sort="rank", offset=0)
        ids = [r["id"] for r in page["rows"]]
        for off in range(50, 300, 50):
            p = c.form("requirements", backlog_id=backlog, search="", status="", source="", label="",
                       owner="", sort="rank", offset=off)
            ids += [r["id"] for r in p["rows"]]
        ids = list(dict.fromkeys(ids))
        for i, rid in enumerate(ids):
            c.form("score_requirement", id=rid, version=1, input=json.dumps(
                {"framework": "rice", "reach": 100 + (i * 37) % 900, "impact": 1.0, "confidence": 80.0, "effort": 2.0}))

        # Moves: 200 random moves, each timed alone over the kept-alive connection.
        move_ms = []
        all_ids = [r[0] for r in db.query("SELECT id FROM requirements WHERE backlog_id = ?", (backlog,))]
        rng = random.Random(7)
        for _ in range(200):
            rid, after = rng.sample(all_ids, 2)
            t = time.perf_counter()
            c.form("move_requirement", id=rid, after_id=after if rng.random() > 0.1 else "")
            move_ms.append((time.perf_counter() - t) * 1000)
        # One row per move: compare every key before and after one more move.
        snapshot = dict(db.query("SELECT id, rank_key FROM requirements WHERE backlog_id = ?", (backlog,)))
        rid, after = rng.sample(all_ids, 2)
        c.form("move_requirement", id=rid, after_id=after)
        changed = [k for k, v in db.query("SELECT id, rank_key FROM requirements WHERE backlog_id = ?", (backlog,)) if snapshot[k] != v]
        phases.append(("moved", rss_kib(proc.pid)))

        # Export.
        t = time.perf_counter()
        status, data = c.request("GET", f"/backlog/{backlog}/export.csv")
        export_s = time.perf_counter() - t
        export_rows = data.decode("utf-8-sig").count("\n") - 1
        phases.append(("exported", rss_kib(proc.pid)))

        path = f"/backlog?b={backlog}"
        status, body = c.request("GET", path)
        open("/tmp/bench-page.html", "wb").write(body)
        rows_in_page = body.count(b'data-testid="requirement-row"')
        assert status == 200 and rows_in_page == 50, (status, rows_in_page, body[-2000:])
        page_kib = len(body) / 1024
        # Warm up, then the measured runs.
        wrk(port, c.cookie, path, 4, 3)
        single_rps, single_p50, single_p99, _, _ = wrk(port, c.cookie, path, 1, 5)
        rps, p50, p99, non2xx, raw = wrk(port, c.cookie, path, 16, args.seconds)
        rss, peak = rss_kib(proc.pid)

        print(f"Keel backlog benchmark — {args.rows} requirements in one backlog, release build, {args.database}")
        print(f"  seeded through CSV import in {seeded:.1f} s")
        print(f"  ranked page GET {path[:20]}… ({page_kib:.0f} KiB HTML, 50 rows)")
        print(f"    wrk -t1 -c16 -d{args.seconds}s: {rps:.0f} requests/s, p50 {p50}, p99 {p99}, non-2xx {non2xx}")
        print(f"    one at a time (wrk -c1): {single_rps:.0f} requests/s, p50 {single_p50} (server work at the median), p99 {single_p99}")
        print(f"  move: median {statistics.median(move_ms):.2f} ms, p99 {sorted(move_ms)[int(len(move_ms) * 0.99) - 1]:.2f} ms, "
              f"max {max(move_ms):.2f} ms over 200 moves (round trip); rows whose key changed in one move: {len(changed)}")
        print(f"  CSV export of {export_rows} rows: {export_s * 1000:.0f} ms ({len(data) / 1024:.0f} KiB)")
        print(f"  server memory: {rss / 1024:.1f} MiB resident now, {peak / 1024:.1f} MiB peak; by phase: "
              + ", ".join(f"{name} {kib[0] / 1024:.0f} (peak {kib[1] / 1024:.0f})" for name, kib in phases))
        ok = rps >= 500 and len(changed) == 1 and export_s < 1 and peak / 1024 <= 100 and statistics.median(move_ms) < 5
        print("  targets (≥500 rps, one row per move, move < 5 ms, export < 1 s, ≤100 MB):", "met" if ok else "NOT met")
        return 0 if ok else 1
    finally:
        stop_bench(proc, db)


if __name__ == "__main__":
    sys.exit(main())
