#!/usr/bin/env bash
# Installs what the test suite needs, by name, idempotently (a second run changes nothing and
# downloads nothing): rustup targets, qemu-user (arm64 binaries run under qemu-aarch64), and a
# Python virtualenv at <workspace>/.test-venv with the packages below.
# Runs on a fresh Debian machine as root, or with sudo when not root.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# ---------------------------------------------------------------------------------------------
# Python packages of the test virtualenv, one per line (tests find its python at
# $LAMBDA_TEST_PYTHON, else <workspace>/.test-venv/bin/python).
PYTHON_PACKAGES=(
  "ziglang==0.15.2" # zig cc: links glibc binaries pinned to al2/al2023's glibc, and arm64 cross builds
  awslambdaric      # AWS's Python runtime interface client: a runtime we did not write (emulator tests)
  boto3             # a real AWS SDK as the invoke endpoint's caller (emulator tests)
)
# Rust targets: static musl for both architectures; glibc arm64 (cross, linked by zig).
RUST_TARGETS=(
  x86_64-unknown-linux-musl
  aarch64-unknown-linux-musl
  aarch64-unknown-linux-gnu
)
# ---------------------------------------------------------------------------------------------

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=false
apt_install() {
  if [ "$apt_updated" = false ]; then
    sudo_if_needed apt-get update -q
    apt_updated=true
  fi
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

# Rust targets.
installed_targets="$(rustup target list --installed)"
missing_targets=()
for target in "${RUST_TARGETS[@]}"; do
  grep -qx "$target" <<<"$installed_targets" || missing_targets+=("$target")
done
if [ "${#missing_targets[@]}" -gt 0 ]; then
  echo "test-setup: rustup target add ${missing_targets[*]}"
  rustup target add "${missing_targets[@]}"
fi

# qemu-user, for the arm64 end-to-end test.
if ! command -v qemu-aarch64 >/dev/null 2>&1; then
  echo "test-setup: installing qemu-user (qemu-aarch64)"
  apt_install qemu-user
fi

# The Python virtualenv.
venv="$root/.test-venv"
if [ ! -x "$venv/bin/python" ]; then
  if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    echo "test-setup: installing python3-venv"
    apt_install python3 python3-venv
  fi
  echo "test-setup: creating $venv"
  python3 -m venv "$venv"
fi
# Install only when the list changed since the last successful install.
wanted="$(printf '%s\n' "${PYTHON_PACKAGES[@]}")"
stamp="$venv/.installed-packages"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "test-setup: pip install ${PYTHON_PACKAGES[*]}"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "${PYTHON_PACKAGES[@]}"
  printf '%s\n' "$wanted" >"$stamp"
fi
echo "test-setup: ready (rust targets, qemu-aarch64, $venv)"
