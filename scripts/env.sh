# Shared settings for the project's scripts (sourced, not executed).
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
VENV=$ROOT/.venv
BVENV=$ROOT/.venv-browser
export PATH="$ROOT/.node/node_modules/.bin:$VENV/bin:$PATH"
ODOO="$VENV/bin/python $ROOT/scripts/odoo-bin"
ADDONS_PATH="$ROOT"
PGHOST=${PGHOST:-/var/run/postgresql}
export PGHOST
ODOO_DB_ARGS="--db_host=$PGHOST --addons-path=$ADDONS_PATH"
