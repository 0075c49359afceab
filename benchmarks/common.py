"""Shared settings of the benchmark scripts (generator, runner, contenders)."""
import os
from datetime import date
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PGHOST = os.environ.get("PGHOST", "/var/run/postgresql")
SCALE = os.environ.get("BENCH_SCALE", "small")
# small keeps the name of the issue; the other scales have their own
# databases so that switching scale never throws a built one away.
DB = os.environ.get("BENCH_DB") or {
    "tiny": "cartera_bench_tiny", "large": "cartera_bench_large"}.get(
        SCALE, "cartera_bench")
SEED = int(os.environ.get("BENCH_SEED", "42"))
# Bumped whenever the generator changes what it writes, so that a database
# built by an older generator is rebuilt instead of reused.
GENERATOR_VERSION = 6
# The data ends on a fixed day so that the same seed always gives the same
# rows, whatever the day the generator runs; three years of history.
END_DATE = date(2026, 11, 27)
YEARS = 3

# items: target number of journal items; partials follow from the payment
# behaviour (about 0.24 per item). followups: open ones, all closable;
# closed: one more tenth, sealed by a closing of the year before the data
# (rows of cartera_followup with state 'closed' and their closing_id).
SCALES = {
    "tiny": {"customers": 50, "items": 1000, "followups": 200,
             "closed": 20, "salespeople": 3},
    "small": {"customers": 1000, "items": 50000, "followups": 10000,
              "closed": 1000, "salespeople": 6},
    "large": {"customers": 5000, "items": 1000000, "followups": 100000,
              "closed": 10000, "salespeople": 12},
}

COLLECTOR_LOGIN = "bench_collector"
SALESPERSON_LOGIN = "bench_sales_%02d"


def connect(dbname=DB):
    """An autocommit connection: the scripts' own statements (CREATE
    DATABASE, VACUUM, counts) are not part of any measured transaction."""
    conn = psycopg2.connect(dbname=dbname, host=PGHOST)
    conn.autocommit = True
    return conn


def odoo_env_args(dbname=DB):
    return ["--addons-path=%s" % ROOT, "--db_host=%s" % PGHOST, "-d", dbname,
            "--log-level=warn"]
