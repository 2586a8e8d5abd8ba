#!/usr/bin/env bash
# README command 2: install what is missing, then run every test:
#   1. the release build (the one README command 1 serves),
#   2. Rust unit tests (tests/unit) and server-function integration tests
#      (tests/api), compiled with the same profile, features and environment
#      as that build so that no dependency, nor the library, is compiled
#      twice; the server-function and HTTP suite runs
#      twice, on SQLite and on a throwaway PostgreSQL server
#      (scripts/postgres.sh, stopped at the end),
#   3. Playwright end-to-end tests on Debian's Chromium against the release
#      server, each test on its own temporary database (a SQLite file; the
#      smoke test in postgres.spec.ts on a database of that PostgreSQL server).
set -euo pipefail
cd "$(dirname "$0")/.."
# Each phase's duration is printed, so a CI log shows where the time goes.
phase_start=$SECONDS
phase() {
  echo "== $1 took $((SECONDS - phase_start)) s (total $SECONDS s)"
  phase_start=$SECONDS
}

bash scripts/install.sh --test
source scripts/env.sh
phase "install"

# The environment cargo-leptos gives its server build; leptos reads some of
# it at compile time, so every cargo command below must see the same values
# to reuse one build. (`cargo leptos build --release -vv` prints it.)
export LEPTOS_OUTPUT_NAME=keel LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=. LEPTOS_BIN_DIR=. \
  LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true LEPTOS_HASH_FILE_NAME=hash.txt
CARGO_SSR=(--release --no-default-features --features ssr)
# The tests package (tests/Cargo.toml) asks for the library with just `ssr`:
# the same library build as the server's.
CARGO_TESTS=(--release -p keel-tests)

echo "== release build (and the test binaries, alongside)"
# cargo-leptos builds the wasm first (in target/front), then the server. The
# wasm's fat-LTO link and wasm-opt keep one core busy for minutes, so the
# server and the Rust test binaries compile meanwhile, in target/release with
# the same profile, features and environment: when cargo-leptos reaches its
# server step it waits for that build and finds it done. Nothing compiles twice.
mkdir -p target
( cargo build "${CARGO_SSR[@]}" --bin keel && cargo test "${CARGO_TESTS[@]}" --no-run ) \
  > target/server-build.log 2>&1 &
server_build=$!
if ! cargo leptos build --release --precompress; then
  kill "$server_build" 2>/dev/null || true
  exit 1
fi
if ! wait "$server_build"; then
  cat target/server-build.log
  exit 1
fi
tail -n 3 target/server-build.log
phase "release build and test binaries"

echo "== PostgreSQL for the tests"
KEEL_TEST_PG=$(bash scripts/postgres.sh start)
export KEEL_TEST_PG
trap 'bash scripts/postgres.sh stop' EXIT
phase "PostgreSQL start"

echo "== Rust tests on SQLite, with the server-function and HTTP suite on PostgreSQL alongside"
# The two passes share no files or databases, and each waits on its database
# as much as on the processor: run side by side they take little more than
# the longer one. The PostgreSQL pass writes its own log, shown after.
# `servers` (two release processes on one database) runs in that pass only.
api_bin=$(cargo test "${CARGO_TESTS[@]}" --no-run --test api 2>&1 |
  sed -n 's/.*Executable .*api\/main.rs (\(.*\))$/\1/p')
[[ -x "$api_bin" ]] || { echo "the API test binary was not found"; exit 1; }
# A pass that has not ended after 20 minutes has hung (each passes in a few):
# it is stopped, so the log says where instead of CI's limit ending the run.
KEEL_TEST_BACKEND=postgres timeout 1200 "$api_bin" > target/api-postgres.log 2>&1 &
pg_pass=$!
sqlite_status=0
timeout 1200 cargo test "${CARGO_TESTS[@]}" || sqlite_status=$?
pg_status=0
wait "$pg_pass" || pg_status=$?
echo "== server-function and HTTP tests on PostgreSQL (ran alongside)"
cat target/api-postgres.log
if [[ $sqlite_status -ne 0 || $pg_status -ne 0 ]]; then
  echo "Rust tests failed: on SQLite exit $sqlite_status, on PostgreSQL exit $pg_status"
  exit 1
fi
phase "Rust tests on SQLite and PostgreSQL"

echo "== end-to-end tests"
(cd end2end && npx playwright test)
phase "end-to-end tests"
