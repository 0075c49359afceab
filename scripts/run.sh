#!/usr/bin/env bash
# Create or update cartera_demo, then serve it in the foreground (Ctrl-C stops).
# A local mail catcher (maildev, from npm) receives what the demo sends: its
# SMTP listens on 127.0.0.1 only and its web page shows each message with its
# attachments, so statements and notifications can be seen without a real
# mail server.
set -euo pipefail
source "$(dirname "$0")/env.sh"
MAIL_SMTP_PORT=${CARTERA_MAIL_SMTP_PORT:-1025}
MAIL_WEB_PORT=${CARTERA_MAIL_WEB_PORT:-1080}
"$ROOT/scripts/pg_up.sh"
ODOO_PORT=8069 "$ROOT/scripts/db_ensure.sh" cartera_demo

mkdir -p "$ROOT/.run"
maildev_pid=""
if ! (exec 3<>/dev/tcp/127.0.0.1/"$MAIL_SMTP_PORT") 2>/dev/null; then
    "$ROOT/.node/node_modules/.bin/maildev" --ip 127.0.0.1 \
        --smtp "$MAIL_SMTP_PORT" --web "$MAIL_WEB_PORT" \
        > "$ROOT/.run/maildev.log" 2>&1 &
    maildev_pid=$!
    trap '[ -z "$maildev_pid" ] || kill "$maildev_pid" 2>/dev/null || true' EXIT
fi
# The demo's outgoing mail server is the catcher (created once, kept in step).
psql -d cartera_demo -q -v port="$MAIL_SMTP_PORT" <<'SQL'
UPDATE ir_mail_server SET smtp_host = '127.0.0.1', smtp_port = :port,
       smtp_encryption = 'none', active = true
 WHERE name = 'Buzón local (maildev)';
INSERT INTO ir_mail_server (name, smtp_host, smtp_port, smtp_encryption,
                            sequence, active, create_date, write_date)
SELECT 'Buzón local (maildev)', '127.0.0.1', :port, 'none', 1, true,
       now() at time zone 'UTC', now() at time zone 'UTC'
 WHERE NOT EXISTS (SELECT 1 FROM ir_mail_server
                    WHERE name = 'Buzón local (maildev)');
SQL
cat <<BANNER
Serving http://127.0.0.1:8069  (login admin / admin; collectors camila / camila,
andres / andres; manager luisa / luisa; Ctrl-C stops)
Mail sent by the demo (statements, notifications) arrives at
http://127.0.0.1:${MAIL_WEB_PORT}/index.html  (maildev, SMTP 127.0.0.1:${MAIL_SMTP_PORT})
BANNER
# Threaded mode: the chat/notification long-polling is served on the same
# port, and wkhtmltopdf can call back into the server while it prints. Not
# exec'd: the trap stops the mail catcher when the server stops.
$ODOO $ODOO_DB_ARGS -d cartera_demo --db-filter='^cartera_demo$' \
    --http-interface=127.0.0.1 --http-port=8069 --max-cron-threads=1 \
    --limit-time-real=600
