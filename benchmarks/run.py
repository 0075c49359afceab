"""Run the benchmarks of issue 6 against the generated database and write
benchmarks/results/local/latest.json (and a copy named after the scale),
which git ignores; `make bench-record` copies them to benchmarks/results/.

    BENCH_SCALE=tiny|small|large BENCH_RUNS=5 python benchmarks/run.py

Every contender runs in its own process (benchmarks/contender.py): a warm-up,
then BENCH_RUNS timed runs, the median reported. A peer that runs longer than
the cap (10 minutes at large) is killed and reported at the cap with
``capped: true``. A measure whose model is not in the database yet is "n/a".
"""
import contextlib
import json
import os
import platform
import re
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from http.cookiejar import CookieJar

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DB, END_DATE, PGHOST, ROOT, SCALE, connect  # noqa: E402

HERE = ROOT / "benchmarks"
RESULTS = HERE / "results" / "local"
PYTHON = str(ROOT / ".venv/bin/python")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
CAP = float(os.environ.get("BENCH_CAP", "600" if SCALE == "large" else "0"))
PEERS = ("core", "oca", "orm")
MEASURES = ["aging_today", "aging_backdated", "movement_year", "kpis_year",
            "closing_10000", "closing_100000", "closing_month",
            "capture_list", "pdf_aging",
            "promises_evaluate", "agenda_collector", "agenda_manager",
            "statements_all", "dunning_selection", "dunning_letters",
            "interest"]
ORM_DONE = {}
CONTENDERS = set(filter(None, os.environ.get(
    "BENCH_CONTENDERS", "").split(",")))
PDF_PAGE = re.compile(rb"/Type\s*/Page[^s]")


def log(msg, *args):
    print("bench: " + (msg % args if args else msg), flush=True)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    name = line.split(":", 1)[1].strip()
                    return "%s, %d cores" % (name, os.cpu_count())
    except OSError:
        pass
    return platform.processor()


def db():
    return connect(DB)


def has_model(name):
    with db() as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM ir_model WHERE model = %s", (name,))
        return bool(cr.fetchone())


def scalar(query, params=()):
    conn = db()
    try:
        with conn.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchone()[0]
    finally:
        conn.close()


def rows_of(query, params=()):
    conn = db()
    try:
        with conn.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall()
    finally:
        conn.close()


# The tables a closing writes (the ORM loop writes the chatter too). Every
# closing run is rolled back and leaves its rows dead in them and in their
# indexes (600,000 follow-up row versions after one 100,000-row measure):
# each contender starts from the data as generated instead.
CLOSING_TABLES = ("cartera_followup", "cartera_closing", "mail_activity",
                  "mail_message", "mail_followers", "ir_attachment")
# The capture list's first page with the batch read of 11.0.1.2.0 (its own
# read of the list's fields, since removed), as recorded in
# benchmarks/results/ before 11.0.2.0.0: the figure Odoo's own read is
# reported beside.
BATCH_READ_MS = {"small": 29.77, "large": 36.48}


def vacuum(tables):
    conn = db()
    try:
        with conn.cursor() as cr:
            # Table names come from the constant above.
            cr.execute("VACUUM ANALYZE %s" % ", ".join(tables))
    finally:
        conn.close()


def contender(measure, name, arg=None, cap=0.0):
    """Run one contender in its own process; its result dict, or None when
    it failed. With ``cap``, a run longer than it kills the process and the
    result is the cap, flagged."""
    cmd = [PYTHON, str(HERE / "contender.py"), measure, name, str(RUNS)]
    if arg is not None:
        cmd.append(str(arg))
    env = dict(os.environ, BENCH_DB=DB)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env,
                            start_new_session=True)
    result, started, buf, backend = None, None, b"", None
    try:
        while True:
            wait = None
            if cap and started is not None:
                wait = max(0.0, started + cap - time.time())
                if wait == 0.0:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                    # The killed process's query goes on in PostgreSQL until
                    # it next writes to the client: stop it (its parallel
                    # workers go with it), or it loads the machine under
                    # every measure that follows. Only its own backend: any
                    # other client of the database is left alone.
                    if backend:
                        scalar("SELECT pg_terminate_backend(%s)", (backend,))
                    log("%s %s: capped at %.0f s", measure, name, cap)
                    return {"seconds": cap, "capped": True, "queries": None,
                            "peak_mib": None, "runs": 0, "result": {}}
            ready, _, _ = select.select([proc.stdout], [], [], wait)
            if not ready:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                try:
                    event = json.loads(line.decode())
                except ValueError:
                    continue
                if event["event"] == "ready":
                    backend = event.get("backend_pid")
                elif event["event"] == "start":
                    started = time.time()
                elif event["event"] == "run":
                    started = None
                elif event["event"] == "result":
                    result = event
    finally:
        if proc.poll() is None:
            proc.wait()
    if proc.returncode or result is None:
        log("%s %s: failed (exit %s)", measure, name, proc.returncode)
        return None
    result["capped"] = False
    return result


def ratio(num, den):
    if num is None or not den:
        return None
    return round(num / den, 2)


def total_of(res):
    return res and res.get("result", {}).get("total")


