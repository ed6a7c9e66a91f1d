#!/usr/bin/env bash
# Creates and fills the Python virtualenv the tests use (<workspace>/.test-venv), idempotently.
# Tests find its python at $LAMBDA_TEST_PYTHON, or else .test-venv/bin/python.
set -euo pipefail
cd "$(dirname "$0")/.."

# One package a line.
PACKAGES=(
  awslambdaric  # AWS's Python runtime interface client: a runtime we did not write (emulator tests)
  boto3         # a real AWS SDK as the invoke endpoint's caller (emulator tests)
)

if [ ! -x .test-venv/bin/python ]; then
  python3 -m venv .test-venv
fi
# awslambdaric ships manylinux wheels for CPython 3.9+ on x86_64 and aarch64; elsewhere pip
# builds its C extension, which needs: apt-get install -y cmake autoconf automake libtool g++ make
# Already-installed packages are not fetched again.
.test-venv/bin/pip install --quiet --disable-pip-version-check "${PACKAGES[@]}"
