#!/usr/bin/env bash
# The browser suite: starts a built walletdesk on a free port with a fresh data directory,
# runs tests/*.test.mjs in the system Chromium against it, and stops the server.
# Builds nothing. Usage: WALLETDESK_BIN=target/debug/walletdesk browser/run.sh [tests/one.test.mjs …]
set -euo pipefail

fail() { echo "browser/run.sh: $*" >&2; exit 1; }
[ -n "${WALLETDESK_BIN:-}" ] || fail "set WALLETDESK_BIN to the built walletdesk binary"
# Resolved before changing directory: a relative path is relative to where we were called from.
bin=$(realpath -e "$WALLETDESK_BIN" 2>/dev/null) || fail "$WALLETDESK_BIN does not exist (run from $(pwd))"
[ -x "$bin" ] || fail "$WALLETDESK_BIN is not an executable"
cd "$(dirname "$0")"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (apt-get install -y chromium)"
[ -d node_modules/playwright-core ] || fail "playwright-core is not installed (npm ci --prefix browser)"

work=$(mktemp -d)
log="$work/server.log"
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  if [ -n "${anvil_pid:-}" ] && kill -0 "$anvil_pid" 2>/dev/null; then
    kill "$anvil_pid"
    wait "$anvil_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# On-chain diagnosis (issue 12, tests/chain.test.mjs): with WALLETDESK_TEST_ANVIL (the anvil
# binary scripts/test installs), a private anvil on a loopback port it picks itself is the
# desk's one chain, configured through the environment (WALLETDESK_CHAIN_ANVIL_*). Without it
# the desk has no chain, and the test says which parts it skipped and why.
anvil_pid=
anvil_url=
chain_env=()
if [ -n "${WALLETDESK_TEST_ANVIL:-}" ]; then
  [ -x "$WALLETDESK_TEST_ANVIL" ] || fail "WALLETDESK_TEST_ANVIL=$WALLETDESK_TEST_ANVIL is not an executable"
  "$WALLETDESK_TEST_ANVIL" --host 127.0.0.1 --port 0 >"$work/anvil.log" 2>&1 &
  anvil_pid=$!
  for _ in $(seq 1 300); do
    anvil_url=$(sed -n 's#^Listening on \([0-9.]*:[0-9]*\).*#http://\1#p' "$work/anvil.log" | head -n 1)
    [ -n "$anvil_url" ] && break
    kill -0 "$anvil_pid" 2>/dev/null || { cat "$work/anvil.log" >&2; fail "anvil exited before listening"; }
    sleep 0.1
  done
  [ -n "$anvil_url" ] || fail "anvil did not say where it listens within 30 s"
  echo "anvil is listening on $anvil_url"
  chain_env=(
    WALLETDESK_CHAIN_ANVIL_KIND=evm
    WALLETDESK_CHAIN_ANVIL_URL="$anvil_url"
    WALLETDESK_CHAIN_ANVIL_CHAIN_ID=31337
    "WALLETDESK_CHAIN_ANVIL_EXPLORER_TX=https://explorer.example/tx/{tx}"
    "WALLETDESK_CHAIN_ANVIL_EXPLORER_ADDRESS=https://explorer.example/address/{address}"
  )
fi

# Every browser here is one client (127.0.0.1): the password sign-in budget is raised so that
# tests/forms.test.mjs's rate-limit journey (refused by the back-off per address) leaves
# tests/security.test.mjs a password sign-in; the budget itself is tested in
# crates/server/tests/it (forms.rs, limits.rs).
env "${chain_env[@]}" WALLETDESK_SECURE_COOKIES=false WALLETDESK_LIMITS_SIGN_IN=40 "$bin" serve --listen 127.0.0.1:0 --data-dir "$work/data" >"$log" 2>&1 &
pid=$!