def kept_entry(out, measure):
    """The entry a measure starts from: BENCH_CONTENDERS=ours,oracle
    re-measures some contenders and keeps the others' figures from the last
    run of the scale; a full run starts afresh."""
    entry = dict(out.get(measure, {})) if CONTENDERS else {}
    entry.setdefault("capped", False)
    return entry


def note_cap(entry, name, res):
    """A capped peer holds the cap as its time; the entry says which cap."""
    entry["%s_capped" % name] = res["capped"]
    if res["capped"]:
        entry["cap_s"] = CAP
    entry["capped"] = any(entry.get("%s_capped" % peer) for peer in PEERS)


def measure_aging(measure, out):
    ours = has_model("cartera.ar.report")
    entry = kept_entry(out, measure)
    for name in ("oracle", "stored", "ours", "core", "oca"):
        if name == "ours" and not ours:
            continue
        if CONTENDERS and name not in CONTENDERS:
            continue
        res = contender(measure, name, cap=CAP if name in PEERS else 0)
        if not res:
            continue
        entry["%s_s" % name] = round(res["seconds"], 4)
        entry["%s_queries" % name] = res["queries"]
        entry["%s_peak_mib" % name] = res["peak_mib"] and round(
            res["peak_mib"], 1)
        entry["%s_total" % name] = total_of(res)
        entry["%s_runs" % name] = res["runs"]
        note_cap(entry, name, res)
        log("%s %-6s %8.3f s %6s queries  total %s", measure, name,
            res["seconds"], res["queries"], total_of(res))
    if ours:
        entry["queries"] = entry.get("ours_queries")
        entry["peak_mib"] = entry.get("ours_peak_mib")
        entry["ratio_oracle"] = ratio(entry.get("ours_s"),
                                      entry.get("oracle_s"))
        entry["ratio_core"] = ratio(entry.get("core_s"), entry.get("ours_s"))
        entry["ratio_oca"] = ratio(entry.get("oca_s"), entry.get("ours_s"))
    else:
        entry.update(ours_s="n/a", queries="n/a", peak_mib="n/a",
                     ratio_oracle="n/a", ratio_core="n/a", ratio_oca="n/a")
    totals = {k[:-6]: v for k, v in entry.items()
              if k.endswith("_total") and v is not None}
    ref = totals.get("oracle")
    entry["totals_agree"] = ref is not None and all(
        abs(v - ref) < 0.005 for v in totals.values())
    out[measure] = entry


def measure_movement(out):
    ours = has_model("cartera.ar.report")
    entry = kept_entry(out, "movement_year")
    for name in ("ours", "oca"):
        if name == "ours" and not ours:
            continue
        if CONTENDERS and name not in CONTENDERS:
            continue
        res = contender("movement_year", name, cap=CAP if name in PEERS
                        else 0)
        if not res:
            continue
        entry["%s_s" % name] = round(res["seconds"], 4)
        entry["%s_queries" % name] = res["queries"]
        entry["%s_peak_mib" % name] = res["peak_mib"] and round(
            res["peak_mib"], 1)
        entry["%s_partners" % name] = res["result"].get("partners")
        entry["%s_runs" % name] = res["runs"]
        note_cap(entry, name, res)
        log("movement_year %-6s %8.3f s %6s queries", name, res["seconds"],
            res["queries"])
    if ours:
        entry["queries"] = entry.get("ours_queries")
        entry["peak_mib"] = entry.get("ours_peak_mib")
        entry["ratio_oca"] = ratio(entry.get("oca_s"), entry.get("ours_s"))
    else:
        entry.update(ours_s="n/a", queries="n/a", peak_mib="n/a",
                     ratio_oca="n/a")
    out["movement_year"] = entry


def measure_kpis(out):
    """kpis() over the last year (issue 15: under 2 s at large), beside the
    same figures computed customer by customer through the ORM."""
    ours = has_model("cartera.kpi.month")
    entry = kept_entry(out, "kpis_year")
    for name in ("ours", "orm"):
        if name == "ours" and not ours:
            continue
        if CONTENDERS and name not in CONTENDERS:
            continue
        res = contender("kpis_year", name, cap=CAP if name in PEERS else 0)
        if not res:
            continue
        entry["%s_s" % name] = round(res["seconds"], 4)
        entry["%s_queries" % name] = res["queries"]
        entry["%s_peak_mib" % name] = res["peak_mib"] and round(
            res["peak_mib"], 1)
        entry["%s_total" % name] = total_of(res)
        entry["%s_figures" % name] = res["result"]
        entry["%s_runs" % name] = res["runs"]
        note_cap(entry, name, res)
        log("kpis_year %-6s %8.3f s %6s queries  closing %s", name,
            res["seconds"], res["queries"], total_of(res))
    if ours:
        entry["queries"] = entry.get("ours_queries")
        entry["peak_mib"] = entry.get("ours_peak_mib")
        entry["ratio_orm"] = ratio(entry.get("orm_s"), entry.get("ours_s"))
        mine, theirs = entry.get("ours_figures"), entry.get("orm_figures")
        entry["figures_agree"] = bool(mine and theirs) and all(
            (mine[key] is None and theirs[key] is None)
            or (mine[key] is not None and theirs[key] is not None
                and abs(mine[key] - theirs[key]) < 0.005)
            for key in mine)
    else:
        entry.update(ours_s="n/a", queries="n/a", peak_mib="n/a",
                     ratio_orm="n/a")
    out["kpis_year"] = entry


