#!/usr/bin/env bash
# Create (first time) or update (later) an Odoo database with the addon:
#   db_ensure.sh DBNAME [--fresh] [--without-demo]
# Spanish (es_CO) is loaded and set for admin; a Colombian company in COP with
# the l10n_co chart of accounts. The base part (account + l10n_co + es_CO,
# without Odoo's own English demo data) is built once into a template database
# keyed by the Odoo requirements, so that fresh databases are cloned from it in
# seconds. The addon's own demo portfolio is installed unless --without-demo.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/pg_up.sh"
DB=$1; shift
FRESH=0; DEMO=1
for a in "$@"; do
    case $a in
        --fresh) FRESH=1 ;;
        --without-demo) DEMO=0 ;;
    esac
done
FILESTORE=${ODOO_DATA_DIR:-$HOME/.local/share/Odoo}/filestore
exists() { psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1; }
TEMPLATE=cartera_base_$(cat "$ROOT/requirements.txt" "$ROOT/scripts/db_base.py" | sha256sum | cut -c1-8)_d0
# One template build at a time, however many scripts run at once, from any
# checkout (worktrees share the PostgreSQL server and its templates).
exec 9>"/tmp/cartera-template-$(id -u).lock"
flock 9
if ! exists "$TEMPLATE"; then
    echo "db: building template $TEMPLATE (account + l10n_co + es_CO; once)"
    dropdb --if-exists "${TEMPLATE}_tmp"
    rm -rf "${FILESTORE:?}/${TEMPLATE}_tmp"
    # Templates of older requirements are of no further use.
    for old in $(psql -d postgres -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'cartera\_base\_%' AND datname NOT LIKE '${TEMPLATE%_d*}%'"); do
        dropdb "$old" && rm -rf "${FILESTORE:?}/$old"
    done
    $ODOO $ODOO_DB_ARGS -d "${TEMPLATE}_tmp" -i l10n_co --without-demo=all \
        --load-language=es_CO --stop-after-init --log-level=warn
    "$VENV/bin/python" "$ROOT/scripts/db_base.py" "${TEMPLATE}_tmp"
    psql -d postgres -qc "ALTER DATABASE \"${TEMPLATE}_tmp\" RENAME TO \"$TEMPLATE\""
    rm -rf "${FILESTORE:?}/$TEMPLATE"
    [ ! -d "$FILESTORE/${TEMPLATE}_tmp" ] || mv "$FILESTORE/${TEMPLATE}_tmp" "$FILESTORE/$TEMPLATE"
fi
flock -u 9
if [ $FRESH = 1 ] && exists "$DB"; then
    dropdb "$DB"
fi
[ $FRESH = 0 ] || rm -rf "${FILESTORE:?}/$DB"
if ! exists "$DB"; then
    createdb -T "$TEMPLATE" "$DB"
    # The filestore goes with the database (web assets live there).
    rm -rf "${FILESTORE:?}/$DB"
    [ ! -d "$FILESTORE/$TEMPLATE" ] || cp -a "$FILESTORE/$TEMPLATE" "$FILESTORE/$DB"
    if [ $DEMO = 1 ]; then
        # Odoo installs a module with demo data when its row says so; the
        # base modules of the template stay without theirs.
        psql -d "$DB" -qc "UPDATE ir_module_module SET demo = true WHERE name = 'cartera_seguimiento'"
    fi
    $ODOO $ODOO_DB_ARGS -d "$DB" -i cartera_seguimiento --stop-after-init --log-level=warn
else
    "$VENV/bin/python" "$ROOT/scripts/db_upgrade.py" "$DB" "$ADDONS_PATH"
fi
# The web client's PDF printing: wkhtmltopdf fetches the CSS from here.
psql -d "$DB" -qc "UPDATE ir_config_parameter SET value='http://127.0.0.1:${ODOO_PORT:-8069}' WHERE key='web.base.url';
INSERT INTO ir_config_parameter (key, value, create_date, write_date) SELECT 'web.base.url.freeze', 'True', now(), now() WHERE NOT EXISTS (SELECT 1 FROM ir_config_parameter WHERE key='web.base.url.freeze');"
