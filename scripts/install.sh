#!/usr/bin/env bash
# The one install step behind both README commands. Installs what is missing,
# and only that:
#   - the Rust toolchain pinned in rust-toolchain.toml (with the wasm target)
#   - cargo-leptos 0.3.11
#   - wasm-bindgen-cli at exactly the version Cargo.toml pins
#   - wasm-opt from the npm package binaryen (Debian's binaryen 108 makes a
#     release wasm that Chromium refuses), under tools/binaryen
#   - with --test: Debian's chromium, Debian's postgresql (the suite runs on
#     both databases; scripts/postgres.sh starts a throwaway server) and the
#     end2end npm packages
# Afterwards, source scripts/env.sh to put the tools on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_TESTS=0
[[ "${1:-}" == "--test" ]] && WITH_TESTS=1

CARGO_LEPTOS_VERSION=0.3.11
BINARYEN_VERSION=132.0.0
WASM_BINDGEN_VERSION=$(sed -nE 's/^wasm-bindgen = "=([0-9.]+)".*/\1/p' Cargo.toml)
export PATH="$HOME/.cargo/bin:$PWD/tools/binaryen/node_modules/.bin:$PATH"

say() { echo "install: $*"; }

# The build tools are installed with a quick profile: their own release
# profiles ask for fat LTO and one codegen unit, which costs minutes on two
# cores and buys nothing for tools that run for seconds.
quick_install() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0 \
    CARGO_PROFILE_RELEASE_INCREMENTAL=false \
    cargo install "$@"
}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# rustup does not fetch a pinned toolchain on its own.
rustup toolchain install
say "rust $(rustc --version)"

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "building cargo-leptos $CARGO_LEPTOS_VERSION (several minutes on 2 cores)"
  quick_install --locked cargo-leptos --version "$CARGO_LEPTOS_VERSION"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: the registry here lacks one of its locked transitive versions.
  quick_install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  say "installing binaryen $BINARYEN_VERSION from npm"
  mkdir -p tools/binaryen
  npm install --prefix tools/binaryen --no-save --no-audit --no-fund "binaryen@$BINARYEN_VERSION"
fi

if [[ $WITH_TESTS -eq 1 ]]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing Debian's ${missing[*]}"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  fi
  if [[ ! -d end2end/node_modules/@playwright/test ]] || [[ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]]; then
    say "installing the end-to-end test packages"
    (cd end2end && npm ci --no-audit --no-fund)
  fi
fi
say "ready"
