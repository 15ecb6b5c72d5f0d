#!/usr/bin/env bash
# shellcheck disable=SC2034  # SVGAI_ROOT / ENV_FILE are read by the functions of lib.sh
# Deploys this checkout to a plain Node host without downtime (blue/green): build, assemble a release, back up,
# migrate, start the new release in the idle slot beside the running one, wait for readiness, smoke test it,
# start its workers, switch nginx's upstream (nginx -t, reload), then drain and stop the old release and workers.
# Any failure before the switch stops the new slot; the old release never stopped serving (when migrations ran,
# the database is restored from the backup as well, which needs a short stop of the old release).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: deploy.sh --root DIR [--release-id ID] [--skip-build | --artifact DIR] [--skip-smoke]
                 [--smoke-image FILE] [--timeout SECONDS] [--keep N]
  DIR holds shared/.env (configuration), releases/, backups/, current -> releases/<id>.
  --release-id   name of the release (default: UTC time + short commit)
  --skip-build   reuse the existing \`npm run build\` output of this checkout
  --artifact     deploy a release assembled earlier (assemble-release.mjs DIR): build once, deploy anywhere
  --skip-smoke   skip the smoke test (health checks still gate the deploy)
  --smoke-image  image the smoke test converts (default scripts/deploy/fixtures/smoke-logo.png)
  --timeout      seconds to wait for readiness (default 120)
  --keep         releases to keep (default 5; current and previous are never removed)
  RUN_AS=user runs the server as that user when invoked as root. Deploying the current release again is a no-op.
USAGE
}

RELEASE_ID="" SKIP_BUILD=0 ARTIFACT="" SKIP_SMOKE=0 SMOKE_IMAGE="" TIMEOUT=120 KEEP=5
while [ $# -gt 0 ]; do
  case "$1" in
    --root) SVGAI_ROOT="$2"; shift 2 ;;
    --release-id) RELEASE_ID="$2"; shift 2 ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --artifact) ARTIFACT="$2"; SKIP_BUILD=1; shift 2 ;;
    --skip-smoke) SKIP_SMOKE=1; shift ;;
    --smoke-image) SMOKE_IMAGE="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --keep) KEEP="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
require_root_dir
need_cmd node
need_cmd curl
if [ -z "$RELEASE_ID" ]; then
  RELEASE_ID="$(date -u +%Y%m%dT%H%M%SZ)-$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo local)"
fi
[[ "$RELEASE_ID" =~ ^[A-Za-z0-9._-]+$ ]] || die "--release-id may only hold letters, digits, . _ -"
take_deploy_lock

if [ "$(release_of current)" = "$RELEASE_ID" ] && server_pid >/dev/null && wait_ready 5; then
  log "release $RELEASE_ID is already current and ready: nothing to do"
  exit 0
fi
release_dir="$SVGAI_ROOT/releases/$RELEASE_ID"
[ ! -e "$release_dir" ] || [ "$(release_of current)" = "$RELEASE_ID" ] ||
  die "release $RELEASE_ID already exists in $SVGAI_ROOT/releases: choose another --release-id (or rollback.sh --to $RELEASE_ID)"

log "1/8 configuration check"
(cd "$REPO_ROOT" && node --import tsx scripts/config-check.ts --env-file "$ENV_FILE" --quiet) ||
  die "configuration in $ENV_FILE is invalid (see above); nothing changed"

if [ -n "$ARTIFACT" ]; then
  [ -f "$ARTIFACT/server.js" ] && [ -f "$ARTIFACT/RELEASE.json" ] || die "$ARTIFACT is not an assembled release"
  log "2/8 build skipped: deploying the artifact $ARTIFACT"
  log "3/8 install release $RELEASE_ID"
  rm -rf "$release_dir.partial"
  cp -a "$ARTIFACT" "$release_dir.partial" || die "copying the artifact failed; nothing changed"
  node -e 'const f=process.argv[1], r=JSON.parse(require("fs").readFileSync(f,"utf8")); r.id=process.argv[2]; require("fs").writeFileSync(f, JSON.stringify(r,null,2)+"\n")' \
    "$release_dir.partial/RELEASE.json" "$RELEASE_ID"
else
  if [ "$SKIP_BUILD" = 0 ]; then
    log "2/8 build"
    (cd "$REPO_ROOT" && npm run -s build) || die "build failed; nothing changed"
  else
    log "2/8 build skipped (--skip-build)"
  fi
  log "3/8 assemble release $RELEASE_ID"
  node "$REPO_ROOT/scripts/deploy/assemble-release.mjs" "$release_dir.partial" --release-id "$RELEASE_ID" >&2 ||
    die "assembling the release failed; nothing changed"
fi
rm -rf "$release_dir"
mv "$release_dir.partial" "$release_dir"

log "4/8 backup"
backup_out="$("$SCRIPT_DIR/backup.sh" --root "$SVGAI_ROOT" --label "pre-$RELEASE_ID")" || die "backup failed; nothing changed"
BACKUP_DIR="$(printf '%s\n' "$backup_out" | sed -n 's/^BACKUP_DIR=//p' | tail -n 1)"
previous_release="$(release_of current)"
active="$(active_slot)"
if [ -n "$active" ] && ! slot_pid "$active" >/dev/null; then
  log "slot $active is recorded as active but runs no server"
  active=""
fi
target="$(other_slot "${active:-green}")"
MIGRATED=0

rollback() {
  local reason="$1"
  log "DEPLOY FAILED: $reason"
  stop_workers "$target"
  stop_slot "$target"
  if [ -n "$active" ] && [ "$MIGRATED" = 0 ] && slot_pid "$active" >/dev/null; then
    # Nothing reached the old release or its data: it kept serving all along, so there is nothing to restore.
    log "rolled back to $previous_release: it kept serving in slot $active; the database was not changed (no migrations)"
  elif [ -n "$previous_release" ]; then
    log "rolling back to $previous_release with the database from $BACKUP_DIR"
    "$SCRIPT_DIR/rollback.sh" --root "$SVGAI_ROOT" --to "$previous_release" --backup "$BACKUP_DIR" --timeout "$TIMEOUT" --no-lock ||
      log "ROLLBACK FAILED TOO: restore by hand (docs/OPERATIONS.md#rollback)"
  else
    log "first deploy: no previous release; restoring the database and leaving the server stopped"
    stop_server
    "$SCRIPT_DIR/restore.sh" --root "$SVGAI_ROOT" --backup "$BACKUP_DIR" || true
  fi
  exit 1
}

log "5/8 migrate"
migrate_out="$(run_with_env "$release_dir" node scripts/db/migrate.mjs deploy 2>&1)" || {
  printf '%s\n' "$migrate_out" >&2
  MIGRATED=1 # a failed migration may have changed part of the schema
  rollback "migrations failed"
}
printf '%s\n' "$migrate_out" >&2
applied="$(printf '%s\n' "$migrate_out" | sed -n 's/.*applied \([0-9][0-9]*\) migration(s).*/\1/p' | tail -n 1)"
echo "${applied:-0}" >"$release_dir/.migrations-applied"
[ "${applied:-0}" = 0 ] || MIGRATED=1

log "6/8 start $RELEASE_ID in slot $target (port $(slot_port "$target"))${active:+ beside slot $active}"
stop_workers "$target" # left over from an interrupted deploy
stop_slot "$target"
start_slot "$target" "$release_dir"
wait_slot_ready "$target" "$TIMEOUT" || rollback "the new release did not become ready within $TIMEOUT s"

if [ "$SKIP_SMOKE" = 0 ]; then
  log "7/8 smoke test of slot $target"
  smoke_env=()
  token="$(env_get METRICS_TOKEN)"
  [ -z "$token" ] || smoke_env+=(--metrics-token "$token")
  [ -z "$SMOKE_IMAGE" ] || smoke_env+=(--image "$SMOKE_IMAGE")
  "$SCRIPT_DIR/smoke-test.sh" --url "$(slot_url "$target")" "${smoke_env[@]}" >&2 || rollback "smoke test failed"
else
  log "7/8 smoke test skipped (--skip-smoke)"
fi

log "8/8 switch traffic to slot $target, then drain slot ${active:-(none)}"
start_workers "$target" "$release_dir" || rollback "the new release's workers did not start"
switch_proxy "$target" || rollback "nginx could not be switched to slot $target"
switch_current "$RELEASE_ID"
if [ -n "$active" ]; then
  stop_slot "$active"
fi
stop_workers "$(other_slot "$target")"

# Prune old releases, never the current or previous one.
current="$(release_of current)" previous="$(release_of previous)"
kept=0
while IFS= read -r path; do
  r="$(basename "$path")"
  if [ "$r" = "$current" ] || [ "$r" = "${previous:-}" ]; then continue; fi
  kept=$((kept + 1))
  if [ "$kept" -gt "$((KEEP - 2))" ]; then rm -rf "${SVGAI_ROOT:?}/releases/$r" && log "pruned release $r"; fi
done < <(find "$SVGAI_ROOT/releases" -mindepth 1 -maxdepth 1 -type d ! -name '*.partial' -printf '%T@ %p\n' | sort -rn | cut -d' ' -f2-)
log "deployed $RELEASE_ID (previous: ${previous_release:-none}; backup: $BACKUP_DIR)"
echo "RELEASE=$RELEASE_ID"
