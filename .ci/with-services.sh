#!/usr/bin/env bash
# Run a command with PostgreSQL + Redis started on loopback and DATABASE_URL / REDIS_URL set.
#
#   .ci/with-services.sh make test
#   NEWSROOM_SERVICES_DIR=/tmp/keep .ci/with-services.sh ...   reuse (and keep) that data folder
#
# Both servers are stopped when the command ends (or is interrupted); a temporary data folder is
# removed, a named one is kept for next time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ -n "${NEWSROOM_SERVICES_DIR:-}" ]; then
  dir=$NEWSROOM_SERVICES_DIR
  keep=1
else
  dir=$(mktemp -d "${TMPDIR:-/tmp}/newsroom-services.XXXXXX")
  keep=0
fi

cleanup() {
  "$here/services.sh" stop "$dir" || true
  [ "$keep" -eq 1 ] || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$here/services.sh" start "$dir"
# shellcheck disable=SC1091
. "$dir/env"
"$@"
