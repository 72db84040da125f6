#!/usr/bin/env bash
# Throwaway PostgreSQL + Redis on loopback, for CI, `make test-postgres` and `make serve-prod`.
#
#   .ci/services.sh start DIR   start both (reusing DIR's cluster if it has one); writes DIR/env
#   .ci/services.sh stop DIR    stop both
#   .ci/services.sh env DIR     print the `export DATABASE_URL=... REDIS_URL=...` lines
#   .ci/services.sh stop-redis DIR    stop Redis only (the fault tests; `start` brings it back)
#   .ci/services.sh restart-pg DIR    restart PostgreSQL (the fault tests)
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user (or a
# system user made for it). Both servers listen on 127.0.0.1 only, on free ports, with durability
# switched off: the data is disposable.
set -euo pipefail

usage() { echo "usage: $0 start|stop|env|stop-redis|restart-pg DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$2

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$found" ]; then echo "$found"; return; fi
  command -v pg_ctl >/dev/null && dirname "$(command -v pg_ctl)" && return
  echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Run a PostgreSQL command as the cluster's owner.
as_pg() {
  if [ "$(id -u)" -ne 0 ]; then
    "$@"
  elif command -v runuser >/dev/null; then
    runuser -u "$PG_USER" -- "$@"
  else
    su "$PG_USER" -s /bin/sh -c "$(printf '%q ' "$@")"
  fi
}

pick_pg_user() {
  PG_USER=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then
    PG_USER=postgres
    if ! id "$PG_USER" >/dev/null 2>&1; then
      PG_USER=newsroom-pg
      id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home "$PG_USER"
    fi
  fi
}

start() {
  local bin pg_port redis_port
  bin=$(pg_bin)
  pick_pg_user
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/ports" ]; then
    # shellcheck disable=SC1091
    . "$dir/ports"
  else
    pg_port=$(free_port)
    redis_port=$(free_port)
    printf 'pg_port=%s\nredis_port=%s\n' "$pg_port" "$redis_port" >"$dir/ports"
  fi
  mkdir -p "$dir/pg-socket"
  [ "$(id -u)" -eq 0 ] && chown "$PG_USER" "$dir" "$dir/pg-socket"

  if [ ! -f "$dir/pg/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir/pg" -U newsroom --auth=trust --encoding=UTF8 --no-locale \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  if ! as_pg "$bin/pg_ctl" -D "$dir/pg" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir/pg-socket -c fsync=off \
          -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null || { cat "$dir/pg/server.log" >&2; exit 1; }
  fi
  if ! "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U newsroom -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'newsroom'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U newsroom newsroom
  fi

  if ! redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
    for _ in $(seq 50); do
      redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null || { cat "$dir/redis.log" >&2; exit 1; }
  fi

  cat >"$dir/env" <<EOF
export DATABASE_URL=postgres://newsroom@127.0.0.1:$pg_port/newsroom
export REDIS_URL=redis://127.0.0.1:$redis_port/0
EOF
  echo "PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port (in $dir)" >&2
}

stop() {
  local bin
  [ -d "$dir" ] || return 0
  bin=$(pg_bin)
  pick_pg_user
  if [ -f "$dir/pg/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null || true
  fi
  if [ -f "$dir/redis.pid" ]; then
    kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    rm -f "$dir/redis.pid"
  fi
}

stop_redis() {
  if [ -f "$dir/redis.pid" ]; then
    kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    # shellcheck disable=SC1091
    . "$dir/ports"
    for _ in $(seq 50); do
      redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 || break
      sleep 0.1
    done
    rm -f "$dir/redis.pid"
  fi
}

restart_pg() {
  local bin
  bin=$(pg_bin)
  pick_pg_user
  as_pg "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg/server.log" -m fast -w -t 60 restart >/dev/null
}

case $action in
  start) start ;;
  stop) stop ;;
  stop-redis) stop_redis ;;
  restart-pg) restart_pg ;;
  env) cat "$dir/env" ;;
  *) usage ;;
esac
