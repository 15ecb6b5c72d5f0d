#!/bin/sh
# Container entry point: `serve` (default) optionally applies migrations (MIGRATE_ON_START, for single-container
# runs; compose and Kubernetes run a separate migration step), then replaces this shell with the server so it gets
# SIGTERM; `worker` replaces it with a batch worker; `migrate` applies migrations and exits.
set -eu
cd "$(dirname "$0")"
case "${1:-serve}" in
  migrate)
    exec node scripts/db/migrate.mjs deploy
    ;;
  worker)
    # One batch worker process (what `npm run worker` runs): BullMQ on REDIS_URL, WORKER_CONCURRENCY jobs at a
    # time. SIGTERM: no new jobs, the running ones finish (or are handed back), exit 0.
    exec node scripts/worker.mjs
    ;;
  serve)
    # The one boolean parser (lib/config/env-boolean.mjs): the spellings and the default of npm start and the
    # server. Exit 10 means "do not migrate"; a refused spelling prints the rule and stops the container.
    decision=0
    node --input-type=module -e "
      import { MIGRATE_ON_START_DEFAULT, readBooleanSetting } from './lib/config/env-boolean.mjs';
      try {
        process.exit(readBooleanSetting(process.env, 'MIGRATE_ON_START', MIGRATE_ON_START_DEFAULT) ? 0 : 10);
      } catch (err) {
        console.error('[entrypoint] refusing to start: ' + err.message);
        process.exit(2);
      }" || decision=$?
    case "$decision" in
      0) node scripts/db/migrate.mjs deploy ;;
      10) ;;
      *) exit "$decision" ;;
    esac
    exec node server.js
    ;;
  *)
    exec "$@"
    ;;
esac
