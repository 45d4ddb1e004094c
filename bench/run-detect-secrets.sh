#!/usr/bin/env bash
# Runs bench/detect_secrets_compare.py: detect-secrets 1.5.0 (PyPI) and walletdesk side by side on
# crates/wallet/data/corpus. Creates bench/.venv (git-ignored) on first use and builds the release
# binary of walletdesk.
# Usage: bench/run-detect-secrets.sh [--json OUT.json]
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${DETECT_SECRETS_VENV:-bench/.venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import detect_secrets, sys; sys.exit(detect_secrets.__version__ != "1.5.0")' 2>/dev/null; then
  "$venv/bin/pip" install --quiet 'detect-secrets==1.5.0'
fi

cargo build --release --locked -p walletdesk
target="${CARGO_TARGET_DIR:-target}"
exec "$venv/bin/python" bench/detect_secrets_compare.py --walletdesk "$target/release/walletdesk" "$@"
