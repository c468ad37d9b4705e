#!/usr/bin/env bash
# A private PostgreSQL cluster in a directory, for scripts/run.sh and scripts/test.sh.
#
# Sourced:  source scripts/lib/pg.sh
#           pg_start [--throwaway] DIR   # create if absent, start (or adopt if running)
#           pg_stop DIR                  # fast shutdown; no-op when not running
#           ensure_packages SPEC...      # apt-get install what is missing (see below)
# Run:      scripts/lib/pg.sh start [--throwaway] DIR   (prints the connection string)
#           scripts/lib/pg.sh stop|status|url DIR
#           scripts/lib/pg.sh psql DIR [psql args...]   (superuser shell over the socket)
#
# After pg_start these are set (and exported):
#   PG_CONNECTION_STRING  Npgsql string for role+database `pipeline` over 127.0.0.1
#   PG_LOCAL_CONNECTION_STRING  the same over the unix socket: for processes of this OS user
#                        on this machine (the server's own user, or root). It skips TCP on
#                        loopback, which cost about a quarter of the CPU in the workflow benchmark
#   PG_PORT, PG_BINDIR, PG_SOCKET_DIR, PG_OS_USER
#   PG_STARTED            1 if this call started the server, 0 if it was already running
#
# Layout of DIR:
#   pgdata/              the cluster, owned by the OS user the server runs as
#   run/                 unix socket directory (0700, same owner). Local connections are
#                        `trust`, so this directory's mode is what keeps them private.
#   log/postgres.log     server log
#   port                 TCP port of the last start, reused while it is free
#   mode                 `private` (scram-sha-256 over TCP) or `throwaway` (trust, no fsync)
#   secrets/db_password  password of role `pipeline` (0600; private mode only)
#
# PostgreSQL refuses to run as root, so as root the server runs as the system user
# $PG_OS_USER (default `pipeline`, created when missing). The server only listens on
# 127.0.0.1. The bootstrap superuser is `postgres` and is only reachable over the socket.

# Callers may set these before sourcing/calling.
: "${PG_OS_USER:=pipeline}"
# PG_SERVER_OPTIONS   more server settings for a start, e.g. "-c shared_preload_libraries=pg_stat_statements"

pg__log() { printf 'pg: %s\n' "$*" >&2; }
pg__die() { printf 'pg: error: %s\n' "$*" >&2; return 1; }

# Run a command as root: directly when we are root, else through sudo when available.
pg__as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        pg__die "need root to run: $*"
    fi
}

