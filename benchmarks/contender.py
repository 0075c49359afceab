"""One contender of one measure, in its own process (run by run.py).

    python benchmarks/contender.py MEASURE CONTENDER RUNS [ARG]

Loads the Odoo registry, runs the contender once to warm up and RUNS more
times, each in a transaction rolled back afterwards (so every run sees the
same data, and the peers' transient report rows never pile up), and prints
one JSON line per event on stdout: {"event": "start"|"run"|"result", ...}.
run.py watches the lines to cap a peer that runs too long.
"""
import json
import os
import resource
import sys
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import COLLECTOR_LOGIN, DB, ROOT, PGHOST  # noqa: E402

import odoo  # noqa: E402


def emit(**values):
    print(json.dumps(values, default=str), flush=True)


def peak_mib():
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def as_of(measure):
    today = date.today()
    if measure == "aging_backdated":
        try:
            return str(today.replace(year=today.year - 1))
        except ValueError:   # 29 February
            return str(today - timedelta(days=365))
    return str(today)


# ---------------------------------------------------------------------------
# Aging: each returns the grand total of the open receivables at the date.
# ---------------------------------------------------------------------------
ORACLE_SQL = """
    -- The naive yardstick of issue 6: every posted receivable item with a
    -- partner dated on or before D, minus what was matched by D.
    SELECT COALESCE(SUM(l.balance), 0)
           - COALESCE((SELECT SUM(p.amount)
                         FROM account_partial_reconcile p
                         JOIN account_move_line d ON d.id = p.debit_move_id
                         JOIN account_move dm ON dm.id = d.move_id
                         JOIN account_account da ON da.id = d.account_id
                        WHERE p.max_date <= %(d)s AND d.date <= %(d)s
                          AND dm.state = 'posted' AND d.partner_id IS NOT NULL
                          AND da.internal_type = 'receivable'
                          AND d.company_id = %(company)s), 0)
           + COALESCE((SELECT SUM(p.amount)
                         FROM account_partial_reconcile p
                         JOIN account_move_line c ON c.id = p.credit_move_id
                         JOIN account_move cm ON cm.id = c.move_id
                         JOIN account_account ca ON ca.id = c.account_id
                        WHERE p.max_date <= %(d)s AND c.date <= %(d)s
                          AND cm.state = 'posted' AND c.partner_id IS NOT NULL
                          AND ca.internal_type = 'receivable'
                          AND c.company_id = %(company)s), 0)
      FROM account_move_line l
      JOIN account_move m ON m.id = l.move_id
      JOIN account_account a ON a.id = l.account_id
     WHERE m.state = 'posted' AND a.internal_type = 'receivable'
       AND l.partner_id IS NOT NULL AND l.date <= %(d)s
       AND l.company_id = %(company)s
"""

# Reference only (issue 6): the stored residuals of today, plus what was
# matched after D, give the same totals without re-summing every partial.
STORED_SQL = """
    WITH items AS (
        SELECT l.id, l.amount_residual
          FROM account_move_line l
          JOIN account_move m ON m.id = l.move_id
          JOIN account_account a ON a.id = l.account_id
         WHERE m.state = 'posted' AND a.internal_type = 'receivable'
           AND l.partner_id IS NOT NULL AND l.date <= %(d)s
           AND l.company_id = %(company)s)
    SELECT (SELECT COALESCE(SUM(amount_residual), 0) FROM items
             WHERE amount_residual <> 0)
         + COALESCE((SELECT SUM(p.amount) FROM account_partial_reconcile p
                      JOIN items i ON i.id = p.debit_move_id
                     WHERE p.max_date > %(d)s), 0)
         - COALESCE((SELECT SUM(p.amount) FROM account_partial_reconcile p
                      JOIN items i ON i.id = p.credit_move_id
                     WHERE p.max_date > %(d)s), 0)
"""


def aging_oracle(env, day):
    env.cr.execute(ORACLE_SQL, {"d": day, "company": env.user.company_id.id})
    return {"total": float(env.cr.fetchone()[0])}


