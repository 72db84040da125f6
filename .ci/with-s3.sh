#!/usr/bin/env bash
# Run a command with media on an S3-protocol server on loopback (moto's standalone server, a
# PyPI test dependency installed by `make install`) and the NEWSROOM_S3_* settings pointing at a
# fresh bucket in it.
#
#   .ci/with-s3.sh make test
#   .ci/with-services.sh .ci/with-s3.sh make test     PostgreSQL + Redis + S3
#
# The server is stopped when the command ends (or is interrupted).
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory install >/dev/null
py=.venv/bin/python

port=$($py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp "${TMPDIR:-/tmp}/newsroom-s3.XXXXXX.log")
$py -m moto.server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto=$!
cleanup() {
  kill "$moto" 2>/dev/null || true
  wait "$moto" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export NEWSROOM_S3_ENDPOINT_URL="http://127.0.0.1:$port"
export NEWSROOM_S3_BUCKET=newsroom-media
export NEWSROOM_S3_REGION=us-east-1
export NEWSROOM_S3_ADDRESSING_STYLE=path
export NEWSROOM_S3_ACCESS_KEY_ID=newsroom-ci
export NEWSROOM_S3_SECRET_ACCESS_KEY=newsroom-ci-secret

for _ in $(seq 1 100); do
  if $py -c "import urllib.request; urllib.request.urlopen('$NEWSROOM_S3_ENDPOINT_URL/moto-api/', timeout=1)" 2>/dev/null; then
    break
  fi
  kill -0 "$moto" 2>/dev/null || { cat "$log"; echo "moto_server did not start"; exit 1; }
  sleep 0.2
done
$py - <<'PY'
import os

import boto3

boto3.client(
    "s3",
    endpoint_url=os.environ["NEWSROOM_S3_ENDPOINT_URL"],
    region_name=os.environ["NEWSROOM_S3_REGION"],
    aws_access_key_id=os.environ["NEWSROOM_S3_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["NEWSROOM_S3_SECRET_ACCESS_KEY"],
).create_bucket(Bucket=os.environ["NEWSROOM_S3_BUCKET"])
PY
echo "media: S3 bucket $NEWSROOM_S3_BUCKET at $NEWSROOM_S3_ENDPOINT_URL"
"$@"
