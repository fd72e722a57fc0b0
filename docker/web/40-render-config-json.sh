#!/bin/sh
# Renders the SPA's /config.json from SPA_* variables at container start, so one image serves any tenant.
# Checks what a shell can (required values, URLs, booleans, "openid" in the scope) and stops the container with
# one message listing every problem; the SPA validates the file again (the contract's parseSpaConfig, and the lab
# its own keys).
set -eu

# WEB_RENDER_DIR: tests render elsewhere (docker/web/render.test.mjs).
out="${WEB_RENDER_DIR:-/usr/share/nginx/config}/config.json"
problems=""

problem() {
  problems="${problems}
  - $1"
}

# JSON string: escape backslashes and double quotes; control characters are refused by check_plain.
json_string() {
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

check_plain() {
  case "$2" in
    *[[:cntrl:]]*) problem "$1 must not contain control characters or newlines" ;;
  esac
}

required() {
  eval "value=\${$1:-}"
  if [ -z "$value" ]; then
    problem "$1 is required: set it, for example $1=$2"
  else
    check_plain "$1" "$value"
  fi
}

url() {
  eval "value=\${$1:-}"
  case "$value" in
    http://?*|https://?*) ;;
    "") ;;
    *) problem "$1 must be an absolute URL like $2 (got \"$value\")" ;;
  esac
}

flag() {
  eval "value=\${$1:-}"
  case "$value" in
    true|false|"") ;;
    *) problem "$1 must be true or false (got \"$value\")" ;;
  esac
}

required SPA_DOMAIN "your-tenant.us.auth0.com (local auth server: http://localhost:4000)"
required SPA_CLIENT_ID "abc123 (the SPA application's Client ID)"
required SPA_AUDIENCE "https://api.example.com (the API identifier)"
required SPA_API_URL "http://localhost:3000"
url SPA_API_URL "http://localhost:3000"
flag SPA_USE_REFRESH_TOKENS
flag SPA_USE_DPOP
flag SPA_BREAK_IT_LAB
scope="${SPA_SCOPE:-openid profile email read:messages read:admin-messages edit:profile}"
check_plain SPA_SCOPE "$scope"
case " $scope " in
  *" openid "*) ;;
  *) problem "SPA_SCOPE must include \"openid\" (got \"$scope\")" ;;
esac
for optional in SPA_LAB_OTHER_AUDIENCE SPA_LAB_SHORT_LIVED_AUDIENCE SPA_LAB_RBAC_OFF_AUDIENCE; do
  eval "value=\${$optional:-}"
  check_plain "$optional" "$value"
done

if [ -n "$problems" ]; then
  echo "web: cannot render /config.json, the environment is invalid:${problems}" >&2
  echo "web: see .env.example for every SPA_* variable." >&2
  exit 1
fi

{
  printf '{\n'
  printf '  "domain": %s,\n' "$(json_string "$SPA_DOMAIN")"
  printf '  "clientId": %s,\n' "$(json_string "$SPA_CLIENT_ID")"
  printf '  "audience": %s,\n' "$(json_string "$SPA_AUDIENCE")"
  printf '  "scope": %s,\n' "$(json_string "$scope")"
  printf '  "apiUrl": %s,\n' "$(json_string "$SPA_API_URL")"
  if [ -n "${SPA_LAB_OTHER_AUDIENCE:-}" ]; then
    printf '  "labOtherAudience": %s,\n' "$(json_string "$SPA_LAB_OTHER_AUDIENCE")"
  fi
  if [ -n "${SPA_LAB_SHORT_LIVED_AUDIENCE:-}" ]; then
    printf '  "labShortLivedAudience": %s,\n' "$(json_string "$SPA_LAB_SHORT_LIVED_AUDIENCE")"
  fi
  if [ -n "${SPA_LAB_RBAC_OFF_AUDIENCE:-}" ]; then
    printf '  "labRbacOffAudience": %s,\n' "$(json_string "$SPA_LAB_RBAC_OFF_AUDIENCE")"
  fi
  # The Break it lab (teaching layer) is off unless SPA_BREAK_IT_LAB=true; docker-compose.yml's demo turns it on.
  printf '  "breakItLab": %s,\n' "${SPA_BREAK_IT_LAB:-false}"
  printf '  "useRefreshTokens": %s,\n' "${SPA_USE_REFRESH_TOKENS:-false}"
  # DPoP (sender-constrained tokens) is off unless SPA_USE_DPOP=true; the tenant's API and this API must accept it.
  printf '  "useDpop": %s\n' "${SPA_USE_DPOP:-false}"
  printf '}\n'
} > "$out"

echo "web: rendered /config.json: domain $SPA_DOMAIN, client $SPA_CLIENT_ID, audience $SPA_AUDIENCE, API $SPA_API_URL, Break it lab ${SPA_BREAK_IT_LAB:-false}, DPoP ${SPA_USE_DPOP:-false}"
