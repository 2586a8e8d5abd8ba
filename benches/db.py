"""The benchmarks' database: a fresh SQLite file or a fresh PostgreSQL database.

Every benchmark takes `--database {sqlite,postgres}` (default sqlite), and for
PostgreSQL the server's URL from `--pg-url` or env KEEL_TEST_PG (e.g.
postgres://postgres@127.0.0.1:55432, as `bash scripts/postgres.sh start`
prints it). A PostgreSQL run creates a database with a random name on that
server and drops it at the end; `--keep` keeps either kind and prints where.

`BenchDb` also lets a benchmark read and write the database directly, with
one code path for both kinds: SQL with `?` placeholders, which for
PostgreSQL are replaced by quoted literals and sent through `psql` (no
driver needed). Rows come back as tuples typed as sqlite3 returns them
(int, float, str, None) on both.
"""
import glob
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse
import uuid


def add_arguments(ap):
    ap.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite",
                    help="the store the server runs on (default: a fresh SQLite file)")
    ap.add_argument("--pg-url", default=os.environ.get("KEEL_TEST_PG") or None,
                    help="PostgreSQL server for --database postgres (default: env KEEL_TEST_PG), "
                         "e.g. postgres://postgres@127.0.0.1:55432; a fresh database is made on it")
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards and print where")


def psql_binary():
    found = shutil.which("psql") or sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))[-1:]
    if not found:
        sys.exit("psql is needed for --database postgres (apt-get install postgresql-client)")
    return found if isinstance(found, str) else found[0]


def with_database(url, name):
    """The server URL `url` with its database (path) replaced by `name`."""
    p = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((p.scheme, p.netloc, "/" + name, p.query, ""))


def literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def inline(sql, params):
    """`sql` with each `?` outside quotes replaced by the next parameter as a literal."""
    out, it, quote = [], iter(params), None
    for ch in sql:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            ch = literal(next(it))
        out.append(ch)
    return "".join(out)


class BenchDb:
    """A fresh database for one benchmark run; `url` is the server's KEEL_DATABASE_URL,
    `dir` a temporary folder for the run's other files (logs)."""

    def __init__(self, args, prefix="keel-bench-"):
        self.kind, self.keep = args.database, args.keep
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self._sqlite = None
        if self.kind == "sqlite":
            self.url = f"sqlite://{self.dir}/keel.db"
            self.where = f"{self.dir}/keel.db"
        else:
            if not args.pg_url:
                sys.exit("--database postgres needs --pg-url or env KEEL_TEST_PG "
                         "(`bash scripts/postgres.sh start` starts one and prints its URL)")
            self.psql = psql_binary()
            self.name = "keel_bench_" + uuid.uuid4().hex[:12]
            self.admin_url = with_database(args.pg_url, "postgres")
            self._psql(self.admin_url, ["-c", f"CREATE DATABASE {self.name}"])
            self.url = with_database(args.pg_url, self.name)
            self.where = self.url

    def describe(self):
        return "its own SQLite file" if self.kind == "sqlite" else f"a fresh PostgreSQL database ({self.name})"

    # Direct access -------------------------------------------------------

    def _psql(self, url, extra, stdin=None):
        env = dict(os.environ, PGCLIENTENCODING="UTF8", PGAPPNAME="keel-bench")
        r = subprocess.run([self.psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, *extra],
                           input=stdin, capture_output=True, text=True, env=env)
        if r.returncode != 0:
            sys.exit(f"psql failed ({r.returncode}): {r.stderr.strip()[:2000]}")
        return r.stdout

    def _conn(self):
        if self._sqlite is None:
            self._sqlite = sqlite3.connect(self.where, timeout=30)
        return self._sqlite

    def query(self, sql, params=()):
        """All rows of one SELECT, as tuples."""
        if self.kind == "sqlite":
            return self._conn().execute(sql, params).fetchall()
        out = self._psql(self.url, ["-c", f"SELECT COALESCE(json_agg(t), '[]') FROM ({inline(sql, params)}) t"])
        # Each row an object in column order; names may repeat (`?column?`), so pairs, not a dict.
        return json.loads(out, object_pairs_hook=lambda pairs: tuple(v for _, v in pairs))

    def scalar(self, sql, params=()):
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def executemany(self, sql, rows):
        """One statement for each row of parameters, all in one transaction."""
        self.run([(sql, r) for r in rows])

    def run(self, statements):
        """(sql, params) statements in one transaction."""
        if self.kind == "sqlite":
            db = self._conn()
            with db:
                for sql, params in statements:
                    db.execute(sql, params)
            return
        # `\;` makes psql send 500 statements at a time in one round trip.
        sqls = [inline(sql, params) for sql, params in statements]
        script = ["BEGIN;"]
        script += [" \\;\n".join(sqls[i:i + 500]) + ";" for i in range(0, len(sqls), 500)]
        script.append("COMMIT;")
        self._psql(self.url, ["-f", "-"], "\n".join(script) + "\n")

    # End -----------------------------------------------------------------

    def close(self):
        """Closes direct access, then keeps (and prints where) or removes the database."""
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
        if self.keep:
            print(f"  database kept: {self.where}")
            return
        if self.kind == "postgres":
            self._psql(self.admin_url, ["-c", f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)"])
        shutil.rmtree(self.dir, ignore_errors=True)
