#!/bin/sh
# Renders the SPA's Content-Security-Policy at container start from the values /config.json is rendered from
# (40-render-config-json.sh): SPA_DOMAIN (the issuer) and SPA_API_URL (the API). The result is one nginx add_header
# line (csp.conf) that security-headers.conf includes in every location.
# Only origins go into the policy, and each is checked against a strict pattern first: a value with a quote,
# semicolon, space, `$` or a path cannot add a directive or an nginx variable; it stops the container instead.
# The style nonce is nginx's $request_id, new for every response; nginx.conf puts the same value on <app-root>
# (ngCspNonce), where Angular reads it for the <style> elements it adds for components.
set -eu

# WEB_RENDER_DIR: tests render elsewhere (docker/web/render.test.mjs).
out="${WEB_RENDER_DIR:-/usr/share/nginx/config}/csp.conf"
problems=""

problem() {
  problems="${problems}
  - $1"
}

lower() {
  printf '%s' "$1" | tr '[:upper:]' '[:lower:]'
}

# scheme://host[:port], lower case, nothing else. The host is a name or IPv4 address (a CSP source cannot name an
# IPv6 literal).
is_origin() {
  case "$1" in
    *[[:cntrl:]]*) return 1 ;;
  esac
  printf '%s\n' "$1" | grep -Eqx 'https?://([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?(:[0-9]{1,5})?'
}

# The issuer's origin, as the SDK and the contract read SPA_DOMAIN: a bare domain means https.
domain="${SPA_DOMAIN:-}"
case "$(lower "$domain")" in
  "") issuer="" ;;
  http://* | https://*) issuer="$(lower "${domain%/}")" ;;
  *) issuer="https://$(lower "${domain%/}")" ;;
esac
if [ -z "$domain" ]; then
  problem "SPA_DOMAIN is required: set it, for example SPA_DOMAIN=your-tenant.us.auth0.com"
elif ! is_origin "$issuer"; then
  problem "SPA_DOMAIN must be a tenant domain like your-tenant.us.auth0.com or an origin like http://localhost:4000, with no path, quotes, spaces or semicolons (got \"$domain\")"
fi

# The API's origin: its URL up to the path (the policy allows the whole origin).
api_url="${SPA_API_URL:-}"
api="$(lower "$(printf '%s' "$api_url" | sed -E 's|^([A-Za-z]+://[^/?#]*).*$|\1|')")"
if [ -z "$api_url" ]; then
  problem "SPA_API_URL is required: set it, for example SPA_API_URL=http://localhost:3000"
elif ! is_origin "$api"; then
  problem "SPA_API_URL must be an http(s) URL like https://api.example.com, its host a plain name and port with no quotes, spaces or semicolons (got \"$api_url\")"
fi

if [ -n "$problems" ]; then
  echo "web: cannot render the Content-Security-Policy, the environment is invalid:${problems}" >&2
  echo "web: see .env.example for every SPA_* variable." >&2
  exit 1
fi

connect="'self' $api"
[ "$issuer" = "$api" ] || connect="$connect $issuer"

# script-src 'self': the production build has no inline script (critical CSS inlining is off in project.json).
# img-src https:: the profile shows the user's picture, which Auth0 serves from Gravatar, its CDN or the social
# provider. form-action: this origin and the issuer (a login or logout form posted to it); no other origin.
# No worker-src (script-src 'self' applies): with refresh tokens the app caches in localStorage, where the SDK starts
# no worker; it starts a blob: worker only for refresh tokens in a memory cache (then add worker-src blob:).
policy="default-src 'self'; script-src 'self'; style-src 'self' 'nonce-\$request_id'; img-src 'self' https:; connect-src $connect; frame-src $issuer; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self' $issuer"

printf '# Rendered at container start by 41-render-csp.sh.\nadd_header Content-Security-Policy "%s" always;\n' \
  "$policy" > "$out"

echo "web: rendered the Content-Security-Policy: $policy"