def measure_closing(count, out):
    key = "closing_%d" % count
    available = scalar(
        "SELECT count(*) FROM cartera_followup WHERE state = 'open'")
    if count > available and SCALE == "tiny" and count == 10000:
        count = available   # the smoke test closes what it has
    if count > available:
        out[key] = {"ours_s": "n/a", "note": "only %d open follow-ups at "
                    "%s" % (available, SCALE)}
        return
    if not has_model("cartera.closing.wizard"):
        out[key] = {"ours_s": "n/a", "orm_s": "n/a", "queries": "n/a",
                    "ratio_orm": "n/a", "capped": False}
        return
    entry = kept_entry(out, key)
    # The ORM loop runs on 10,000 rows only (issue 6), also when our
    # closing moves 100,000: the ratio is per row. "delete": our closing
    # with its activities deleted by the raw DELETE of 11.0.4.1.0 instead
    # of the ORM's unlink (a yardstick).
    for name in ("ours", "delete", "orm"):
        if CONTENDERS and name not in CONTENDERS:
            continue
        rows = min(count, 10000) if name == "orm" else count
        if name == "orm" and rows in ORM_DONE:
            # The same 10,000-row loop as closing_10000's: measured once.
            res = ORM_DONE[rows]
            entry["orm_note"] = "ORM loop on %d rows, shared with " \
                "closing_%d" % (rows, rows)
        else:
            vacuum(CLOSING_TABLES)
            res = contender(key, name, arg=rows,
                            cap=CAP if name in PEERS else 0)
        if not res:
            continue
        if name == "orm":
            ORM_DONE[rows] = res
        else:
            # Where our time goes (in the median run: locks, the one
            # UPDATE, the activities), and the chatter the closed
            # follow-ups kept.
            for key_ in ("steps_s", "messages", "followers"):
                entry["%s_%s" % (name, key_)] = res["result"].get(key_)
            entry["%s_times_s" % name] = [round(t, 3) for t in
                                          res.get("times") or ()]
        moved = res["result"].get("rows") or rows
        entry["%s_s" % name] = round(res["seconds"], 4)
        entry["%s_rows" % name] = moved
        entry["%s_queries" % name] = res["queries"]
        entry["%s_runs" % name] = res["runs"]
        entry["%s_peak_mib" % name] = res["peak_mib"] and round(
            res["peak_mib"], 1)
        entry["%s_ms_per_row" % name] = round(1000 * res["seconds"] / moved,
                                              4) if moved else None
        note_cap(entry, name, res)
        log("%s %-6s %8.3f s %6s queries, %s rows", key, name,
            res["seconds"], res["queries"], moved)
    entry["queries"] = entry.get("ours_queries")
    entry["peak_mib"] = entry.get("ours_peak_mib")
    entry["ratio_orm"] = ratio(entry.get("orm_ms_per_row"),
                               entry.get("ours_ms_per_row"))
    out[key] = entry


def measure_closing_month(out):
    """The closing of the data's last whole month (October 2026: the data
    ends on 27 November) with its open activities deleted through the ORM
    (ours) and by the raw DELETE that did it before (delete, a
    yardstick): the same closing otherwise, each run rolled back."""
    month = (END_DATE.replace(day=1) - timedelta(days=1))
    first = month.replace(day=1)
    bounds = (first.isoformat(), (month + timedelta(days=1)).isoformat())
    entry = {"month": first.strftime("%Y-%m")}
    entry["followups"] = scalar(
        "SELECT count(*) FROM cartera_followup WHERE state = 'open' "
        "AND date >= %s AND date < %s", bounds)
    entry["activities"] = scalar(
        "SELECT count(*) FROM mail_activity a JOIN cartera_followup f "
        "ON a.res_model = 'cartera.followup' AND a.res_id = f.id "
        "WHERE f.state = 'open' AND f.date >= %s AND f.date < %s", bounds)
    if not entry["followups"] or not has_model("cartera.closing.wizard"):
        entry["ours_s"] = "n/a"
        out["closing_month"] = entry
        return
    for name in ("ours", "delete"):
        if CONTENDERS and name not in CONTENDERS:
            continue
        vacuum(CLOSING_TABLES)
        res = contender("closing_month", name, arg=entry["month"])
        if not res:
            continue
        steps = res["result"].get("steps_s") or {}
        entry["%s_s" % name] = round(res["seconds"], 4)
        entry["%s_rows" % name] = res["result"].get("rows")
        entry["%s_queries" % name] = res["queries"]
        entry["%s_steps_s" % name] = steps
        entry["%s_activities_s" % name] = steps.get("close_activities")
        entry["%s_times_s" % name] = [round(t, 3) for t in
                                      res.get("times") or ()]
        log("closing_month %s %-6s %8.3f s (activities %s s) %6s queries, "
            "%s rows, %s activities", entry["month"], name, res["seconds"],
            steps.get("close_activities"), res["queries"],
            res["result"].get("rows"), entry["activities"])
    entry["queries"] = entry.get("ours_queries")
    entry["ratio_delete"] = ratio(entry.get("ours_s"), entry.get("delete_s"))
    entry["ratio_delete_activities"] = ratio(
        entry.get("ours_activities_s"), entry.get("delete_activities_s"))
    out["closing_month"] = entry


