#!/usr/bin/env bash
# Checks that every lambda-events feature builds on its own (and the catch-all-fields variant).
set -euo pipefail
cd "$(dirname "$0")/.."
features=$(sed -n '/^default = \[/,/^\]/p' lambda-events/Cargo.toml | grep -o '"[a-z0-9-]*"' | tr -d '"')
for feature in $features; do
  echo "lambda-events --features $feature"
  cargo check -q -p lambda-events --no-default-features --features "$feature"
done
cargo check -q -p lambda-events --features catch-all-fields
echo "every lambda-events feature builds on its own"
