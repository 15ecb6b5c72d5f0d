#!/usr/bin/env bash
# shellcheck disable=SC2034  # SVGAI_ROOT / ENV_FILE are read by the functions of lib.sh
# Checks before a deploy: Node version, the test suite, the configuration that will be deployed, the compose
# files, and the migration status of the target database. Exits non-zero on the first blocking problem.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: pre-deploy-check.sh [--env-file FILE] [--skip-tests] [--skip-compose]
  --env-file      configuration to validate (default .env of this checkout); its DATABASE_URL is the
                  database whose migration status is reported (pending migrations are fine: deploy applies them)
  --skip-tests    do not run \`npm test\`
  --skip-compose  do not validate docker/docker-compose*.yml (needs docker-compose)
USAGE
}

ENV_FILE_ARG="$REPO_ROOT/.env" SKIP_TESTS=0 SKIP_COMPOSE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --env-file) ENV_FILE_ARG="$2"; shift 2 ;;
    --skip-tests) SKIP_TESTS=1; shift ;;
    --skip-compose) SKIP_COMPOSE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
need_cmd node
cd "$REPO_ROOT"

node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  die "Node $(node -v) is too old: 20.19+ is required"
log "node $(node -v) ok"

[ -f "$ENV_FILE_ARG" ] || die "env file not found: $ENV_FILE_ARG"
log "configuration: $ENV_FILE_ARG"
node --import tsx scripts/config-check.ts --env-file "$ENV_FILE_ARG" || die "configuration is invalid"

if [ "$SKIP_COMPOSE" = 0 ]; then
  need_cmd docker-compose "apt-get install docker-compose, or pass --skip-compose"
  for f in docker/docker-compose.yml docker/docker-compose.dev.yml; do
    POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-check-only}" docker-compose -f "$f" config -q || die "$f is invalid"
    log "$f valid"
  done
fi

ENV_FILE="$ENV_FILE_ARG"
db_url="$(env_get DATABASE_URL "file:./data/app.db")"
log "migration status of $(printf '%s' "$db_url" | sed -E 's#(://[^:/@]*):[^@]*@#\1:****@#')"
set +e
status_out="$(DATABASE_URL="$db_url" node scripts/db/migrate.mjs status 2>&1)"
status_rc=$?
set -e
printf '%s\n' "$status_out" >&2
if printf '%s' "$status_out" | grep -qE 'FAILED|modified'; then
  die "the database has failed or edited migrations: fix them before deploying (docs/OPERATIONS.md)"
fi
[ "$status_rc" = 0 ] || printf '%s' "$status_out" | grep -q 'pending' || die "could not read the migration status"

if [ "$SKIP_TESTS" = 0 ]; then
  log "test suite"
  npm test || die "tests failed"
fi
log "pre-deploy checks passed"