def measure_capture(out):
    """Captura's first page (open follow-ups) read with Odoo's own
    search_read, beside the batch read it replaced: as recorded then, and
    measured now on the same data and machine (a reference contender)."""
    res = contender("capture_list", "ours")
    if not res:
        out["capture_list"] = {"ours_ms": "n/a"}
        return
    batch = None
    if not CONTENDERS or "batch" in CONTENDERS:
        batch = contender("capture_list", "batch")
    out["capture_list"] = {
        "batch_now_ms": batch and round(1000 * batch["seconds"], 2),
        "batch_now_queries": batch and batch["queries"],
        "ratio_batch": batch and ratio(res["seconds"], batch["seconds"]),
        "ours_ms": round(1000 * res["seconds"], 2), "queries": res["queries"],
        "read": "odoo search_read, domain of the Captura action",
        "batch_read_ms": BATCH_READ_MS.get(SCALE),
        "times_ms": [round(1000 * t, 2) for t in res.get("times") or ()],
        "rows": res["result"].get("rows"),
        "length": res["result"].get("length"),
        "total_followups": scalar("SELECT count(*) FROM cartera_followup"),
        "open_followups": scalar(
            "SELECT count(*) FROM cartera_followup WHERE state = 'open'")}
    log("capture_list %.2f ms, %s queries (batch read of 11.0.1.2.0: %s ms "
        "recorded, %s ms now)", 1000 * res["seconds"], res["queries"],
        BATCH_READ_MS.get(SCALE),
        out["capture_list"]["batch_now_ms"])


# The per-promise ORM loop judges the promises of the first customers
# holding this many (all of them when fewer): the ratio is per promise.
PROMISE_ORM_ROWS = int(os.environ.get("BENCH_PROMISE_ORM_ROWS", "1000"))


def measure_promises(out):
    """evaluate() over every generated promise as the daily job runs it
    (the day after a first judgement, committed once; every run rolled
    back), against a per-promise ORM loop on a subset."""
    if not has_model("cartera.promise"):
        out["promises_evaluate"] = {"ours_s": "n/a"}
        return
    count = scalar("SELECT count(*) FROM cartera_promise")
    if not count:
        out["promises_evaluate"] = {"ours_s": "n/a", "note": "no promises "
                                    "in the data (generator before 6)"}
        return
    entry = kept_entry(out, "promises_evaluate")
    entry["promises"] = count
    if not scalar("SELECT count(*) FROM cartera_promise "
                  "WHERE evaluated_on IS NOT NULL"):
        # The day before: every generated promise judged for the first
        # time, committed (once per database), as the daily job leaves it.
        day = str(END_DATE - timedelta(days=1))
        res = contender("promises_judge", "judge", arg=day)
        if res:
            entry["first_judgement"] = dict(res["result"], day=day)
            log("promises: first judgement as of %s: %s", day,
                res["result"])
    subset = min(count, PROMISE_ORM_ROWS)
    for name in ("ours", "orm"):
        if CONTENDERS and name not in CONTENDERS:
            continue
        vacuum(("cartera_promise", "mail_activity", "mail_message"))
        res = contender("promises_evaluate", name, arg=subset,
                        cap=CAP if name in PEERS else 0)
        if not res:
            continue
        result = res["result"]
        rows = result.get("rows") or 0
        entry["%s_s" % name] = round(res["seconds"], 4)
        entry["%s_rows" % name] = rows
        entry["%s_queries" % name] = res["queries"]
        entry["%s_runs" % name] = res["runs"]
        entry["%s_peak_mib" % name] = res["peak_mib"] and round(
            res["peak_mib"], 1)
        entry["%s_ms_per_row" % name] = round(
            1000 * res["seconds"] / rows, 4) if rows else None
        entry["%s_subset" % name] = result.get("subset")
        if name == "ours":
            for key in ("steps", "counts", "again_s", "again_queries",
                        "next_day_s", "next_day_queries", "next_day_counts",
                        "failed_customers", "notify_queued",
                        "notify_customers", "notify_s", "notify_queries"):
                entry["ours_%s" % key] = result.get(key)
        note_cap(entry, name, res)
        log("promises_evaluate %-6s %8.3f s %6s queries, %s promises",
            name, res["seconds"], res["queries"], rows)
    entry["queries"] = entry.get("ours_queries")
    entry["peak_mib"] = entry.get("ours_peak_mib")
    entry["ratio_orm"] = ratio(entry.get("orm_ms_per_row"),
                               entry.get("ours_ms_per_row"))
    entry["orm_note"] = "ORM loop on the %s promises of the first " \
        "customers, extrapolated per promise" % entry.get("orm_rows")
    entry["subset_agree"] = entry.get("ours_subset") is not None and \
        entry.get("ours_subset") == entry.get("orm_subset")
    out["promises_evaluate"] = entry


