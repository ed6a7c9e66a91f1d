#!/usr/bin/env bash
# The test suite: installs what it needs (scripts/test-setup.sh, idempotent), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-setup.sh
cargo test --workspace "$@"
