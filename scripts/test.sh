#!/usr/bin/env bash
# README command 2: install what is missing, then run every test:
#   1. the release build (the one README command 1 serves),
#   2. Rust unit and server-function integration tests, compiled with the
#      same profile, features and environment as that build so that no
#      dependency is compiled twice,
#   3. Playwright end-to-end tests on Debian's Chromium against the release
#      server, each test on its own temporary database.
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

echo "== release build"
cargo leptos build --release
phase "release build"

echo "== Rust tests"
# The environment cargo-leptos gives its server build; leptos reads some of
# it at compile time, so the tests must see the same values to reuse the build.
# (`cargo leptos build --release -vv` prints it.)
export LEPTOS_OUTPUT_NAME=keel LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=. LEPTOS_BIN_DIR=. \
  LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true LEPTOS_HASH_FILE_NAME=hash.txt
cargo test --release --no-default-features --features ssr
phase "Rust tests"

echo "== end-to-end tests"
(cd end2end && npx playwright test)
phase "end-to-end tests"
