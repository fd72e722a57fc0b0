#!/usr/bin/env bash
# npm run test:compose: checks the real-tenant overlay renders (tools/check-tenant-overlay.mjs), builds the compose
# stack, starts it, waits for health, checks it over HTTP (tools/compose-smoke.mjs), restarts it without -v to prove
# the auth server keeps its keys, runs the Playwright suite against it through base URLs, and always tears it down
# with `down -v` (container logs on failure).
#   tools/compose-test.sh               # everything
#   tools/compose-test.sh --smoke-only  # no Playwright
# Runs the local demo tenant whatever a developer's .env says, under its own project name so that `down -v`
# never removes the demo's key volume. Needs Docker with Compose v2.20+ and Node (tools/node24).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

smoke_only=false
[ "${1:-}" = "--smoke-only" ] && smoke_only=true

project="${COMPOSE_TEST_PROJECT:-auth0-spa-api-sample-test}"
unset COMPOSE_FILE COMPOSE_PROFILES
compose=(docker compose --project-name "$project" --file docker-compose.yml --env-file /dev/null)
export E2E_EXTERNAL=true E2E_WEB_URL=http://localhost:4200 E2E_API_URL=http://localhost:3000 E2E_AUTH_URL=http://localhost:4000
state="$(mktemp)"
start=$SECONDS
phase_start=$SECONDS

phase() {
  echo "== compose test: $1 (+$((SECONDS - phase_start)) s, total $((SECONDS - start)) s)"
  phase_start=$SECONDS
}

finish() {
  local status=$?
  if [ "$status" -ne 0 ]; then
    echo "== compose test FAILED (exit $status); container state and logs follow"
    "${compose[@]}" ps --all || true
    "${compose[@]}" logs --no-color --timestamps --tail=300 || true
  fi
  echo "== compose test: down -v"
  "${compose[@]}" down --volumes --remove-orphans --timeout 20 || true
  rm -f "$state"
  echo "== compose test: $([ "$status" -eq 0 ] && echo passed || echo failed) in $((SECONDS - start)) s"
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

phase "clean up a previous run"
"${compose[@]}" down --volumes --remove-orphans --timeout 20 >/dev/null 2>&1 || true

for port in 4000 3000 4200; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "== compose test: port $port is already in use (npm start, or the demo: docker compose down); stop that first" >&2
    exit 1
  fi
done

phase "real-tenant overlay: .env.example renders api + web against the tenant, no local auth server"
(unset COMPOSE_FILE; docker compose --env-file .env.example config --format json) | tools/node24 node tools/check-tenant-overlay.mjs

phase "build images"
"${compose[@]}" build

phase "start and wait for health"
"${compose[@]}" up --detach --wait --wait-timeout 180
# The M2M secret the auth server generated into its own volume (compose without .env), which the API reads too:
# the smoke checks and the token CLI in the e2e suite use it; the restarted stack must keep it.
AUTH_SERVER_M2M_CLIENT_SECRET="$("${compose[@]}" exec -T auth-server cat /var/lib/m2m-secret/m2m-client-secret)"
export AUTH_SERVER_M2M_CLIENT_SECRET

phase "smoke checks"
tools/node24 node tools/compose-smoke.mjs --state "$state"

phase "down (keeping volumes), up again"
"${compose[@]}" down --timeout 20
"${compose[@]}" up --detach --wait --wait-timeout 180
tools/node24 node tools/compose-smoke.mjs --state "$state"

if [ "$smoke_only" = false ]; then
  phase "Playwright suite against the stack"
  # A machine without Playwright's own browser download (like CI here) uses the distribution's Chromium.
  if [ -z "${PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH:-}" ] && [ -x /usr/bin/chromium ]; then
    export PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH=/usr/bin/chromium
  fi
  NX_DAEMON=false NX_NO_CLOUD=true tools/node24 npx nx run e2e:e2e --outputStyle=stream
fi
phase "done"
