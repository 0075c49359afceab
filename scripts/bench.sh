#!/usr/bin/env bash
# Benchmarks of issue 6 (make bench): build or reuse the benchmark database,
# bring the addon in it up to date with the working tree, then measure.
#   BENCH_SCALE=tiny|small|large BENCH_RUNS=5 [BENCH_DB=...] scripts/bench.sh
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
export BENCH_SCALE=${BENCH_SCALE:-small}
case $BENCH_SCALE in
    tiny) export BENCH_DB=${BENCH_DB:-cartera_bench_tiny} ;;
    large) export BENCH_DB=${BENCH_DB:-cartera_bench_large} ;;
    *) export BENCH_DB=${BENCH_DB:-cartera_bench} ;;
esac
"$ROOT/scripts/pg_up.sh"
# Two runs on one database measure each other, and a capped peer's cleanup
# would stop the other's queries: one at a time.
exec 9>"/tmp/cartera-bench-$BENCH_DB.lock"
if ! flock -n 9; then
    echo "bench: another benchmark is running on $BENCH_DB; wait for it" >&2
    exit 1
fi
"$VENV/bin/python" benchmarks/generate.py
# The data is reused from one run to the next, the code is not: measure the
# addon as it is now. A broken update leaves "ours" as it was installed (or
# n/a); the peers are measured regardless.
if ! $ODOO $ODOO_DB_ARGS -d "$BENCH_DB" -u cartera_seguimiento \
        --without-demo=all --stop-after-init --log-level=warn; then
    echo "bench: WARNING: could not update cartera_seguimiento in $BENCH_DB"
fi
exec "$VENV/bin/python" benchmarks/run.py