def measure_agenda(who, out):
    """The agenda's first page as the web client reads it, as a collector
    and as a manager, against per-customer ORM reads of the same rows."""
    measure = "agenda_%s" % who
    if not has_model("cartera.agenda"):
        out[measure] = {"ours_ms": "n/a"}
        return
    entry = kept_entry(out, measure)
    for name in ("ours", "orm"):
        if CONTENDERS and name not in CONTENDERS:
            continue
        res = contender(measure, name, arg=who,
                        cap=CAP if name in PEERS else 0)
        if not res:
            continue
        result = res["result"]
        entry["%s_ms" % name] = round(1000 * res["seconds"], 2)
        entry["%s_queries" % name] = res["queries"]
        entry["%s_runs" % name] = res["runs"]
        entry["%s_peak_mib" % name] = res["peak_mib"] and round(
            res["peak_mib"], 1)
        entry["%s_rows" % name] = result.get("rows")
        entry["%s_length" % name] = result.get("length")
        entry["%s_page" % name] = result.get("page")
        note_cap(entry, name, res)
        log("%s %-5s %10.2f ms %6s queries, %s of %s rows", measure, name,
            1000 * res["seconds"], res["queries"], result.get("rows"),
            result.get("length"))
    entry["queries"] = entry.get("ours_queries")
    entry["peak_mib"] = entry.get("ours_peak_mib")
    entry["ratio_orm"] = ratio(entry.get("orm_ms"), entry.get("ours_ms"))
    # The same customers in the same order with the same amounts.
    entry["pages_agree"] = entry.get("ours_page") is not None and \
        entry.get("ours_page") == entry.get("orm_page")
    out[measure] = entry


# ---------------------------------------------------------------------------
# PDF through a live server (as tests/conftest.py's OdooServer).
# ---------------------------------------------------------------------------
def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def aging_report():
    """The aging PDF report the reports engineer defines: an
    ir.actions.report of this addon whose name speaks of aging."""
    conn = db()
    try:
        with conn.cursor() as cr:
            cr.execute("""
                SELECT r.report_name, r.model FROM ir_act_report_xml r
                  JOIN ir_model_data d ON d.model = 'ir.actions.report'
                   AND d.res_id = r.id AND d.module = 'cartera_seguimiento'
                 WHERE r.report_type = 'qweb-pdf'
                   AND (r.report_name ILIKE '%%aging%%'
                        OR r.model ILIKE '%%aging%%')
                 ORDER BY r.id LIMIT 1""")
            return cr.fetchone()
    finally:
        conn.close()