# ensure_packages SPEC...
#   SPEC is `package` (installed when dpkg does not know it) or `package:command`
#   (installed when `command` is not on PATH). `postgresql` counts as present when
#   server binaries are found (see pg_find_bindir). Missing packages are installed in
#   one apt-get call; `apt-get update` runs at most once per shell.
ensure_packages() {
    local spec pkg cmd missing=()
    for spec in "$@"; do
        pkg=${spec%%:*}
        cmd=
        [[ $spec == *:* ]] && cmd=${spec#*:}
        if [[ $pkg == postgresql ]]; then
            pg_find_bindir >/dev/null 2>&1 && continue
        elif [[ -n $cmd ]]; then
            command -v "$cmd" >/dev/null 2>&1 && continue
        else
            dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' && continue
        fi
        missing+=("$pkg")
    done
    ((${#missing[@]} > 0)) || return 0

    command -v apt-get >/dev/null ||
        pg__die "missing: ${missing[*]} (no apt-get here; install them by hand)" || return
    local aptlog rc=0
    aptlog=$(mktemp)
    pg__log "installing with apt: ${missing[*]} (log: $aptlog)"
    if [[ " ${missing[*]} " == *" postgresql "* ]]; then
        # Debian's postgresql package creates and starts a 'main' cluster on 5432 by
        # default. We never use it; this documented knob stops it being created.
        if pg__as_root mkdir -p /etc/postgresql-common/createcluster.d; then
            echo 'create_main_cluster = false' |
                pg__as_root tee /etc/postgresql-common/createcluster.d/00-pipeline-no-main.conf \
                    >/dev/null || true
        fi
    fi
    if [[ -z ${_PG_APT_UPDATED:-} ]]; then
        pg__as_root apt-get update -q >>"$aptlog" 2>&1 || rc=$?
        _PG_APT_UPDATED=1
    fi
    if ((rc == 0)); then
        pg__as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$aptlog" 2>&1 || rc=$?
    fi
    if ((rc != 0)); then
        tail -n 30 "$aptlog" >&2
        pg__die "apt-get failed (exit $rc); full log: $aptlog"
        return
    fi
    rm -f "$aptlog"
}

# Print the newest PostgreSQL server bin directory. $PG_BINDIR wins when it is valid.
pg_find_bindir() {
    local d
    if [[ -n ${PG_BINDIR:-} && -x ${PG_BINDIR}/pg_ctl ]]; then
        echo "$PG_BINDIR"
        return 0
    fi
    d=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pg_ctl' 2>/dev/null |
        sort -V | tail -n 1)
    if [[ -n $d ]]; then
        echo "${d%/pg_ctl}"
        return 0
    fi
    # Non-Debian layouts: pg_ctl on PATH.
    d=$(command -v pg_ctl 2>/dev/null) || return 1
    dirname "$d"
}

pg_ensure_binaries() {
    pg_find_bindir >/dev/null 2>&1 || ensure_packages postgresql || return
    pg_find_bindir >/dev/null || pg__die "no PostgreSQL binaries found after installing"
}

# The bin directory matching an existing cluster's major version.
pg__bindir_for() {
    local pgdata=$1 ver bindir have
    bindir=$(pg_find_bindir) || return
    [[ -f $pgdata/PG_VERSION ]] || { echo "$bindir"; return 0; }
    ver=$(<"$pgdata/PG_VERSION")
    if [[ -x /usr/lib/postgresql/$ver/bin/pg_ctl ]]; then
        echo "/usr/lib/postgresql/$ver/bin"
        return 0
    fi
    have=$("$bindir/postgres" --version | sed -E 's/.* ([0-9]+)[.0-9]*.*/\1/')
    [[ $have == "$ver" ]] ||
        pg__die "$pgdata is a PostgreSQL $ver cluster but only PostgreSQL $have binaries are installed" ||
        return
    echo "$bindir"
}

# Absolute, symlink-free path (the directory is created).
pg__abs() { mkdir -p "$1" && (cd "$1" && pwd -P); }

# The OS user the server of DIR runs as: the owner of an existing pgdata; else ourselves,
# or $PG_OS_USER (created when missing) when we are root.
pg__os_user() {
    local pgdata=$1/pgdata owner
    if [[ -e $pgdata ]]; then
        owner=$(stat -c %U "$pgdata")
        if [[ $owner != root ]]; then
            echo "$owner"
            return 0
        fi
    fi
    if [[ $EUID -ne 0 ]]; then
        id -un
        return 0
    fi
    if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
        pg__log "creating system user $PG_OS_USER"
        useradd --system --user-group --home-dir /nonexistent --no-create-home \
            --shell /usr/sbin/nologin "$PG_OS_USER" || return
    fi
    echo "$PG_OS_USER"
}

# pg__as USER CMD...: run CMD as USER (from / so a private cwd does not get in the way).
pg__as() {
    local user=$1
    shift
    if [[ $user == "$(id -un)" ]]; then
        (cd / && "$@")
    elif [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u "$user" -- "$@")
    else
        pg__die "cluster belongs to $user; run as $user or root"
    fi
}

# The server user must be able to reach DIR. As root, repo paths often sit below
# directories only root may enter (/root, a mktemp dir). Grant search (x) permission,
# and only on the directories that lack it: via an ACL entry for that one user when
# setfacl exists, else o+x (search only, no listing).
pg__make_traversable() {
    local dir=$1 user=$2 d path='' parts
    [[ $EUID -eq 0 && $user != root ]] || return 0
    IFS=/ read -ra parts <<<"$dir"
    for d in "${parts[@]}"; do
        [[ -n $d ]] || continue
        path+=/$d
        runuser -u "$user" -- test -x "$path" && continue
        if command -v setfacl >/dev/null && setfacl -m "u:$user:x" "$path" 2>/dev/null; then
            pg__log "granted $user search permission on $path (ACL)"
        else
            chmod o+x "$path" || return
            pg__log "chmod o+x $path so that $user can reach $dir"
        fi
    done
}

# The socket directory: DIR/run, unless that path is too long for a unix socket
# (sun_path is 108 bytes), then a per-DIR directory under /tmp.
pg__socket_dir() {
    local dir=$1
    if ((${#dir} + 22 < 100)); then
        echo "$dir/run"
    else
        echo "/tmp/pipeline-pg-$(printf %s "$dir" | cksum | cut -d' ' -f1)"
    fi
}

# True when nothing accepts connections on 127.0.0.1:PORT.
pg__port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The recorded port when it is still free, else a free one outside the kernel's
# ephemeral range (32768-60999), so outgoing connections do not collide with it.
pg__pick_port() {
    local dir=$1 p i
    if [[ -f $dir/port ]]; then
        p=$(<"$dir/port")
        [[ $p =~ ^[0-9]+$ ]] && pg__port_free "$p" && { echo "$p"; return 0; }
    fi
    for ((i = 0; i < 100; i++)); do
        p=$((15432 + RANDOM % 16000))
        pg__port_free "$p" && { echo "$p"; return 0; }
    done
    pg__die "no free TCP port found"
}

# PIDs of every process of this cluster. All PostgreSQL processes chdir into the data
# directory, so /proc/PID/cwd identifies them without relying on ps/pgrep.
pg__cluster_pids() {
    local pgdata=$1 p
    for p in /proc/[0-9]*; do
        [[ $(readlink "$p/cwd" 2>/dev/null) == "$pgdata" ]] && echo "${p#/proc/}"
    done
    return 0
}

# True when the postmaster recorded in postmaster.pid is alive and really ours (the
# PID of a killed server may have been reused by an unrelated process).
pg__running() {
    local pgdata=$1 pid
    [[ -f $pgdata/postmaster.pid ]] || return 1
    pid=$(head -n 1 "$pgdata/postmaster.pid")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$pgdata" ]]
}

# After a kill -9: let orphaned backends notice their postmaster is gone (they exit
# within a second or two), kill any that linger, then drop the stale postmaster.pid.
pg__recover_stale() {
    local pgdata=$1 i pids
    [[ -f $pgdata/postmaster.pid ]] || return 0
    pg__log "stale postmaster.pid in $pgdata (server was killed?); recovering"
    for ((i = 0; i < 50; i++)); do
        pids=$(pg__cluster_pids "$pgdata")
        [[ -z $pids ]] && break
        sleep 0.2
    done
    if [[ -n $pids ]]; then
        pg__log "killing leftover server processes: ${pids//$'\n'/ }"
        # shellcheck disable=SC2086  # word splitting intended: a list of PIDs
        kill -KILL $pids 2>/dev/null || true
        sleep 0.5
    fi
    rm -f "$pgdata/postmaster.pid"
}

# pg_start [--throwaway] DIR
pg_start() {
    local mode=private
    if [[ ${1:-} == --throwaway ]]; then
        mode=throwaway
        shift
    fi
    [[ -n ${1:-} ]] || { pg__die "usage: pg_start [--throwaway] DIR"; return; }
    local dir user pgdata sock bindir port password='' extra attempt logsize
    pg_ensure_binaries || return
    dir=$(pg__abs "$1") || return
    pgdata=$dir/pgdata
    user=$(pg__os_user "$dir") || return
    [[ $EUID -eq 0 || $user == "$(id -un)" ]] ||
        pg__die "$pgdata belongs to $user; run as $user or root" || return
    pg__make_traversable "$dir" "$user" || return
    bindir=$(pg__bindir_for "$pgdata") || return

    # Directories the server writes to belong to its user; the rest stays with the caller.
    sock=$(pg__socket_dir "$dir")
    mkdir -p "$pgdata" "$dir/log" "$sock" || return
    if [[ $user != "$(id -un)" ]]; then
        chown "$user:" "$dir/log" "$sock" || return
        [[ -f $pgdata/PG_VERSION ]] || chown "$user:" "$pgdata" || return
    fi
    chmod 700 "$sock" || return
    [[ $(stat -c %U "$sock") == "$user" ]] ||
        pg__die "socket directory $sock is not owned by $user" || return

    if [[ -f $pgdata/PG_VERSION ]]; then
        # An existing cluster keeps the mode it was created with.
        [[ -f $dir/mode ]] && mode=$(<"$dir/mode")
    else
        [[ -z $(ls -A "$pgdata") ]] ||
            pg__die "$pgdata is not empty but holds no cluster; remove it" || return
        pg__log "initdb $pgdata ($mode, as $user)"
        local hostauth=scram-sha-256
        [[ $mode == throwaway ]] && hostauth=trust
        pg__as "$user" "$bindir/initdb" -D "$pgdata" -U postgres -E UTF8 --locale=C \
            --auth-local=trust --auth-host="$hostauth" >"$dir/log/initdb.log" 2>&1 ||
            { tail -n 20 "$dir/log/initdb.log" >&2; pg__die "initdb failed"; return; }
        echo "$mode" >"$dir/mode"
    fi

    if [[ $mode == private ]]; then
        # Alphanumeric only: it goes into a connection string and into SQL unquoted.
        (umask 077 && mkdir -p "$dir/secrets") || return
        if [[ ! -s $dir/secrets/db_password ]]; then
            (umask 077 && head -c 48 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' |
                head -c 32 >"$dir/secrets/db_password") || return
        fi
        chmod 600 "$dir/secrets/db_password"
        password=$(<"$dir/secrets/db_password")
        extra=
    else
        # Throwaway data: durability is not worth the fsyncs. Commits still wait for their WAL write (no
        # synchronous_commit=off): without fsync that costs a write(), while an asynchronous commit signals the
        # WAL writer each time, which made the workflow benchmark slower (4 side-by-side pairs, 2026-12-02).
        extra="-c fsync=off -c full_page_writes=off"
    fi
    extra="$extra ${PG_SERVER_OPTIONS:-}"

    PG_STARTED=0
    if pg__running "$pgdata"; then
        # Left running (e.g. by a killed run.sh): adopt it with the port it listens on.
        port=$(sed -n 4p "$pgdata/postmaster.pid")
        sock=$(sed -n 5p "$pgdata/postmaster.pid")
        pg__log "already running on port $port; reusing it"
    else
        pg__recover_stale "$pgdata"
        # Log rotation, the simple way: keep one previous log.
        [[ -f $dir/log/postgres.log && $(stat -c %s "$dir/log/postgres.log") -gt 10000000 ]] &&
            mv -f "$dir/log/postgres.log" "$dir/log/postgres.log.1"
        for attempt in 1 2 3; do
            port=$(pg__pick_port "$dir") || return
            logsize=$(stat -c %s "$dir/log/postgres.log" 2>/dev/null || echo 0)
            # In a session of its own: a Ctrl-C at the terminal must reach run.sh, which stops
            # the silos before the database, not the database directly.
            if pg__as "$user" setsid -w "$bindir/pg_ctl" start -w -t 60 -s -D "$pgdata" \
                -l "$dir/log/postgres.log" \
                -o "-p $port -k '$sock' -c listen_addresses=127.0.0.1 -c max_connections=300 $extra"; then
                PG_STARTED=1
                break
            fi
            # Lost a race for the port: try another one. Anything else is fatal.
            if tail -c +"$((logsize + 1))" "$dir/log/postgres.log" 2>/dev/null |
                grep -q 'could not bind\|Address already in use' && ((attempt < 3)); then
                pg__log "port $port was taken meanwhile; trying another"
                rm -f "$dir/port"
                continue
            fi
            tail -c +"$((logsize + 1))" "$dir/log/postgres.log" 2>/dev/null | tail -n 20 >&2
            pg__die "PostgreSQL did not start; log: $dir/log/postgres.log"
            return
        done
        pg__log "started on 127.0.0.1:$port (data: $pgdata)"
    fi
    echo "$port" >"$dir/port"

    # Role and database `pipeline` (idempotent). The password is set on every start,
    # so a lost or edited secrets file heals itself.
    local rolesql
    if [[ $mode == private ]]; then
        rolesql="ALTER ROLE pipeline WITH LOGIN NOSUPERUSER PASSWORD '$password';"
    else
        # Tests create a database per test class.
        rolesql="ALTER ROLE pipeline WITH LOGIN SUPERUSER;"
    fi
    pg__as "$user" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" \
        -U postgres -d postgres >/dev/null <<SQL || { pg__die "could not create role/database"; return; }
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pipeline') THEN CREATE ROLE pipeline; END IF;
END \$\$;
$rolesql
SELECT 'CREATE DATABASE pipeline OWNER pipeline'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'pipeline') \gexec
SQL

    PG_PORT=$port
    PG_BINDIR=$bindir
    PG_SOCKET_DIR=$sock
    PG_OS_USER=$user
    PG_CONNECTION_STRING="Host=127.0.0.1;Port=$port;Username=pipeline;${password:+Password=$password;}Database=pipeline"
    # Npgsql takes a Host that starts with / as the socket's directory; Port names the socket file.
    PG_LOCAL_CONNECTION_STRING="Host=$sock;Port=$port;Username=pipeline;Database=pipeline"
    export PG_PORT PG_BINDIR PG_SOCKET_DIR PG_OS_USER PG_STARTED PG_CONNECTION_STRING PG_LOCAL_CONNECTION_STRING
}

# pg_stop DIR: fast shutdown (rolls back open transactions, no waiting for clients).
pg_stop() {
    [[ -n ${1:-} && -d $1 ]] || return 0
    local dir pgdata user bindir
    dir=$(cd "$1" && pwd -P) || return
    pgdata=$dir/pgdata
    pg__running "$pgdata" || { pg__recover_stale "$pgdata"; return 0; }
    user=$(stat -c %U "$pgdata")
    bindir=$(pg__bindir_for "$pgdata") || return
    if ! pg__as "$user" "$bindir/pg_ctl" stop -D "$pgdata" -m fast -w -t 60 -s; then
        pg__log "fast shutdown timed out; forcing immediate shutdown"
        pg__as "$user" "$bindir/pg_ctl" stop -D "$pgdata" -m immediate -w -t 30 -s || return
    fi
}

# Print the connection string of DIR (it must have been started once).
pg_connection_string() {
    local dir=$1 pw=
    [[ -f $dir/port ]] || { pg__die "$dir has no cluster"; return; }
    [[ -f $dir/secrets/db_password ]] && pw=$(<"$dir/secrets/db_password")
    echo "Host=127.0.0.1;Port=$(<"$dir/port");Username=pipeline;${pw:+Password=$pw;}Database=pipeline"
}

# Command-line use: scripts/lib/pg.sh start|stop|status|url|psql DIR
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    set -euo pipefail
    cmd=${1:-}
    shift || true
    case $cmd in
    start)
        pg_start "$@"
        echo "$PG_CONNECTION_STRING"
        ;;
    stop) pg_stop "${1:?DIR}" ;;
    status)
        d=$(cd "${1:?DIR}" && pwd -P)
        if pg__running "$d/pgdata"; then
            echo "running on port $(sed -n 4p "$d/pgdata/postmaster.pid")"
        else
            echo "not running"
            exit 3
        fi
        ;;
    url) pg_connection_string "${1:?DIR}" ;;
    psql)
        d=$(cd "${1:?DIR}" && pwd -P)
        shift
        pg__running "$d/pgdata" || pg__die "not running"
        pg__as "$(stat -c %U "$d/pgdata")" "$(pg__bindir_for "$d/pgdata")/psql" -X \
            -h "$(sed -n 5p "$d/pgdata/postmaster.pid")" -p "$(sed -n 4p "$d/pgdata/postmaster.pid")" \
            -U postgres -d pipeline "$@"
        ;;
    *)
        echo "usage: $0 start [--throwaway] DIR | stop DIR | status DIR | url DIR | psql DIR [args]" >&2
        exit 2
        ;;
    esac
fi
