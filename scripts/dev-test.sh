#!/usr/bin/env bash
# Development loop: the Rust tests in the dev profile (incremental), with the
# environment cargo-leptos gives its builds. Arguments go to `cargo test`,
# e.g. `bash scripts/dev-test.sh --test api -- surveys::`.
# `bash scripts/dev-test.sh --check` only type-checks the server and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export LEPTOS_OUTPUT_NAME=keel LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=. LEPTOS_BIN_DIR=. \
  LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true LEPTOS_HASH_FILE_NAME=hash.txt
if [[ "${1:-}" == "--check" ]]; then
  shift
  exec cargo check -p keel-tests --tests "$@"
fi
if [[ "${1:-}" == "--wasm" ]]; then
  shift
  exec cargo check --lib --no-default-features --features hydrate --target wasm32-unknown-unknown "$@"
fi
exec cargo test -p keel-tests "$@"
