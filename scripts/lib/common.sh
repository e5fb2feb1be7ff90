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
