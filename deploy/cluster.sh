#!/usr/bin/env bash
# The production topology on loopback, from Debian's packages (`make cluster`, `make
# cluster-stop`): PostgreSQL 15 primary and a streaming replica (pg_basebackup), Redis, two
# gunicorn app servers with production settings (DEBUG off), nginx in front with TLS,
# balancing between them. Everything lives in CLUSTER_DIR (.cluster/) and stops with `stop`.
#
#   deploy/cluster.sh start | stop | status | env | start-app NAME | stop-app NAME | drain-app NAME
#
# `env` prints the settings of the app servers (source it to run manage.py against the
# cluster: `set -a; . .cluster/env; set +a`).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${CLUSTER_DIR:-$ROOT/.cluster}"
RUN="$DIR/run"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
# The ports a cluster was started with (CLUSTER_*_PORT) stay its ports for the later commands.
if [ -s "$DIR/ports" ]; then
    while IFS== read -r name value; do
        [ -n "${!name:-}" ] || export "$name=$value"
    done <"$DIR/ports"
fi
PRIMARY_PORT="${CLUSTER_PRIMARY_PORT:-55450}"
REPLICA_PORT="${CLUSTER_REPLICA_PORT:-55451}"
REDIS_PORT="${CLUSTER_REDIS_PORT:-56390}"
APP1_PORT="${CLUSTER_APP1_PORT:-8101}"
APP2_PORT="${CLUSTER_APP2_PORT:-8102}"
HTTP_PORT="${CLUSTER_HTTP_PORT:-8080}"
HTTPS_PORT="${CLUSTER_HTTPS_PORT:-8443}"
WORKERS="${CLUSTER_WORKERS:-2}"
THREADS="${CLUSTER_THREADS:-4}"
VENV="$ROOT/.venv/bin"

# PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
if [ "$(id -u)" = 0 ]; then
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

say() { printf '%s\n' "$*"; }

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
    local seconds=$1 what=$2
    shift 2
    for _ in $(seq $((seconds * 4))); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.25
    done
    say "cluster: $what did not start; see $RUN/*.log" >&2
    return 1
}

start_postgres() {
    mkdir -p "$DIR/pg"
    if [ "$(id -u)" = 0 ]; then chown postgres "$DIR/pg" "$RUN"; fi
    if [ ! -s "$DIR/pg/primary/PG_VERSION" ]; then
        as_pg "$PGBIN/initdb" -D "$DIR/pg/primary" -U postgres -A trust -E UTF8 >"$RUN/initdb.log"
        cat >>"$DIR/pg/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$RUN'
wal_level = replica
max_wal_senders = 5
hot_standby = on
CONF
    fi
    if ! as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/primary" status >/dev/null 2>&1; then
        as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/primary" -l "$RUN/postgres-primary.log" -w start >/dev/null
    fi
    as_pg psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'nador'" | grep -q 1 ||
        as_pg psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qc "CREATE DATABASE nador"
    if [ ! -s "$DIR/pg/replica/PG_VERSION" ]; then
        # A copy of the primary that follows its WAL (standby.signal and primary_conninfo).
        as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
            -D "$DIR/pg/replica" -R -X stream -c fast
        cat >>"$DIR/pg/replica/postgresql.conf" <<CONF
port = $REPLICA_PORT
CONF
    fi
    # A long export on the replica would otherwise hold back the replay of the primary's
    # cleanups (up to max_standby_streaming_delay, 30 s: the replica 30 s behind, longer
    # than REPLICA_STICKY_SECONDS); with feedback the primary keeps those rows a little longer.
    if ! grep -q '^hot_standby_feedback' "$DIR/pg/replica/postgresql.conf"; then
        echo "hot_standby_feedback = on" >>"$DIR/pg/replica/postgresql.conf"
        if as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/replica" status >/dev/null 2>&1; then
            as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/replica" reload >/dev/null
        fi
    fi
    if ! as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/replica" status >/dev/null 2>&1; then
        as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/replica" -l "$RUN/postgres-replica.log" -w start >/dev/null
    fi
}

