"""Two Odoo servers on one database and one filestore, as Odoo runs past one
machine: follow-ups captured on both at once, a closing on one while the
other captures, and the daily digest run on both at the same moment (by
hand over RPC, and by their own cron workers). Nothing is lost or
duplicated, every user gets exactly one digest, a closing never
half-applies."""
import base64
import threading
import time
import uuid
import xmlrpc.client

import pytest

from conftest import seed_followups

CRON = "cartera_seguimiento.cartera_followup_cron_notify"
DIGEST_DATE_KEY = "cartera_seguimiento.digest_date"
ENGLISH = {"lang": "en_US"}


def xmlid(rpc, name):
    return rpc("ir.model.data", "xmlid_to_res_id", name)


def run_together(jobs):
    """Run the callables at the same moment, one thread each; returns
    ("ok", result) or ("fault", message) for each, in order."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index):
        barrier.wait()
        try:
            outcomes[index] = ("ok", jobs[index]())
        except xmlrpc.client.Fault as fault:
            outcomes[index] = ("fault", fault.faultString)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    assert all(outcomes), "a job did not finish"
    return outcomes


@pytest.fixture(scope="module")
def cron_id(admin_rpc, db):
    """The digest's cron, kept from running while the servers start (their
    cron workers run every job that is due) and put back afterwards."""
    cron = xmlid(admin_rpc, CRON)
    with db.cursor() as cr:
        cr.execute("SELECT nextcall FROM ir_cron WHERE id = %s", (cron,))
        nextcall = cr.fetchone()[0]
        cr.execute("UPDATE ir_cron SET nextcall = now() + interval '1 day' "
                   "WHERE id = %s", (cron,))
    yield cron
    with db.cursor() as cr:
        cr.execute("UPDATE ir_cron SET nextcall = %s WHERE id = %s",
                   (nextcall, cron))


@pytest.fixture(scope="module")
def servers(start_odoo_server, cron_id, odoo_server):
    """Two more servers on the test database, each with two HTTP workers
    and a cron worker, started side by side."""
    return [start_odoo_server(log_name="multi-%s" % name, cron_workers=1)
            for name in "ab"]


@pytest.fixture(scope="module")
def world(admin_rpc):
    suffix = uuid.uuid4().hex[:8]
    users = {}
    for role, group in (("cob_a", "group_cartera_user"),
                        ("cob_b", "group_cartera_user"),
                        ("jefe", "group_cartera_manager")):
        login = "multi_%s_%s" % (role, suffix)
        users[role] = {"login": login, "id": admin_rpc("res.users", "create", {
            "name": "Multi %s %s" % (role, suffix), "login": login,
            "password": login, "tz": "America/Bogota",
            "email": "%s@example.com" % login,
            "groups_id": [(6, 0, [xmlid(
                admin_rpc, "cartera_seguimiento.%s" % group)])]})}
    customers = {}
    for role in ("cob_a", "cob_b", "jefe"):
        customers[role] = admin_rpc("res.partner", "create", {
            "name": "Cliente Multi %s %s" % (role, suffix), "customer": True,
            "is_company": True, "user_id": users[role]["id"]})
    company_id = admin_rpc("res.users", "read", [users["jefe"]["id"]],
                           ["company_id"])[0]["company_id"][0]
    return {"suffix": suffix, "users": users, "customers": customers,
            "company_id": company_id,
            "type_id": xmlid(admin_rpc, "cartera_seguimiento.followup_type_call")}


def rpc_of(server, world, role):
    login = world["users"][role]["login"]
    return server.rpc(login, login)


def capture(rpc, world, role, tag, count, **extra):
    """``count`` follow-ups of the role's customer, one call each; returns
    the ids created and the messages of the captures refused."""
    ids, refused = [], []
    for index in range(count):
        vals = {"partner_id": world["customers"][role],
                "type_id": world["type_id"],
                "notes": "%s/%d" % (tag, index)}
        vals.update(extra)
        try:
            ids.append(rpc("cartera.followup", "create", vals))
        except xmlrpc.client.Fault as fault:
            refused.append(fault.faultString)
    return ids, refused


def followups_tagged(admin_rpc, tag):
    return admin_rpc("cartera.followup", "search_read",
                     [("notes", "=like", tag + "/%")], ["name", "notes"],
                     context={"active_test": False})


def closings_move_rows(admin_rpc):
    """Whether a closing moves its follow-ups into another model (the
    history) rather than marking them closed where they are."""
    return bool(admin_rpc("ir.model", "search_count",
                          [("model", "=", "cartera.followup.history")]))


def closed_by(admin_rpc, closing_id):
    """Ids of the follow-ups a closing closed, in either design: moved into
    cartera.followup.history, or kept with their ``closing_id``."""
    if closings_move_rows(admin_rpc):
        return sorted(admin_rpc("cartera.followup.history", "search",
                                [("closing_id", "=", closing_id)]))
    return sorted(admin_rpc(
        "cartera.followup", "search", [("closing_id", "=", closing_id)],
        context={"active_test": False}))


def test_shared_database_and_filestore(servers, admin_rpc):
    a, b = (server.rpc() for server in servers)
    content = base64.b64encode(b"multi-server %s" % uuid.uuid4().hex.encode())
    attachment = a("ir.attachment", "create", {
        "name": "multi.txt", "datas": content.decode(), "type": "binary"})
    try:
        assert b("ir.attachment", "read", [attachment],
                 ["datas"])[0]["datas"] == content.decode()
    finally:
        admin_rpc("ir.attachment", "unlink", [attachment])


def test_capture_on_both_servers_at_once(servers, admin_rpc, world):
    tag = "MULTI-CAPTURE-%s" % world["suffix"]
    per_thread = 15
    jobs = []
    for server in servers:
        for role in ("cob_a", "cob_b"):
            for thread in range(2):
                client = rpc_of(server, world, role)
                jobs.append(lambda c=client, r=role, t="%s/%s%d" % (
                    tag, server.port, thread): capture(c, world, r, t,
                                                       per_thread))
    outcomes = run_together(jobs)
    assert [(kind, result[1]) for kind, result in outcomes] == [
        ("ok", [])] * len(jobs), outcomes
    created = [fid for _kind, (ids, _r) in outcomes for fid in ids]
    assert len(created) == len(set(created)) == len(jobs) * per_thread
    stored = followups_tagged(admin_rpc, tag)
    assert sorted(row["id"] for row in stored) == sorted(created)
    # One name each, from the one sequence both servers share.
    names = [row["name"] for row in stored]
    assert len(set(names)) == len(names)
    # Each collector sees the follow-ups of their own customer only,
    # whichever server recorded them.
    seen = rpc_of(servers[1], world, "cob_a")(
        "cartera.followup", "search_count", [("notes", "=like", tag + "/%")])
    assert seen == len(jobs) * per_thread // 2


def test_closing_on_one_server_while_the_other_captures(
        servers, admin_rpc, db, world):
    # 600 follow-ups of the manager's customer over March 2003.
    seeded = seed_followups(
        db, "MULTI/%s" % world["suffix"], world["customers"]["jefe"],
        world["users"]["jefe"]["id"], world["type_id"], world["company_id"],
        600, "2003-03-01", 28)
    tag = "MULTI-DURING-%s" % world["suffix"]
    manager_a = rpc_of(servers[0], world, "jefe")
    closing_ids = []

    def close():
        wizard = manager_a("cartera.closing.wizard", "create", {
            "date_from": "2003-03-01", "date_to": "2003-03-31",
            "partner_id": world["customers"]["jefe"]}, context=ENGLISH)
        action = manager_a("cartera.closing.wizard", "action_close",
                           [wizard], context=ENGLISH)
        closing_ids.append(action["res_id"])
        return action["res_id"]

    jobs = [close]
    for thread in range(3):
        # The other server records follow-ups of the same customer, today
        # and backdated into the range being closed (one client a thread).
        jobs.append(lambda c=rpc_of(servers[1], world, "jefe"),
                    t="%s/now%d" % (tag, thread): capture(
                        c, world, "jefe", t, 10))
        jobs.append(lambda c=rpc_of(servers[1], world, "jefe"),
                    t="%s/back%d" % (tag, thread): capture(
                        c, world, "jefe", t, 5, date="2003-03-31 12:00:00"))
    outcomes = run_together(jobs)
    assert [kind for kind, _r in outcomes[1:]] == ["ok"] * (len(jobs) - 1)
    captured = [fid for _kind, (ids, _r) in outcomes[1:] for fid in ids]
    for _kind, (_ids, refused) in outcomes[1:]:
        # A capture may be refused while the rows are locked, with a clear
        # message, never with a crash.
        for message in refused:
            assert "Traceback" not in message, message
    if outcomes[0][0] == "fault":
        # Refused (the other server held some of the rows): nothing closed,
        # and the same closing goes through once the captures are done.
        assert not closing_ids
        assert admin_rpc("cartera.closing", "search_count", [
            ("partner_id", "=", world["customers"]["jefe"])]) == 0
        close()
    closing = admin_rpc("cartera.closing", "read", closing_ids,
                        ["followup_count"])[0]
    closed = closed_by(admin_rpc, closing["id"])
    # All or nothing: every seeded follow-up, and the count the closing
    # logged is the count it closed.
    assert set(seeded) <= set(closed)
    assert closing["followup_count"] == len(closed)
    # The captures: each once, closed with the range or still open, never
    # lost; the closing closed nothing else.
    found = {row["id"] for row in followups_tagged(admin_rpc, tag)}
    assert set(captured) == found | (set(closed) & set(captured))
    if closings_move_rows(admin_rpc):
        assert not found & set(closed)
    assert set(closed) - set(seeded) <= set(captured)
    assert len(captured) == len(set(captured))


def pending_users(db):
    """Users with a task clearly overdue wherever they live (due before
    yesterday): each of them must get a digest."""
    with db.cursor() as cr:
        cr.execute("""SELECT DISTINCT u.partner_id FROM cartera_followup f
                        JOIN res_users u ON u.id = f.responsible_id
                       WHERE f.task_state = 'pending'
                         AND f.next_date < (now() at time zone 'UTC')::date - 1""")
        return {row[0] for row in cr.fetchall()}


def last_message_id(db):
    with db.cursor() as cr:
        cr.execute("SELECT coalesce(max(id), 0) FROM mail_message")
        return cr.fetchone()[0]


def digests_since(db, message_id):
    """{partner id: number of digests} posted after ``message_id``."""
    # A digest is a private message (no document) to the user's partner.
    with db.cursor() as cr:
        cr.execute("""SELECT r.res_partner_id, count(*) FROM mail_message m
                        JOIN mail_message_res_partner_rel r
                          ON r.mail_message_id = m.id
                       WHERE m.id > %s AND m.model IS NULL
                         AND m.message_type = 'notification'
                       GROUP BY r.res_partner_id""", (message_id,))
        return dict(cr.fetchall())


def forget_todays_digest(db):
    with db.cursor() as cr:
        cr.execute("DELETE FROM ir_config_parameter WHERE key = %s",
                   (DIGEST_DATE_KEY,))


def test_digest_on_both_servers_at_the_same_moment(servers, admin_rpc, db,
                                                   world, cron_id):
    # Overdue tasks for both collectors, recorded on either server.
    for server, role in zip(servers, ("cob_a", "cob_b")):
        assert capture(rpc_of(server, world, role), world, role,
                       "MULTI-TASK-%s" % world["suffix"], 1,
                       date="2020-01-02 15:00:00", next_date="2020-01-06",
                       next_type_id=world["type_id"],
                       next_note="Llamar")[1] == []
    expected = pending_users(db)
    partners = {admin_rpc("res.users", "read", [world["users"][role]["id"]],
                          ["partner_id"])[0]["partner_id"][0]
                for role in ("cob_a", "cob_b")}
    assert partners <= expected

    # "Run Manually" / RPC on both servers, three callers each, at once.
    forget_todays_digest(db)
    start = last_message_id(db)
    clients = [server.rpc() for server in servers for _n in range(3)]
    outcomes = run_together([
        lambda c=client: c("ir.cron", "method_direct_trigger", [cron_id])
        for client in clients])
    assert [kind for kind, _r in outcomes] == ["ok"] * len(clients), outcomes
    sent = digests_since(db, start)
    assert {partner: 1 for partner in expected} == {
        partner: count for partner, count in sent.items() if partner in expected}
    assert set(sent.values()) == {1}, sent

    # Both servers' cron workers, once the job is due.
    forget_todays_digest(db)
    start = last_message_id(db)
    with db.cursor() as cr:
        cr.execute("UPDATE ir_cron SET nextcall = now() at time zone 'UTC' "
                   "- interval '1 minute' WHERE id = %s RETURNING nextcall",
                   (cron_id,))
        due = cr.fetchone()[0]
    # A cron worker looks for due jobs every 60 to 70 s: by then both have.
    both_looked = time.time() + 72
    deadline = time.time() + 150
    while time.time() < deadline:
        with db.cursor() as cr:
            cr.execute("SELECT nextcall FROM ir_cron WHERE id = %s", (cron_id,))
            if cr.fetchone()[0] > due:
                break
        time.sleep(2)
    else:
        pytest.fail("no cron worker ran the digest in 150 s")
    time.sleep(max(0, both_looked - time.time()))
    sent = digests_since(db, start)
    assert {partner: 1 for partner in expected} == {
        partner: count for partner, count in sent.items() if partner in expected}
    assert set(sent.values()) == {1}, sent
