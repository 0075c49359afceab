#!/usr/bin/env bash
# The addon's own tests through Odoo's own runner (--test-enable), as a
# runbot or OCA's CI runs them, on a fresh plain Odoo 11 database: account +
# l10n_generic_coa (USD, the generic chart), English only, Odoo's demo data on.
#   test_plain.sh [demo] [nodemo]        (default: both)
# demo:   the addon installed with its demo data; Odoo runs the at-install
#         tests right after installing it, then the post-install tests.
# nodemo: the addon installed without its demo data (the rest of the database
#         keeps Odoo's). Odoo 11 runs at-install tests only for a module
#         installed with demo data, so here the post-install tests run.
# The base (account + l10n_generic_coa + report_xlsx, the addon's OCA
# dependency) is built once into a template database keyed by the Odoo
# requirements and cloned. Each run writes test-output/plain-<variant>.log and
# a junit file test-output/plain-<variant>.xml; any failing or erroring test,
# any test class that fails to set up, a failed install or Odoo's "test
# failed" report fails the script.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
OUT=${CARTERA_TEST_OUTPUT:-$ROOT/test-output}
mkdir -p "$OUT"
PREFIX=${CARTERA_PLAIN_DB:-cartera_test_plain}
VARIANTS=("$@")
[ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=(demo nodemo)
FILESTORE=${ODOO_DATA_DIR:-$HOME/.local/share/Odoo}/filestore
BASE_MODULES=account,l10n_generic_coa,report_xlsx
TEMPLATE=cartera_plain_$( (cat "$ROOT/requirements.txt" "$ROOT/requirements-addons.txt"; echo "$BASE_MODULES") | sha256sum | cut -c1-8)
exists() { psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1; }
free_port() { "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

"$ROOT/scripts/pg_up.sh" || exit 1
# Shared by every checkout, as db_ensure.sh's.
exec 8>"/tmp/cartera-template-plain-$(id -u).lock"
flock 8
if ! exists "$TEMPLATE"; then
    echo "plain: building template $TEMPLATE ($BASE_MODULES, English, Odoo demo data; once)"
    t0=$(date +%s)
    dropdb --if-exists "${TEMPLATE}_tmp"
    rm -rf "${FILESTORE:?}/${TEMPLATE}_tmp"
    for old in $(psql -d postgres -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'cartera\_plain\_%' AND datname <> '$TEMPLATE'"); do
        dropdb "$old" && rm -rf "${FILESTORE:?}/$old"
    done
    $ODOO $ODOO_DB_ARGS -d "${TEMPLATE}_tmp" -i "$BASE_MODULES" \
        --max-cron-threads=0 --http-port="$(free_port)" \
        --stop-after-init --log-level=warn \
        || { echo "plain: could not build $TEMPLATE"; exit 1; }
    psql -d postgres -qc "ALTER DATABASE \"${TEMPLATE}_tmp\" RENAME TO \"$TEMPLATE\""
    rm -rf "${FILESTORE:?}/$TEMPLATE"
    [ ! -d "$FILESTORE/${TEMPLATE}_tmp" ] || mv "$FILESTORE/${TEMPLATE}_tmp" "$FILESTORE/$TEMPLATE"
    echo "plain: template built in $(( $(date +%s) - t0 )) s"
fi
flock -u 8

status=0
for variant in "${VARIANTS[@]}"; do
    case $variant in
        demo) extra=() ;;
        nodemo) extra=(--without-demo=all) ;;
        *) echo "plain: unknown variant $variant (demo, nodemo)"; exit 2 ;;
    esac
    DB=${PREFIX}_$variant
    LOG=$OUT/plain-$variant.log
    t0=$(date +%s)
    dropdb --if-exists "$DB"
    rm -rf "${FILESTORE:?}/$DB"
    createdb -T "$TEMPLATE" "$DB" || { echo "plain: could not create $DB"; status=1; continue; }
    [ ! -d "$FILESTORE/$TEMPLATE" ] || cp -a "$FILESTORE/$TEMPLATE" "$FILESTORE/$DB"
    if [ "$variant" = nodemo ]; then
        # Odoo 11 gives a module the demo flag of its installed dependencies:
        # mark it to install without demo data, then install it.
        "$VENV/bin/python" "$ROOT/scripts/plain_nodemo.py" "$DB" "$ADDONS_PATH" \
            || { echo "plain: could not mark the addon on $DB"; status=1; continue; }
    fi
    echo "plain: $variant: odoo -d $DB -i cartera_seguimiento --test-enable (log: ${LOG#"$ROOT"/})"
    rm -f "$LOG"
    $ODOO $ODOO_DB_ARGS -d "$DB" -i cartera_seguimiento "${extra[@]}" \
        --test-enable --stop-after-init --log-level=test \
        --max-cron-threads=0 --http-port="$(free_port)" --logfile="$LOG"
    rc=$?
    "$VENV/bin/python" "$ROOT/scripts/odoo_test_log.py" "$LOG" --rc "$rc" \
        --suite "plain-$variant" --junit "$OUT/plain-$variant.xml" \
        --seconds "$(( $(date +%s) - t0 ))" || status=1
done
exit $status
