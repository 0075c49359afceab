"""Load: a server with two workers, eight collectors capturing follow-ups at
once over JSON-RPC (the web client's channel) while other clients list,
search and print reports. Every request is answered; every follow-up is
stored exactly once and complete; concurrency failures are retried (by the
server, and by the client after checking whether its follow-up is already
there), never lost. Quick: 8 x 25 follow-ups; STRESS=full: 8 x 250."""
import os
import subprocess
import threading
import time
from datetime import date, timedelta

import pytest
import requests

from conftest import OdooServer, db_connect
from stress_util import (
    FULL, RUN, JsonRpc, RpcError, make_user, percentile, report,
    restore_report_url, sizes, wait_for, xmlid)

COLLECTORS = 8
# The cluster the test database lives on (PGPORT selects another one, e.g.
# a private cluster "15 rel" on port 5441 so as not to disturb others).
PG_CLUSTER = os.environ.get("CARTERA_PG_CLUSTER", "15 main").split()
PER_COLLECTOR = sizes(25, 250)
PDF_EVERY = sizes(10 ** 6, 8)   # quick: one PDF in all; full: every 8 loops


def tag(collector, index):
    return "stress-load-%s-%02d-%04d" % (RUN, collector, index)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = {}
        self.errors = []
        self.client_retries = 0
        self.unanswered = 0

    def timed(self, kind, func, *args, **kwargs):
        start = time.time()
        try:
            return func(*args, **kwargs)
        finally:
            with self.lock:
                self.latency.setdefault(kind, []).append(time.time() - start)


def collector_loop(server, login, number, partner_ids, type_ids, stats):
    rpc = JsonRpc(server, login, login)
    today = date.today()
    for index in range(PER_COLLECTOR):
        note = tag(number, index)
        values = {"partner_id": partner_ids[index % len(partner_ids)],
                  "type_id": type_ids[index % len(type_ids)],
                  "notes": note}
        if index % 3 == 0:
            values.update(next_date=str(today + timedelta(days=3)),
                          next_type_id=type_ids[0],
                          next_note="Volver a llamar %d" % index)
        for attempt in range(6):
            try:
                stats.timed("create", rpc, "cartera.followup", "create",
                            values)
                break
            except (RpcError, requests.RequestException) as error:
                retriable = isinstance(error, requests.RequestException) \
                    or error.concurrency
                if not retriable or attempt == 5:
                    with stats.lock:
                        stats.errors.append("%s: %s" % (note, error))
                    break
                with stats.lock:
                    stats.client_retries += 1
                    if isinstance(error, requests.RequestException):
                        stats.unanswered += 1
                time.sleep(0.5 * (attempt + 1))
                # Create again only if the first attempt did not land: the
                # note is the idempotency key.
                try:
                    if rpc("cartera.followup", "search_count",
                           [("notes", "=", note)]):
                        break
                except (RpcError, requests.RequestException):
                    continue


def reader_loop(server, login, kind, done, stats, wizard_ids):
    rpc = JsonRpc(server, login, login)
    loops = 0
    while not done.is_set():
        loops += 1
        try:
            if kind == "list":
                stats.timed("search_read", rpc, "cartera.followup",
                            "search_read", [], ["name", "partner_id", "date",
                                                "type_id", "notes",
                                                "next_date", "task_state"],
                            limit=80)
                stats.timed("search", rpc, "cartera.followup", "search_read",
                            [("notes", "ilike", "stress-load-%s" % RUN)],
                            ["name"], limit=20, order="id desc")
                stats.timed("name_search", rpc, "res.partner", "name_search",
                            "Estres", [("customer", "=", True)], "ilike", 8)
            else:
                stats.timed("aging_rpc", rpc, "cartera.ar.report", "aging",
                            str(date.today()), 30)
                resp = stats.timed(
                    "report_html", rpc.get,
                    "/report/html/cartera_seguimiento.report_followup/%d"
                    % wizard_ids["followup"])
                assert resp.status_code == 200, resp.text[:500]
                if loops % PDF_EVERY == 1:
                    resp = stats.timed(
                        "report_pdf", rpc.get,
                        "/report/pdf/cartera_seguimiento.report_aging/%d"
                        % wizard_ids["aging"])
                    assert resp.status_code == 200 and \
                        resp.content[:4] == b"%PDF", resp.text[:500]
        except (RpcError, requests.RequestException, AssertionError) as error:
            with stats.lock:
                stats.errors.append("%s: %s" % (kind, error))
        # Readers pace themselves like people do: the point is mixed load.
        time.sleep(0.3)


