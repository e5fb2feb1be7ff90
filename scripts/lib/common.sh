# Shared helpers for scripts/demo and scripts/test. Sourced, not run.
# Installs what is missing (Debian packages, pip packages) and nothing else; idempotent.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# ensure_debian_packages PKG... — installs the packages dpkg does not report as installed.
ensure_debian_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# python_bin — the Python interpreter to use (absolute path; PATH's python3 may be a slow shim).
python_bin() {
    local py
    py="$(command -v python3)"
    if command -v pyenv >/dev/null 2>&1; then
        py="$(pyenv which python3 2>/dev/null || echo "$py")"
    fi
    echo "$py"
}

# ensure_pip_packages IMPORT=PIP_NAME... — pip-installs each package whose module cannot be imported.
ensure_pip_packages() {
    local py missing=()
    py="$(python_bin)"
    for spec in "$@"; do
        local module="${spec%%=*}" name="${spec#*=}"
        "$py" -c "import $module" >/dev/null 2>&1 || missing+=("$name")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing pip packages: ${missing[*]}"
    "$py" -m pip install -q --disable-pip-version-check "${missing[@]}"
}

# ensure_swift — fails with a clear message when no Swift toolchain is present.
ensure_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        echo "error: no Swift toolchain found (expected /opt/swift/usr/bin/swift); install Swift 6.x first" >&2
        exit 1
    fi
}

# free_port — a free TCP port on 127.0.0.1 (asked from the kernel).
free_port() {
    "$(python_bin)" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# pg_bin_dir — the newest PostgreSQL server bin folder (Debian layout), or empty.
pg_bin_dir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

# start_test_postgres — installs PostgreSQL (Debian) if missing, starts a throw-away cluster on a free loopback
# port (fsync off: test data only) and exports SHOPARENA_TEST_PG_URL. The caller stops it with stop_test_postgres
# (scripts/test does so in an EXIT trap).
PG_TEST_DIR=""
PG_TEST_BIN=""
start_test_postgres() {
    if [ -z "$(pg_bin_dir)" ]; then
        ensure_debian_packages postgresql
    fi
    PG_TEST_BIN="$(pg_bin_dir)"
    if [ -z "$PG_TEST_BIN" ]; then
        echo "error: PostgreSQL is not installed and could not be installed (need initdb/pg_ctl)" >&2
        return 1
    fi
    PG_TEST_DIR="$(mktemp -d /tmp/shoparena-pg.XXXXXX)"
    local port
    port="$(free_port)"
    local as=()
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres:postgres "$PG_TEST_DIR"
        as=(runuser -u postgres --)
    fi
    "${as[@]}" "$PG_TEST_BIN/initdb" -D "$PG_TEST_DIR/data" -A trust -U postgres --no-sync >"$PG_TEST_DIR/initdb.log" 2>&1 || {
        cat "$PG_TEST_DIR/initdb.log" >&2
        return 1
    }
    "${as[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w \
        -o "-p $port -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null || {
        cat "$PG_TEST_DIR/log" >&2
        return 1
    }
    export SHOPARENA_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
    log "PostgreSQL test cluster on 127.0.0.1:$port ($PG_TEST_DIR)"
}

# stop_test_postgres — stops and removes the cluster started by start_test_postgres (safe to call twice).
stop_test_postgres() {
    [ -n "$PG_TEST_DIR" ] || return 0
    local as=()
    [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
    "${as[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
    PG_TEST_DIR=""
}
