#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for CI and the tests, in a temporary folder, on a free
# loopback port, without durability (fsync off: its data does not outlive the run).
# Usage (in .ci/run, after `set -euo pipefail`):
#     source .ci/pg-throwaway.sh      # defines pg_throwaway_start / pg_throwaway_stop
#     pg_throwaway_start               # exports BACKPROP_LAB_TEST_POSTGRES_URL, PG_THROWAWAY_DIR
#     trap pg_throwaway_stop EXIT
# Works as root (runs the server as an unprivileged user) and as a normal user (runs it as you).

pg_throwaway_bindir() {
    # Newest installed major version, e.g. /usr/lib/postgresql/15/bin
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$d" ] && command -v pg_config >/dev/null; then d=$(pg_config --bindir); fi
    [ -x "$d/initdb" ] || return 1
    echo "$d"
}

pg_throwaway_start() {
    local bindir port user db pass as=()
    if ! bindir=$(pg_throwaway_bindir); then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql </dev/null
        bindir=$(pg_throwaway_bindir)
    fi
    user=${PG_THROWAWAY_USER:-bpl}; db=${PG_THROWAWAY_DB:-bpl_test}; pass=${PG_THROWAWAY_PASSWORD:-bpl-ci-pass}
    PG_THROWAWAY_DIR=$(mktemp -d /tmp/pgci.XXXXXX)
    if [ "$(id -u)" -eq 0 ]; then
        # initdb/pg_ctl refuse root. Debian's postgresql package creates the "postgres" system user;
        # create one if a machine lacks it.
        id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
        chown postgres: "$PG_THROWAWAY_DIR"
        as=(runuser -u postgres --)
    fi
    # A free port on loopback (tiny race window; fine for CI).
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    (
        cd "$PG_THROWAWAY_DIR"   # postgres must be able to cd into its cwd, /root is not readable
        "${as[@]}" mkdir "$PG_THROWAWAY_DIR/sock"
        "${as[@]}" "$bindir/initdb" -D "$PG_THROWAWAY_DIR/data" -U postgres --auth-local=trust \
            --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --no-sync >/dev/null
        "${as[@]}" "$bindir/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -l "$PG_THROWAWAY_DIR/server.log" -w -t 60 \
            -o "-p $port -k $PG_THROWAWAY_DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off \
                -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" start >/dev/null
        "${as[@]}" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_THROWAWAY_DIR/sock" -p "$port" \
            -U postgres -d postgres \
            -c "CREATE ROLE \"$user\" LOGIN CREATEDB PASSWORD '$pass'" \
            -c "CREATE DATABASE \"$db\" OWNER \"$user\""
    ) || { cat "$PG_THROWAWAY_DIR/server.log" >&2 2>/dev/null; return 1; }
    PG_THROWAWAY_BINDIR=$bindir
    PG_THROWAWAY_AS=("${as[@]}")
    export PG_THROWAWAY_DIR
    export BACKPROP_LAB_TEST_POSTGRES_URL="postgresql://$user:$pass@127.0.0.1:$port/$db"
    echo "CI: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($PG_THROWAWAY_DIR)"
}

pg_throwaway_stop() {
    [ -n "${PG_THROWAWAY_DIR:-}" ] && [ -d "$PG_THROWAWAY_DIR" ] || return 0
    (cd "$PG_THROWAWAY_DIR" && "${PG_THROWAWAY_AS[@]}" "$PG_THROWAWAY_BINDIR/pg_ctl" \
        -D "$PG_THROWAWAY_DIR/data" -m immediate -w stop >/dev/null 2>&1) || true
    rm -rf "$PG_THROWAWAY_DIR"
    PG_THROWAWAY_DIR=
}