def aging_stored(env, day):
    env.cr.execute(STORED_SQL, {"d": day, "company": env.user.company_id.id})
    return {"total": float(env.cr.fetchone()[0])}


def aging_ours(env, day):
    rows = env["cartera.ar.report"].aging(day, period_length=30)
    return {"total": sum(row["total"] for row in rows),
            "partners": len(rows)}


def aging_core(env, day):
    report = env["report.account.report_agedpartnerbalance"]
    res, _total, _lines = report._get_partner_move_lines(
        ["receivable"], day, "posted", 30)
    return {"total": sum(v["total"] for v in res), "partners": len(res)}


def aging_oca(env, day):
    # As the wizard's "Export" buttons do, minus the rendering: the report
    # model computes its data into its transient tables.
    wizard = env["aged.partner.balance.wizard"].create({
        "date_at": day, "target_move": "posted",
        "receivable_accounts_only": True})
    wizard.onchange_type_accounts_only()
    report = env["report_aged_partner_balance"].create(
        wizard._prepare_report_aged_partner_balance())
    report.compute_data_for_report()
    return {"total": sum(report.account_ids.mapped("cumul_amount_residual")),
            "partners": len(report.account_ids.mapped("partner_ids"))}


# ---------------------------------------------------------------------------
# Movement over one year.
# ---------------------------------------------------------------------------
def year_range():
    today = date.today()
    return str(today - timedelta(days=365)), str(today)


def movement_ours(env, _day):
    date_from, date_to = year_range()
    rows = env["cartera.ar.report"].movement(date_from, date_to)
    return {"partners": len(rows)}


def movement_oca(env, _day):
    date_from, date_to = year_range()
    wizard = env["trial.balance.report.wizard"].create({
        "date_from": date_from, "date_to": date_to, "target_move": "posted",
        "show_partner_details": True})
    # The form's onchange: partner details imply receivable and payable
    # accounts only.
    wizard.onchange_show_partner_details()
    wizard.onchange_type_accounts_only()
    report = env["report_trial_balance"].create(
        wizard._prepare_report_trial_balance())
    report.compute_data_for_report()
    return {"partners": len(report.account_ids.mapped("partner_ids"))}


# ---------------------------------------------------------------------------
# Closing: each run closes the follow-ups of a date range, rolled back.
# ---------------------------------------------------------------------------
def closing_range(env, count):
    """The first day and the day that close ``count`` follow-ups (or all)."""
    env.cr.execute("SELECT min(date)::date, max(date)::date, count(*) "
                   "FROM (SELECT date FROM cartera_followup ORDER BY date, id "
                   "LIMIT %s) s", (count,))
    first, last, found = env.cr.fetchone()
    return str(first - timedelta(days=1)), str(last), found


def closing_count(env, count):
    env.cr.execute("SELECT count(*) FROM cartera_followup")
    return min(count, env.cr.fetchone()[0])


def closing_ours(env, count):
    date_from, date_to, _found = closing_range(env, count)
    env.cr.execute("SELECT count(*) FROM cartera_followup")
    before = env.cr.fetchone()[0]
    wizard = env["cartera.closing.wizard"].create({
        "date_from": date_from, "date_to": date_to})
    wizard.action_close()
    env.cr.execute("SELECT count(*) FROM cartera_followup")
    return {"rows": before - env.cr.fetchone()[0]}


HISTORY_SKIP = {"id", "create_uid", "create_date", "write_uid", "write_date"}


