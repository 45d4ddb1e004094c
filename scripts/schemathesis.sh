#!/usr/bin/env bash
# Schemathesis (property-based API testing) over the desk's own OpenAPI document, every check:
# starts the built binary once on loopback with a throw-away data directory, runs a bounded
# number of examples per operation (and the stateful phase), and fails on any failure.
# Usage: WALLETDESK_BIN=target/debug/walletdesk scripts/schemathesis.sh
# The tool lives in a virtual environment outside the repository, pinned (PyPI `schemathesis`).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

fail() { echo "scripts/schemathesis.sh: $*" >&2; exit 1; }
[ -n "${WALLETDESK_BIN:-}" ] || fail "set WALLETDESK_BIN to the built walletdesk binary"
bin=$(realpath -e "$WALLETDESK_BIN" 2>/dev/null) || fail "$WALLETDESK_BIN does not exist"

version=4.32.5
venv="${WALLETDESK_TEST_SCHEMATHESIS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/walletdesk/venv-schemathesis}"
if [[ "$("$venv/bin/schemathesis" --version 2>/dev/null | awk '{print $NF}')" != "$version" ]]; then
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv" || fail "python3 cannot make a virtual environment (apt-get install -y python3-venv)"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

work=$(mktemp -d)
log="$work/server.log"
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The limits are raised for this run only: schemathesis sends thousands of requests from one
# address, and a 429 would hide what the request itself gets. Their refusal is tested in
# crates/server/tests/it/limits.rs and quotas.rs.
WALLETDESK_SECURE_COOKIES=false \
  WALLETDESK_LIMITS_TICKETS_PER_IP=1000000 WALLETDESK_LIMITS_TICKETS_PER_EMAIL=1000000 \
  WALLETDESK_LIMITS_SEARCHES_PER_CLIENT=1000000 \
  WALLETDESK_LIMITS_VERIFY_PER_IP=1000000 WALLETDESK_LIMITS_COSTLY_READS_PER_CLIENT=1000000 \
  WALLETDESK_LIMITS_API_PER_TOKEN=1000000 WALLETDESK_LIMITS_API_PER_CLIENT=1000000 \
  WALLETDESK_LIMITS_HELP_EVENTS_PER_CLIENT=1000000 \
  "$bin" serve --listen 127.0.0.1:0 --data-dir "$work/data" >"$log" 2>&1 &
pid=$!
url=
for _ in $(seq 1 600); do
  url=$(sed -n 's#.*listening on \(http://[0-9.]*:[0-9]*\).*#\1#p' "$log" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "walletdesk serve exited before listening"; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$log" >&2; fail "walletdesk serve did not start within 60 s"; }
echo "walletdesk is listening on $url"
# An agent and an API token for the agents' endpoints, made as an admin would at the command
# line while the server runs.
"$bin" admin create-agent --data-dir "$work/data" --email schemathesis@example.com --name Schemathesis >/dev/null
token=$("$bin" admin create-api-token --data-dir "$work/data" --email schemathesis@example.com --name schemathesis \
  | sed -n 's#.*shown once: \([A-Za-z0-9_-]*\)$#\1#p')
[ -n "$token" ] || fail "could not make an API token"

# The chat's WebSocket upgrade (`…/ws`) is documented for clients but is not a request and
# response schemathesis can exercise (it needs an `Upgrade`); tests/it/chat.rs drives it over a
# real WebSocket, malformed and huge frames included.
# One worker: hypothesis' strategy descriptions are not thread-safe in this version (a
# "Runtime Error: AST constructor recursion depth mismatch" with more). Bounded in examples
# and in time, so the step takes a few minutes at most.
status=0
(cd "$work" && "$venv/bin/schemathesis" --config-file "$repo/scripts/schemathesis.toml" run "$url/api/openapi.json" --url "$url" \
  -H "Authorization: Bearer $token" --checks all --exclude-path-regex '/ws$' --workers 1 --max-examples "${WALLETDESK_TEST_SCHEMATHESIS_EXAMPLES:-40}" \
  --max-time "${WALLETDESK_TEST_SCHEMATHESIS_SECONDS:-240}" --no-color) || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server output (last 50 lines)" >&2
  tail -n 50 "$log" >&2
fi
exit "$status"