url=
for _ in $(seq 1 600); do
  url=$(sed -n 's#.*listening on \(http://[0-9.]*:[0-9]*\).*#\1#p' "$log" | head -n 1)
  [ -n "$url" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$log" >&2
    fail "walletdesk serve exited before listening"
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  cat "$log" >&2
  fail "walletdesk serve did not print 'listening on http://…' within 60 s"
fi
echo "walletdesk is listening on $url"
# The first admin's one-time sign-in link, for the agents' journeys (one test file uses it).
admin_link=$(sed -n 's#.*sign-in link: \(http[^ ]*\).*#\1#p' "$log" | head -n 1)
# A second agent's link, for the forms journeys (tests/forms.test.mjs), made the way an admin
# would at the command line while the server runs.
agent_link=$("$bin" admin create-agent --data-dir "$work/data" --email forms-agent@example.com --name "Forms Agent" \
  | sed -n 's#.*sign-in link (valid 24 hours): \(http[^ ]*\).*#\1#p' | head -n 1)

# A second admin and a third agent, for the admin's journeys and presence (tests/admin.test.mjs).
admin2_link=$("$bin" admin create-agent --data-dir "$work/data" --email admin-journey@example.com --name "Journey Admin" --admin \
  | sed -n 's#.*sign-in link (valid 24 hours): \(http[^ ]*\).*#\1#p' | head -n 1)
agent3_link=$("$bin" admin create-agent --data-dir "$work/data" --email presence-agent@example.com --name "Presence Agent" \
  | sed -n 's#.*sign-in link (valid 24 hours): \(http[^ ]*\).*#\1#p' | head -n 1)
# A fourth agent, who sets a password and an authenticator app (tests/security.test.mjs).
agent4_link=$("$bin" admin create-agent --data-dir "$work/data" --email security-agent@example.com --name "Security Agent" \
  | sed -n 's#.*sign-in link (valid 24 hours): \(http[^ ]*\).*#\1#p' | head -n 1)
# A fifth agent, who adds a passkey and signs in with it alone (tests/passkey.test.mjs).
agent5_link=$("$bin" admin create-agent --data-dir "$work/data" --email passkey-agent@example.com --name "Passkey Agent" \
  | sed -n 's#.*sign-in link (valid 24 hours): \(http[^ ]*\).*#\1#p' | head -n 1)
# A sixth agent, who answers live chats (tests/chat.test.mjs).
agent6_link=$("$bin" admin create-agent --data-dir "$work/data" --email chat-agent@example.com --name "Chat Agent" \
  | sed -n 's#.*sign-in link (valid 24 hours): \(http[^ ]*\).*#\1#p' | head -n 1)
# The agents' workspace (issue 11, desk): two agents, one watching the other's presence
# (tests/desk.test.mjs).
desk_link=$("$bin" admin create-agent --data-dir "$work/data" --email desk-agent@example.com --name "Desk Agent" \
  | sed -n 's#.*sign-in link (valid 24 hours): \(http[^ ]*\).*#\1#p' | head -n 1)
desk2_link=$("$bin" admin create-agent --data-dir "$work/data" --email desk-partner@example.com --name "Desk Partner" \
  | sed -n 's#.*sign-in link (valid 24 hours): \(http[^ ]*\).*#\1#p' | head -n 1)

# The on-chain journeys' agent (tests/chain.test.mjs).
chain_link=$("$bin" admin create-agent --data-dir "$work/data" --email chain-agent@example.com --name "Chain Agent" \
  | sed -n 's#.*sign-in link (valid 24 hours): \(http[^ ]*\).*#\1#p' | head -n 1)

status=0
WALLETDESK_TEST_CHAIN_LINK="$chain_link" WALLETDESK_TEST_ANVIL_URL="$anvil_url" WALLETDESK_TEST_BIN="$bin" \
WALLETDESK_URL="$url" WALLETDESK_TEST_ADMIN_LINK="$admin_link" WALLETDESK_TEST_AGENT_LINK="$agent_link" \
  WALLETDESK_TEST_ADMIN2_LINK="$admin2_link" WALLETDESK_TEST_AGENT3_LINK="$agent3_link" \
  WALLETDESK_TEST_AGENT4_LINK="$agent4_link" WALLETDESK_TEST_AGENT5_LINK="$agent5_link" \
  WALLETDESK_TEST_AGENT6_LINK="$agent6_link" \
  WALLETDESK_TEST_DESK_LINK="$desk_link" WALLETDESK_TEST_DESK2_LINK="$desk2_link" \
  WALLETDESK_TEST_DATA_DIR="$work/data" \
  node --test --test-concurrency=1 --test-force-exit "${@:-tests/}" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server output" >&2
  cat "$log" >&2
fi
exit "$status"
