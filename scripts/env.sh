# Puts Keel's build tools on PATH (sourced by scripts/run.sh and scripts/test.sh).
export PATH="$HOME/.cargo/bin:$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tools/binaryen/node_modules/.bin:$PATH"
