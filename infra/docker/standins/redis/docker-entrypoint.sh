#!/bin/bash
# The official redis image's entrypoint rule, for the stand-in (ADR-0011): flags alone mean redis-server; a server
# without a config file (or whose file does not set protected-mode) gets --protected-mode no before the given flags,
# so that other containers can connect (the flags given can still turn it back on).
set -euo pipefail
if [ "${1:0:1}" = '-' ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
  shift
  config=""
  if [ -f "${1:-}" ]; then config="$1"; shift; fi
  if [ -z "$config" ] || ! grep -q '^protected-mode' "$config"; then set -- --protected-mode no "$@"; fi
  if [ -n "$config" ]; then set -- "$config" "$@"; fi
  set -- redis-server "$@"
fi
exec "$@"
