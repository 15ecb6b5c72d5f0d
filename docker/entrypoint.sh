#!/bin/sh
# Container entry point: optionally apply migrations (MIGRATE_ON_START=true, for single-container runs; compose
# and Kubernetes run a separate migration step), then replace this shell with the server so it gets SIGTERM.
set -eu
cd "$(dirname "$0")"
case "${1:-serve}" in
  migrate)
    exec node scripts/db/migrate.mjs deploy
    ;;
  serve)
    if [ "${MIGRATE_ON_START:-false}" = "true" ]; then
      node scripts/db/migrate.mjs deploy
    fi
    exec node server.js
    ;;
  *)
    exec "$@"
    ;;
esac
