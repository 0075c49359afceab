#!/usr/bin/env bash
# Create or update cartera_demo, then serve it in the foreground (Ctrl-C stops).
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/pg_up.sh"
ODOO_PORT=8069 "$ROOT/scripts/db_ensure.sh" cartera_demo
echo "Serving http://127.0.0.1:8069  (login admin / admin; Ctrl-C stops)"
# Threaded mode: the chat/notification long-polling is served on the same
# port, and wkhtmltopdf can call back into the server while it prints.
exec $ODOO $ODOO_DB_ARGS -d cartera_demo --db-filter='^cartera_demo$' \
    --http-interface=127.0.0.1 --http-port=8069 --max-cron-threads=1 \
    --limit-time-real=600