@contextlib.contextmanager
def live_server(name):
    """A live two-worker server on the benchmark database, wkhtmltopdf
    fetching the report CSS from it; yields (url, opener, rpc) logged in
    as admin."""
    port = free_port()
    url = "http://127.0.0.1:%d" % port
    with db() as conn, conn.cursor() as cr:
        cr.execute("DELETE FROM ir_config_parameter WHERE key = 'report.url'")
        cr.execute("INSERT INTO ir_config_parameter (key, value) VALUES "
                   "('report.url', %s)", (url,))
    logfile = RESULTS / ("server-%s-%s.log" % (name, SCALE))
    env = dict(os.environ)
    env["PATH"] = "%s:%s:%s" % (ROOT / ".node/node_modules/.bin",
                                ROOT / ".venv/bin", env.get("PATH", ""))
    proc = subprocess.Popen([
        PYTHON, str(ROOT / "scripts/odoo-bin"), "--addons-path=%s" % ROOT,
        "--db_host=%s" % PGHOST, "-d", DB, "--db-filter=^%s$" % DB,
        "--http-interface=127.0.0.1", "--http-port=%d" % port,
        "--longpolling-port=%d" % free_port(), "--workers=2",
        "--max-cron-threads=0", "--limit-time-real=1200",
        "--limit-time-cpu=1200", "--limit-memory-soft=2147483648",
        "--limit-memory-hard=4294967296", "--logfile=%s" % logfile],
        env=env, start_new_session=True)
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()))
        deadline = time.time() + 120
        while True:
            try:
                opener.open(url + "/web/login", timeout=5)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("server did not start; see %s"
                                       % logfile)
                time.sleep(0.5)

        def rpc(path, params):
            body = json.dumps({"jsonrpc": "2.0", "method": "call",
                               "params": params}).encode()
            req = urllib.request.Request(
                url + path, body, {"Content-Type": "application/json"})
            reply = json.loads(opener.open(req, timeout=1200).read())
            if "error" in reply:
                raise RuntimeError(reply["error"])
            return reply["result"]

        rpc("/web/session/authenticate",
            {"db": DB, "login": "admin", "password": "admin"})
        yield url, opener, rpc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def measure_pdf(out):
    found = aging_report()
    if not found:
        out["pdf_aging"] = {"pages": "n/a", "pages_per_s": "n/a",
                            "note": "no aging PDF report in the addon yet"}
        return
    report_name, model = found
    try:
        with live_server("pdf") as (url, opener, rpc):
            # The wizard with its defaults: all customers, as of today.
            wizard_id = rpc("/web/dataset/call_kw", {
                "model": model, "method": "create", "args": [{}],
                "kwargs": {}})
            pdf_url = "%s/report/pdf/%s/%d" % (url, report_name, wizard_id)
            warm = time.perf_counter()
            opener.open(pdf_url, timeout=1200).read()   # warm-up
            warm = time.perf_counter() - warm
            # Three timed fetches, one when a fetch takes minutes (large).
            times, pages = [], 0
            for _ in range(1 if warm > 60 else max(1, min(RUNS, 3))):
                started = time.perf_counter()
                data = opener.open(pdf_url, timeout=1200).read()
                times.append(time.perf_counter() - started)
                pages = len(PDF_PAGE.findall(data))
            times.sort()
            seconds = times[len(times) // 2]
            out["pdf_aging"] = {"pages": pages, "seconds": round(seconds, 3),
                                "pages_per_s": round(pages / seconds, 2),
                                "report": report_name}
            log("pdf_aging %d pages in %.2f s", pages, seconds)
    except Exception as error:  # the other measures still get written
        out["pdf_aging"] = {"pages": "n/a", "pages_per_s": "n/a",
                            "error": str(error)[:300]}
        log("pdf_aging failed: %s", error)


STATEMENT_REPORT = "cartera_seguimiento.report_statement"


def ours_figures(ours):
    """A contender's time, queries and peak memory, as an entry holds
    them."""
    return {"ours_s": round(ours["seconds"], 3), "queries": ours["queries"],
            "peak_mib": round(ours["peak_mib"], 1)}


def measure_statements(out):
    """Statements of account for every customer that owes: ours is the
    wizard's action_send (its time is the wizard's return) and the run's
    cron rendering them and queueing their mails, in a contender process
    (rolled back, nothing sent); the yardstick prints them one by one
    through the report's URL, as a user would from the customer form,
    on the same live server that serves wkhtmltopdf its CSS."""
    entry = {}
    try:
        with live_server("statements") as (url, opener, rpc):
            # One by one, over HTTP: a sample at the larger scales (the
            # rate is what is compared).
            customers = [row[0] for row in rows_of(
                "SELECT partner_id FROM account_move_line l "
                "JOIN account_account a ON a.id = l.account_id "
                "WHERE a.internal_type = 'receivable' "
                "AND l.amount_residual <> 0 AND l.partner_id IS NOT NULL "
                "GROUP BY partner_id ORDER BY partner_id")]
            sample = customers[:int(os.environ.get(
                "BENCH_STATEMENT_SAMPLE", "100"))]
            opener.open("%s/report/pdf/%s/%d" % (
                url, STATEMENT_REPORT, sample[0]), timeout=1200).read()
            pages, started = 0, time.perf_counter()
            for partner_id in sample:
                data = opener.open("%s/report/pdf/%s/%d" % (
                    url, STATEMENT_REPORT, partner_id), timeout=1200).read()
                pages += len(PDF_PAGE.findall(data))
            seconds = time.perf_counter() - started
            entry.update({
                "one_by_one_s": round(seconds, 3),
                "one_by_one_customers": len(sample),
                "one_by_one_pages": pages,
                "one_by_one_pages_per_s": round(pages / seconds, 2)})
            # After the prints above, which built the report's asset bundles
            # (their first print commits them, which a rolled-back run must
            # not see).
            ours = contender("statements_all", "ours")
            if ours:
                result = ours["result"]
                entry.update(ours_figures(ours))
                entry.update({
                    "customers": result["customers"],
                    "queued": result["queued"],
                    "pages": result["pages"],
                    "wizard_s": round(result["wizard_s"], 3),
                    "rendering_s": round(result["rendering_s"], 3),
                    "rendering_peak_mib": round(
                        result["rendering_peak_mib"], 1),
                    "rss_mib_by_customers": result["rss_mib_by_customers"],
                    "batch_size": result["batch_size"],
                    "budget_s": result["budget_s"],
                    # The rate of the cron's rendering and queueing.
                    "pages_per_s": round(
                        result["pages"] / max(result["rendering_s"], 1e-9),
                        2)})
            if entry.get("pages_per_s"):
                entry["ratio_one_by_one"] = ratio(
                    entry["pages_per_s"], entry["one_by_one_pages_per_s"])
            log("statements_all %s", entry)
    except Exception as error:  # the other measures still get written
        entry["error"] = str(error)[:300]
        log("statements_all failed: %s", error)
    out["statements_all"] = entry


# The per-item ORM yardstick of the collection run decides for the items of
# the first customers holding this many open items.
DUNNING_ORM_ROWS = int(os.environ.get("BENCH_DUNNING_ORM_ROWS", "500"))


def measure_ours_orm(out, measure, step, ours_keys, arg):
    """The entry of a measure of ours against a per-item ORM loop on a
    sample: ours' timed ``step`` and its queries, the loop's time per item,
    their ratio, and whether both decided the same on the sample
    (``subset``); ``ours_keys``: more figures of ours' result kept."""
    entry = kept_entry(out, measure)
    for name in ("ours", "orm"):
        if CONTENDERS and name not in CONTENDERS:
            continue
        res = contender(measure, name, arg=arg,
                        cap=CAP if name in PEERS else 0)
        if not res:
            continue
        result = res["result"]
        entry["%s_runs" % name] = res["runs"]
        entry["%s_peak_mib" % name] = res["peak_mib"] and round(
            res["peak_mib"], 1)
        entry["%s_subset" % name] = result.get("subset")
        if name == "ours":
            seconds, queries = result["steps"][step]
            entry["ours_s"] = seconds
            entry["ours_queries"] = queries
            entry["ours_total_s"] = round(res["seconds"], 4)
            entry["ours_rows"] = result.get("items")
            for key in ("steps",) + ours_keys:
                entry["ours_%s" % key] = result.get(key)
        else:
            entry["orm_s"] = round(res["seconds"], 4)
            entry["orm_queries"] = res["queries"]
            entry["orm_rows"] = result.get("rows")
        rows = entry.get("%s_rows" % name)
        entry["%s_ms_per_row" % name] = round(
            1000 * entry["%s_s" % name] / rows, 5) if rows else None
        note_cap(entry, name, res)
        log("%s %-5s %8.3f s %6s queries, %s items", measure, name,
            entry["%s_s" % name], entry.get("%s_queries" % name), rows)
    entry["queries"] = entry.get("ours_queries")
    entry["peak_mib"] = entry.get("ours_peak_mib")
    entry["ratio_orm"] = ratio(entry.get("orm_ms_per_row"),
                               entry.get("ours_ms_per_row"))
    entry["subset_agree"] = entry.get("ours_subset") is not None and \
        entry.get("ours_subset") == entry.get("orm_subset")
    return entry


def measure_dunning_selection(out):
    """A collection run's selection (``action_compute``) over every open
    item, a plan with five levels created inside each rolled-back run,
    against a per-item ORM loop taking the same decisions on a sample."""
    if not has_model("cartera.dunning.run"):
        out["dunning_selection"] = {"ours_s": "n/a"}
        return
    entry = measure_ours_orm(
        out, "dunning_selection", "compute",
        ("lines", "next_day_s", "next_day_queries", "next_day_lines"),
        DUNNING_ORM_ROWS)
    entry["orm_note"] = "ORM loop on the %s open items of the first " \
        "customers, per item; ours: action_compute alone (the plan's " \
        "set-up apart, ours_total_s with it)" % entry.get("orm_rows")
    out["dunning_selection"] = entry


INTEREST_ORM_ROWS = int(os.environ.get("BENCH_INTEREST_ORM_ROWS", "500"))


def measure_interest(out):
    """Late-payment interest (issue 26): ``interest()`` as of the data's
    last day for every customer, the certified rates of every month typed
    inside each rolled-back run, against an item-by-item, day-by-day ORM
    loop over the items of the first customers; both must give the same
    interest, item by item, on that sample."""
    if not has_model("cartera.interest.rate"):
        out["interest"] = {"ours_s": "n/a"}
        return
    entry = measure_ours_orm(out, "interest", "interest",
                             ("customers", "months", "total"),
                             INTEREST_ORM_ROWS)
    entry["orm_note"] = "ORM loop, day by day, on the %s receivable " \
        "items of the first customers, per item; ours: interest() alone " \
        "for every customer (the rates' set-up apart, ours_total_s with " \
        "it)" % entry.get("orm_rows")
    ours, orm = entry.get("ours_subset"), entry.get("orm_subset")
    if ours is not None and orm is not None:
        entry["subset_items"] = len(ours)
    out["interest"] = entry


def fmt(value, unit=""):
    if value is None:
        return "-"
    if isinstance(value, float):
        return ("%.3f" % value if value < 10 else "%.1f" % value) + unit
    return str(value) + unit


def print_table(out):
    cols = ["ours_s", "oracle_s", "stored_s", "core_s", "oca_s", "orm_s",
            "ratio_oracle", "ratio_core", "ratio_oca", "ratio_orm",
            "queries", "peak_mib", "capped"]
    print("\n%-16s" % "measure" + "".join("%13s" % c for c in cols))
    for measure in MEASURES:
        entry = out.get(measure, {})
        if measure == "capture_list":
            print("%-16s ours_ms=%s batch_now_ms=%s batch_read_ms=%s" % (
                measure, entry.get("ours_ms"), entry.get("batch_now_ms"),
                entry.get("batch_read_ms")))
            continue
        if measure.startswith("agenda_"):
            print("%-16s ours_ms=%s orm_ms=%s ratio_orm=%s queries=%s "
                  "orm_queries=%s rows=%s/%s pages_agree=%s" % (
                      measure, entry.get("ours_ms"), entry.get("orm_ms"),
                      entry.get("ratio_orm"), entry.get("queries"),
                      entry.get("orm_queries"), entry.get("ours_rows"),
                      entry.get("ours_length"), entry.get("pages_agree")))
            continue
        if measure == "closing_month":
            print("%-16s month=%s followups=%s activities=%s ours_s=%s "
                  "delete_s=%s activities ours/delete=%s/%s s "
                  "queries ours/delete=%s/%s" % (
                      measure, entry.get("month"), entry.get("followups"),
                      entry.get("activities"), entry.get("ours_s"),
                      entry.get("delete_s"), entry.get("ours_activities_s"),
                      entry.get("delete_activities_s"),
                      entry.get("ours_queries"), entry.get("delete_queries")))
            continue
        if measure == "pdf_aging":
            print("%-16s pages=%s pages_per_s=%s" % (
                measure, entry.get("pages"), entry.get("pages_per_s")))
            continue
        if measure == "statements_all":
            print("%-16s customers=%s queued=%s pages=%s pages_per_s=%s "
                  "wizard_s=%s peak_mib=%s one_by_one_pages_per_s=%s" % (
                      measure, entry.get("customers"), entry.get("queued"),
                      entry.get("pages"),
                      entry.get("pages_per_s"), entry.get("wizard_s"),
                      entry.get("peak_mib"),
                      entry.get("one_by_one_pages_per_s")))
            continue
        if measure == "dunning_letters":
            print("%-16s customers=%s pages=%s pages_per_s=%s sending_s=%s "
                  "rendering_pages_per_s=%s peak_mib=%s batch_size=%s" % (
                      measure, entry.get("customers"), entry.get("pages"),
                      entry.get("pages_per_s"), entry.get("sending_s"),
                      entry.get("rendering_pages_per_s"),
                      entry.get("peak_mib"), entry.get("batch_size")))
            continue
        print("%-16s" % measure + "".join(
            "%13s" % fmt(entry.get(c)) for c in cols))
    print()


def measure_dunning_letters(out):
    """Collection letters (issue 25): a run of BENCH_DUNNING_CUSTOMERS
    customers that owe (default all) sent by action_send, every letter a
    PDF, in a contender process (rolled back); on a live server that
    serves wkhtmltopdf its CSS, after one print has built the report's
    asset bundles."""
    entry = {}
    try:
        with live_server("dunning") as (url, opener, _rpc):
            partner_id = scalar(
                "SELECT min(partner_id) FROM account_move_line l "
                "JOIN account_account a ON a.id = l.account_id "
                "WHERE a.internal_type = 'receivable' "
                "AND l.amount_residual <> 0")
            opener.open("%s/report/pdf/%s/%d" % (
                url, STATEMENT_REPORT, partner_id), timeout=1200).read()
            ours = contender("dunning_letters", "ours", int(os.environ.get(
                "BENCH_DUNNING_CUSTOMERS", "0")))
            if ours:
                result = ours["result"]
                entry.update(ours_figures(ours))
                entry.update({
                    "customers": result["customers"],
                    "pages": result["pages"],
                    "run_pdf_pages": result["run_pdf_pages"],
                    "sending_s": round(result["sending_s"], 3),
                    "rss_mib_by_customers": result["rss_mib_by_customers"],
                    "batch_size": result["batch_size"],
                    # The whole send (letters, follow-ups, lines) and
                    # the printing alone.
                    "pages_per_s": round(result["pages"] / max(
                        result["sending_s"], 1e-9), 2),
                    "rendering_s": round(result["rendering_s"], 3),
                    "rendering_pages_per_s": round(result["pages"] / max(
                        result["rendering_s"], 1e-9), 2)})
            log("dunning_letters %s", entry)
    except Exception as error:  # the other measures still get written
        entry["error"] = str(error)[:300]
        log("dunning_letters failed: %s", error)
    out["dunning_letters"] = entry


def main():
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
    out = {}
    previous = RESULTS / ("%s.json" % SCALE)
    if not previous.exists():  # nothing measured here yet: the recorded run
        previous = HERE / "results" / ("%s.json" % SCALE)
    if only and previous.exists() and not os.environ.get("BENCH_OUT"):
        # A partial run (BENCH_ONLY) updates the figures of the last full
        # run of the same scale instead of dropping the other measures.
        with open(str(previous)) as handle:
            out = json.load(handle)
    out.update({
        "scale": SCALE, "database": DB, "cpu": cpu_model(),
        "rows": scalar("SELECT count(*) FROM account_move_line"),
        "partials": scalar("SELECT count(*) FROM account_partial_reconcile"),
        "customers": scalar("SELECT count(DISTINCT partner_id) FROM "
                            "account_move_line WHERE partner_id IS NOT NULL"),
        "followups": scalar("SELECT count(*) FROM cartera_followup"),
        "closed_followups": scalar(
            "SELECT count(*) FROM cartera_followup WHERE state = 'closed'"),
        "runs": RUNS, "cap_s": CAP or None,
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())})
    started = time.time()
    RESULTS.mkdir(parents=True, exist_ok=True)
    # BENCH_OUT: the smoke test writes elsewhere, never over the figures.
    targets = [os.environ["BENCH_OUT"]] if os.environ.get("BENCH_OUT") \
        else [str(RESULTS / "latest.json"), str(RESULTS / ("%s.json" % SCALE))]

    def save():
        # After every measure: a long run stopped halfway keeps its figures.
        out["elapsed_s"] = round(time.time() - started, 1)
        for target in targets:
            with open(target, "w") as handle:
                json.dump(out, handle, indent=2, sort_keys=True)

    for measure in MEASURES:
        if only and measure not in only:
            continue
        if measure.startswith("aging"):
            measure_aging(measure, out)
        elif measure == "movement_year":
            measure_movement(out)
        elif measure == "kpis_year":
            measure_kpis(out)
        elif measure == "closing_month":
            measure_closing_month(out)
        elif measure.startswith("closing"):
            measure_closing(int(measure.split("_")[1]), out)
        elif measure == "capture_list":
            measure_capture(out)
        elif measure == "pdf_aging":
            measure_pdf(out)
        elif measure == "promises_evaluate":
            measure_promises(out)
        elif measure.startswith("agenda_"):
            measure_agenda(measure[len("agenda_"):], out)
        elif measure == "statements_all":
            measure_statements(out)
        elif measure == "dunning_selection":
            measure_dunning_selection(out)
        elif measure == "dunning_letters":
            measure_dunning_letters(out)
        elif measure == "interest":
            measure_interest(out)
        save()
    save()
    print_table(out)
    log("wrote %s (%.0f s)", targets[0], out["elapsed_s"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
