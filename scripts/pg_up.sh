#!/usr/bin/env bash
# Start the local PostgreSQL cluster if it is down and make sure the current
# user has a superuser role (Odoo refuses to run as `postgres`).
set -euo pipefail
if ! pg_isready -q -h /var/run/postgresql 2>/dev/null; then
    ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
    if ! pg_lsclusters -h | grep -q "^$ver main"; then
        pg_createcluster "$ver" main >/dev/null
    fi
    pg_ctlcluster "$ver" main start
    for _ in $(seq 1 30); do pg_isready -q -h /var/run/postgresql && break; sleep 1; done
fi
me=$(id -un)
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$me'\"" | grep -q 1; then
    su postgres -c "psql -qc 'CREATE ROLE \"$me\" SUPERUSER LOGIN'"
fi