start_redis() {
    if [ -s "$RUN/redis.pid" ] && kill -0 "$(cat "$RUN/redis.pid")" 2>/dev/null; then return; fi
    # A cache only: nothing persisted (sessions are written through to PostgreSQL).
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
        --pidfile "$RUN/redis.pid" --logfile "$RUN/redis.log" --dir "$RUN" \
        --save "" --appendonly no --maxmemory 256mb --maxmemory-policy allkeys-lru
    wait_for 10 Redis redis-cli -p "$REDIS_PORT" ping
}

write_env() {
    if [ ! -s "$DIR/secret_key" ]; then
        (umask 077; "$VENV/python" -c "import secrets; print(secrets.token_urlsafe(50))" >"$DIR/secret_key")
    fi
    (umask 077; cat >"$DIR/env" <<ENV
DEBUG=0
SECRET_KEY=$(cat "$DIR/secret_key")
ALLOWED_HOSTS=localhost,127.0.0.1
DATABASE_URL=postgres://postgres@127.0.0.1:$PRIMARY_PORT/nador
DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$REPLICA_PORT/nador
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
PROXY_COUNT=1
SECURE_PROXY_SSL_HEADER=1
OPEN_DATA_ACCEL_REDIRECT=/open-data-files/
OPEN_DATA_ROOT=$DIR/open-data
MEDIA_ROOT=$DIR/media
ATTACHMENT_ACCEL_REDIRECT=/media/
OPEN_DATA_BUILD=off
EDGE_CACHE_SECONDS=1
SITE_URL=https://127.0.0.1:$HTTPS_PORT
STATIC_ROOT=$ROOT/staticfiles
CLUSTER_URL=https://127.0.0.1:$HTTPS_PORT
CLUSTER_APP_URLS="http://127.0.0.1:$APP1_PORT http://127.0.0.1:$APP2_PORT"
ENV
    )
}

prepare_portal() {
    set -a
    # shellcheck disable=SC1091
    . "$DIR/env"
    set +a
    "$VENV/python" manage.py compile_translations >/dev/null
    "$VENV/python" manage.py migrate --no-input >"$RUN/migrate.log"
    "$VENV/python" manage.py collectstatic --no-input --verbosity 0
    if [ ! -e "$DIR/demo-loaded" ]; then
        # The demo content, then a password of this cluster's own for each demo account
        # (production refuses the published one: demo.E001), kept in .cluster/passwords.
        DEBUG=1 "$VENV/python" manage.py load_demo >"$RUN/demo.log"
        (umask 077; "$VENV/python" manage.py shell -v 0 -c "
import json, secrets
from django.contrib.auth import get_user_model
from demo.loader import demo_usernames
passwords = {}
for user in get_user_model().objects.filter(username__in=demo_usernames()):
    passwords[user.username] = secrets.token_urlsafe(16)
    user.set_password(passwords[user.username])
    user.save(update_fields=['password'])
print(json.dumps(passwords, indent=2))
" >"$DIR/passwords")
        touch "$DIR/demo-loaded"
    fi
}

control_socket_option() {
    # gunicorn 27 opens ~/.gunicorn/gunicorn.ctl, one for every server of the user: each
    # app server would take the other's.
    "$VENV/python" -c "import gunicorn, sys; sys.exit(gunicorn.version_info < (27,))" &&
        printf '%s' --no-control-socket || true
}

app_port() {  # app_port NAME
    case "$1" in
        app1) printf '%s' "$APP1_PORT" ;;
        app2) printf '%s' "$APP2_PORT" ;;
        *) say "cluster: no app server $1 (app1 or app2)" >&2; exit 2 ;;
    esac
}

