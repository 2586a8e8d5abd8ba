#!/usr/bin/env bash
# README command 1: install what is missing, build in release mode and serve
# Keel with the demo organisation on SQLite at http://127.0.0.1:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
source scripts/env.sh
cargo leptos build --release --precompress
export KEEL_DEMO="${KEEL_DEMO:-1}"
export KEEL_DATABASE_URL="${KEEL_DATABASE_URL:-sqlite://data/keel.db}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
echo "Keel: http://$LEPTOS_SITE_ADDR  (demo accounts in README.md, password keel-demo)"
exec target/release/keel