def test_concurrent_capture_and_reading(odoo_server, admin_rpc, db):
    type_ids = [xmlid(admin_rpc, "followup_type_call"),
                xmlid(admin_rpc, "followup_type_email"),
                xmlid(admin_rpc, "followup_type_visit")]
    assert all(type_ids), type_ids
    logins, user_ids = [], []
    for number in range(COLLECTORS):
        login = "cobrador_carga_%s_%d" % (RUN, number)
        user_ids.append(make_user(admin_rpc, login, ["group_cartera_user"],
                                  name="Cobrador Carga %d" % number,
                                  lang="es_CO"))
        logins.append(login)
    # Two collectors per customer: their follow-ups complete each other's
    # pending tasks, so transactions really collide on the same rows.
    partners = [admin_rpc("res.partner", "create", {
        "name": "Estres Cliente %s %d" % (RUN, n), "customer": True,
        "is_company": True, "user_id": user_ids[2 * n]})
        for n in range(COLLECTORS // 2)]
    manager = "jefe_carga_%s" % RUN
    make_user(admin_rpc, manager, ["group_cartera_manager"], lang="es_CO")
    manager_rpc = odoo_server.rpc(manager, manager)
    today = str(date.today())
    wizard_ids = {
        "followup": manager_rpc("cartera.followup.report.wizard", "create",
                                {"date_from": today, "date_to": today}),
        "aging": manager_rpc("cartera.aging.report.wizard", "create",
                             {"date_at": today}),
    }

    stats = Stats()
    done = threading.Event()
    readers = [threading.Thread(target=reader_loop, args=(
        odoo_server, manager, kind, done, stats, wizard_ids))
        for kind in ("list", "list", "report")]
    collectors = [threading.Thread(target=collector_loop, args=(
        odoo_server, logins[n], n,
        [partners[n // 2], partners[(n // 2 + 1) % len(partners)]],
        type_ids, stats)) for n in range(COLLECTORS)]
    for thread in readers:
        thread.start()
    started = time.time()
    for thread in collectors:
        thread.start()
    for thread in collectors:
        thread.join(timeout=1800)
    elapsed = time.time() - started
    done.set()
    for thread in readers:
        thread.join(timeout=300)

    expected = COLLECTORS * PER_COLLECTOR
    with db.cursor() as cr:
        cr.execute("""SELECT notes, count(*) FROM cartera_followup
                       WHERE notes LIKE %s GROUP BY notes""",
                   ("stress-load-%s-%%" % RUN,))
        counts = dict(cr.fetchall())
        # Complete rows: a sequence name, the customer's salesperson, a
        # task in the state its next date says, with its activity.
        cr.execute("""
            SELECT f.notes, f.name, f.user_id, p.user_id, f.next_date,
                   f.task_state, f.task_activity_id, a.id
              FROM cartera_followup f
              JOIN res_partner p ON p.id = f.partner_id
              LEFT JOIN mail_activity a ON a.id = f.task_activity_id
             WHERE f.notes LIKE %s""", ("stress-load-%s-%%" % RUN,))
        incomplete = []
        for (note, name, user_id, salesperson, next_date, state,
             activity_ref, activity) in cr.fetchall():
            if not name or name == "/" or user_id != salesperson or \
                    (next_date and state not in ("pending", "done")) or \
                    (not next_date and state != "none") or \
                    (state == "pending" and not activity) or \
                    (activity_ref and not activity):
                incomplete.append(note)
    latencies = {kind: {"n": len(values),
                        "p50_ms": round(1000 * percentile(values, 50)),
                        "p95_ms": round(1000 * percentile(values, 95))}
                 for kind, values in sorted(stats.latency.items())}
    requests_total = sum(len(v) for v in stats.latency.values())
    figures = {
        "collectors": COLLECTORS, "per_collector": PER_COLLECTOR,
        "followups_expected": expected, "followups_stored": len(counts),
        "duplicates": sum(1 for c in counts.values() if c > 1),
        "incomplete": len(incomplete), "errors": len(stats.errors),
        "client_retries": stats.client_retries,
        "unanswered": stats.unanswered,
        "seconds": round(elapsed, 1),
        "creates_per_second": round(expected / elapsed, 1),
        "requests": requests_total,
        "requests_per_second": round(requests_total / elapsed, 1),
        "latency": latencies,
        "server_concurrency_retries": server_retries(odoo_server),
    }
    report("load", figures)
    assert not stats.errors, stats.errors[:10]
    assert len(counts) == expected, figures
    assert figures["duplicates"] == 0, figures
    assert not incomplete, incomplete[:10]
    assert FULL or elapsed < 240, figures


def server_retries(server):
    """Concurrency failures the server retried on its own (its log)."""
    try:
        text = server.log_path.read_text(errors="replace")
    except OSError:
        return None
    return text.count("retry ") if "retry " in text else 0


@pytest.mark.skipif(not FULL, reason="restarts the shared PostgreSQL "
                    "cluster: only in the full run (make stress, STRESS=full)")
def test_postgres_restart_during_capture(odoo_server, admin_rpc):
    """PostgreSQL restarted under the capture load: clients get errors,
    no follow-up is half-written, and the server serves again by itself."""
    server = OdooServer(odoo_server.dbname, workers=2,
                        log_name="stress-pgrestart").start()
    try:
        type_id = xmlid(admin_rpc, "followup_type_call")
        clients = []
        for number in range(4):
            login = "cobrador_pg_%s_%d" % (RUN, number)
            user_id = make_user(admin_rpc, login, ["group_cartera_user"])
            partner_id = admin_rpc("res.partner", "create", {
                "name": "Cliente PG %s %d" % (RUN, number),
                "customer": True, "is_company": True, "user_id": user_id})
            clients.append((login, partner_id))
        outcomes, moments = {}, []
        lock = threading.Lock()
        stop = threading.Event()

        def capture(number, login, partner_id):
            rpc = JsonRpc(server, login, login, timeout=60)
            index = 0
            while not stop.is_set() and index < 400:
                note = "stress-pg-%s-%d-%04d" % (RUN, number, index)
                values = {"partner_id": partner_id, "type_id": type_id,
                          "notes": note}
                if index % 2 == 0:
                    values.update(next_date=str(date.today()),
                                  next_type_id=type_id)
                try:
                    rpc("cartera.followup", "create", values)
                    result = "ok"
                except (RpcError, requests.RequestException) as error:
                    result = "error: %s" % str(error)[:100]
                    time.sleep(0.5)
                    try:
                        rpc.authenticate()
                    except Exception:  # pylint: disable=broad-except
                        pass
                with lock:
                    outcomes[note] = result
                    moments.append((time.time(), result == "ok"))
                index += 1

        threads = [threading.Thread(target=capture, args=(n,) + c)
                   for n, c in enumerate(clients)]
        for thread in threads:
            thread.start()
        time.sleep(5)
        restarted = time.time()
        subprocess.run(["pg_ctlcluster"] + PG_CLUSTER + ["restart"],
                       check=True, timeout=120)
        restart_done = time.time()
        time.sleep(10)
        stop.set()
        for thread in threads:
            thread.join(timeout=300)
        # The same server answers again, without being restarted.
        probe = server.rpc()
        recovered = wait_for(lambda: _answers(probe), timeout=120, step=1)
        # From the end of the restart to the first follow-up stored again.
        recovery = min([moment for moment, ok in moments
                        if ok and moment > restart_done] or [time.time()]) \
            - restart_done
        assert recovered, "the server does not serve after the restart"
        conn = db_connect(server.dbname)
        with conn.cursor() as cr:
            cr.execute("""
                SELECT f.notes, count(*) OVER (PARTITION BY f.notes), f.name,
                       f.next_date, f.task_state, a.id
                  FROM cartera_followup f
                  LEFT JOIN mail_activity a ON a.id = f.task_activity_id
                 WHERE f.notes LIKE %s""", ("stress-pg-%s-%%" % RUN,))
            rows = cr.fetchall()
        conn.close()
        stored = {row[0] for row in rows}
        duplicates = [row[0] for row in rows if row[1] > 1]
        half = [row[0] for row in rows
                if not row[2] or row[2] == "/" or
                (row[3] and row[4] not in ("pending", "done")) or
                (row[4] == "pending" and not row[5])]
        lost = [n for n, r in outcomes.items() if r == "ok"
                and n not in stored]
        errors = [n for n, r in outcomes.items() if r != "ok"]
        report("pgrestart", {
            "creates": len(outcomes), "errors_seen": len(errors),
            "stored": len(stored), "lost": len(lost),
            "duplicates": len(duplicates), "half_written": len(half),
            "errored_but_stored": len(set(errors) & stored),
            "restart_s": round(restart_done - restarted, 1),
            "first_create_after_restart_s": round(recovery, 1)})
        assert errors, "the restart went unnoticed: no client error"
        assert not lost and not duplicates and not half, (lost, duplicates,
                                                          half)
    finally:
        server.stop()
        restore_report_url(odoo_server)


def _answers(rpc):
    try:
        return rpc("res.partner", "search_count", []) >= 0
    except Exception:  # pylint: disable=broad-except
        return False