def closing_orm(env, count):
    """The per-row ORM baseline: what a closing written the ordinary way
    costs. For each follow-up: read it through the ORM (record rules and
    field conversion), write one history row with one INSERT statement
    (the history model refuses ORM writes by design, so this is the
    statement the ORM's create would issue, without its extra work: the
    baseline is flattered, not penalised), then unlink the follow-up
    through the ORM (mail, activities and rule checks as the UI would)."""
    date_from, date_to, _found = closing_range(env, count)
    followups = env["cartera.followup"].search([
        ("date", ">=", date_from), ("date", "<=", date_to + " 23:59:59")],
        order="date, id")
    history = env["cartera.followup.history"] \
        if "cartera.followup.history" in env else None
    columns = []
    if history is not None:
        env.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s", (history._table,))
        existing = {r[0] for r in env.cr.fetchall()}
        columns = [name for name, field in history._fields.items()
                   if field.store and name in existing and
                   name not in HISTORY_SKIP and
                   name in env["cartera.followup"]._fields and
                   field.type not in ("one2many", "many2many")]
    done = 0
    for rec in followups:
        values = rec.read(columns or ["name"])[0]
        if columns:
            row = [values[c][0] if isinstance(values[c], tuple) else
                   (values[c] if values[c] is not False else None)
                   for c in columns]
            env.cr.execute(
                'INSERT INTO "%s" (%s, create_uid, create_date) VALUES '
                '(%s, %%s, now() at time zone \'UTC\')' % (
                    history._table, ", ".join('"%s"' % c for c in columns),
                    ", ".join(["%s"] * len(columns))),
                row + [env.uid])
        rec.unlink()
        done += 1
    return {"rows": done}


# ---------------------------------------------------------------------------
# Capture list: the collector's first page of follow-ups.
# ---------------------------------------------------------------------------
def capture_ours(env, _arg):
    user = env["res.users"].search([("login", "=", COLLECTOR_LOGIN)])
    model = env["cartera.followup"].sudo(user)
    view = model.fields_view_get(view_type="tree")
    fields = list(view["fields"])
    rows = model.search_read([], fields, limit=80)
    return {"rows": len(rows)}


CONTENDERS = {
    ("aging", "ours"): aging_ours,
    ("aging", "core"): aging_core,
    ("aging", "oca"): aging_oca,
    ("aging", "oracle"): aging_oracle,
    ("aging", "stored"): aging_stored,
    ("movement", "ours"): movement_ours,
    ("movement", "oca"): movement_oca,
    ("closing", "ours"): closing_ours,
    ("closing", "orm"): closing_orm,
    ("capture", "ours"): capture_ours,
}


def main():
    measure, contender, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    arg = sys.argv[4] if len(sys.argv) > 4 else None
    family = measure.split("_")[0]
    func = CONTENDERS[(family, contender)]
    odoo.tools.config.parse_config(
        ["--addons-path=%s" % ROOT, "--db_host=%s" % PGHOST, "-d", DB,
         "--log-level=warn"])
    registry = odoo.registry(DB)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if family in ("aging", "movement"):
            param = as_of(measure)
        else:
            param = int(arg or 0)
        emit(event="ready", base_mib=peak_mib(), param=param)
        times, queries, result = [], None, None
        for i in range(runs + 1):       # run 0 is the warm-up
            env["res.users"].invalidate_cache()
            emit(event="start", run=i)
            count0 = cr.sql_log_count
            started = time.perf_counter()
            result = func(env, param)
            elapsed = time.perf_counter() - started
            queries = cr.sql_log_count - count0
            cr.rollback()
            if i:
                times.append(elapsed)
            emit(event="run", run=i, seconds=elapsed, queries=queries,
                 result=result)
            budget = float(os.environ.get("BENCH_BUDGET", "600"))
            if i == 0 and elapsed * runs > budget and runs > 1:
                # A slow peer: as many runs as fit in the budget (at least
                # one), recorded in the result.
                runs = max(1, int(budget // max(elapsed, 1e-9)))
            if i >= runs:
                break
        times.sort()
        median = times[len(times) // 2] if len(times) % 2 else \
            (times[len(times) // 2 - 1] + times[len(times) // 2]) / 2
        emit(event="result", seconds=median, runs=len(times), times=times,
             queries=queries, peak_mib=peak_mib(), result=result)


if __name__ == "__main__":
    main()