start_app() {  # start_app NAME PORT
    local name=$1 port=$2
    if [ -s "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then return; fi
    (
        set -a
        # shellcheck disable=SC1091
        . "$DIR/env"
        set +a
        # --keep-alive longer than nginx's keepalive_timeout of its upstream: nginx, not
        # gunicorn, closes an idle connection, so a request is never sent on a connection
        # that gunicorn is closing at that moment (a POST sent so would be a 502).
        "$VENV/gunicorn" nador_portal.wsgi --bind "127.0.0.1:$port" --daemon \
            --pid "$RUN/$name.pid" --error-logfile "$RUN/$name.log" \
            --workers "$WORKERS" --worker-class gthread --threads "$THREADS" \
            --timeout 60 --graceful-timeout 30 --keep-alive 75 \
            --forwarded-allow-ips 127.0.0.1 $(control_socket_option)
    )
    wait_for 30 "app server $name" curl -fsS "http://127.0.0.1:$port/healthz"
}

start_open_data() {
    # The full open-data files are rebuilt by a timer of their own, at a low priority, not
    # by a thread of the app server that published (OPEN_DATA_BUILD=off above): a build of
    # 100,000 practices takes minutes of CPU, which a spike's visitors need more.
    if [ -s "$RUN/open-data.pid" ] && kill -0 "$(cat "$RUN/open-data.pid")" 2>/dev/null; then return; fi
    (
        set -a
        # shellcheck disable=SC1091
        . "$DIR/env"
        set +a
        cd "$ROOT"
        setsid nice -n 10 bash -c "while :; do '$VENV/python' manage.py build_open_data; sleep 60; done" \
            >>"$RUN/open-data.log" 2>&1 </dev/null &
        echo $! >"$RUN/open-data.pid"
    )
}

start_nginx() {
    if [ ! -s "$RUN/tls.crt" ]; then
        # An ECDSA key: each new visitor's handshake costs nginx a fraction of an RSA one.
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
            -subj "/CN=localhost" \
            -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
            -keyout "$RUN/tls.key" -out "$RUN/tls.crt" 2>/dev/null
    fi
    local down1="" down2=""
    [ -e "$RUN/app1.drained" ] && down1=" down"
    [ -e "$RUN/app2.drained" ] && down2=" down"
    sed -e "s#@RUN@#$RUN#g" -e "s#@APP1@#$APP1_PORT#g" -e "s#@APP2@#$APP2_PORT#g" \
        -e "s#@APP1_DOWN@#$down1#g" -e "s#@APP2_DOWN@#$down2#g" \
        -e "s#@HTTP@#$HTTP_PORT#g" -e "s#@HTTPS@#$HTTPS_PORT#g" \
        -e "s#@STATIC@#$ROOT/staticfiles#g" -e "s#@OPEN_DATA@#$DIR/open-data#g" \
        -e "s#@MEDIA@#$DIR/media#g" \
        "$ROOT/deploy/nginx.conf.template" >"$RUN/nginx.conf"
    if [ -s "$RUN/nginx.pid" ] && kill -0 "$(cat "$RUN/nginx.pid")" 2>/dev/null; then
        nginx -c "$RUN/nginx.conf" -p "$RUN" -s reload
    else
        nginx -c "$RUN/nginx.conf" -p "$RUN"
    fi
    wait_for 10 nginx curl -kfsS "https://127.0.0.1:$HTTPS_PORT/healthz"
}

write_ports() {
    printf '%s\n' "CLUSTER_PRIMARY_PORT=$PRIMARY_PORT" "CLUSTER_REPLICA_PORT=$REPLICA_PORT" \
        "CLUSTER_REDIS_PORT=$REDIS_PORT" "CLUSTER_APP1_PORT=$APP1_PORT" \
        "CLUSTER_APP2_PORT=$APP2_PORT" "CLUSTER_HTTP_PORT=$HTTP_PORT" \
        "CLUSTER_HTTPS_PORT=$HTTPS_PORT" >"$DIR/ports"
}

start() {
    command -v redis-server >/dev/null || { say "cluster: redis-server is missing (apt-get install redis-server)"; exit 1; }
    command -v nginx >/dev/null || { say "cluster: nginx is missing (apt-get install nginx)"; exit 1; }
    mkdir -p "$RUN" "$DIR/open-data" "$DIR/media"
    rm -f "$RUN"/*.drained
    write_ports
    start_postgres
    start_redis
    write_env
    prepare_portal
    start_app app1 "$APP1_PORT"
    start_app app2 "$APP2_PORT"
    start_open_data
    start_nginx
    say "cluster: https://127.0.0.1:$HTTPS_PORT/ (self-signed certificate; curl -k)"
    say "  app servers http://127.0.0.1:$APP1_PORT and :$APP2_PORT, PostgreSQL primary :$PRIMARY_PORT"
    say "  and replica :$REPLICA_PORT, Redis :$REDIS_PORT; demo passwords in $DIR/passwords"
}

stop_pid() {  # stop_pid NAME
    local file="$RUN/$1.pid"
    if [ -s "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null; then
        local pid
        pid=$(cat "$file")
        kill "$pid"
        for _ in $(seq 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
    rm -f "$file"
}

stop() {
    [ -d "$RUN" ] || { say "cluster: not running"; return; }
    if [ -s "$RUN/nginx.pid" ]; then nginx -c "$RUN/nginx.conf" -p "$RUN" -s quit 2>/dev/null || true; fi
    stop_pid app1
    stop_pid app2
    # The open-data timer and the build it may be running: its own process group (setsid).
    if [ -s "$RUN/open-data.pid" ] && kill -0 "$(cat "$RUN/open-data.pid")" 2>/dev/null; then
        kill -- "-$(cat "$RUN/open-data.pid")" 2>/dev/null || true
    fi
    rm -f "$RUN/open-data.pid"
    stop_pid redis
    for node in replica primary; do
        if [ -d "$DIR/pg/$node" ] && as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/$node" status >/dev/null 2>&1; then
            as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/$node" -m fast -w stop >/dev/null
        fi
    done
    for _ in $(seq 40); do [ -s "$RUN/nginx.pid" ] || break; sleep 0.25; done
    say "cluster: stopped (data kept in $DIR; rm -rf it to start afresh)"
}

nginx_running() {
    [ -s "$RUN/nginx.pid" ] && kill -0 "$(cat "$RUN/nginx.pid")" 2>/dev/null
}

# A rolling release, one app server at a time: nginx stops sending it requests first (the
# server marked `down`, a graceful reload), then gunicorn ends those in flight and exits.
# No request is left to fail; a plain stop-app lets nginx find out by a failed request.
drain_app() {  # drain_app NAME
    touch "$RUN/$1.drained"
    if nginx_running; then start_nginx; sleep 1; fi
    stop_pid "$1"
}

back_in() {  # back_in NAME: started, then given requests again
    start_app "$1" "$(app_port "$1")"
    rm -f "$RUN/$1.drained"
    if nginx_running; then start_nginx; fi
}

status() {
    for name in nginx app1 app2 open-data redis; do
        if [ -s "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then
            say "$name: running (pid $(cat "$RUN/$name.pid"))"
        else
            say "$name: stopped"
        fi
    done
    for node in primary replica; do
        if [ -d "$DIR/pg/$node" ] && as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/$node" status >/dev/null 2>&1; then
            say "postgres $node: running"
        else
            say "postgres $node: stopped"
        fi
    done
}

case "${1:-}" in
    start) start ;;
    # One app server alone, as in a rolling release: stop-app waits for its requests in
    # flight (gunicorn's graceful SIGTERM); nginx sends the others to the other server.
    start-app) app_port "${2:-}" >/dev/null && back_in "$2" ;;
    stop-app) app_port "${2:-}" >/dev/null && stop_pid "$2" ;;
    drain-app) app_port "${2:-}" >/dev/null && drain_app "$2" ;;
    stop) stop ;;
    status) status ;;
    env) cat "$DIR/env" ;;
    *) say "usage: $0 start|stop|status|env|start-app app1|stop-app app1|drain-app app1" >&2; exit 2 ;;
esac
