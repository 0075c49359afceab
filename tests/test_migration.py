"""11.0.1.2.0 -> 11.0.2.0.0 for real: a database built with the addon as of
its last 11.0.1.2.0 commit (git archive), with follow-ups recorded, talked
about and closed there, is updated to the working tree. Every row, message,
follower, attachment and closing must come through, the closed follow-ups
sealed in the one table. The same update runs the later migrations: the
indexes that later versions replaced (11.0.4.1.0) are gone."""
import ast
import json
import shutil
import subprocess
import tarfile
import io

import pytest

from conftest import OUTPUT, PGHOST, ROOT, db_connect

# The last commit of 11.0.1.2.0, before closing became a state.
OLD_COMMIT = "72215464e2ccba39fb30bb26d8cc900ed63f26e9"
DB = "cartera_migration_test"
# Indexes of earlier versions that migrations/11.0.4.1.0 drops, there in
# the old database before its update. The 11.0.1.2.0 table has no state
# yet: the follow-ups' index keeps its name and its date column only.
OBSOLETE_INDEXES = {
    # The open items, replaced by cartera_aml_open_cover_idx: the
    # 11.0.1.2.0 addon creates it itself.
    "cartera_aml_open_idx": "ON account_move_line (account_id, partner_id) "
                            "WHERE amount_residual <> 0",
    # Development versions of 11.0.3.0.0: (state, date) WHERE state =
    # 'open' (replaced by cartera_followup_open_state_idx).
    "cartera_followup_open_idx": "ON cartera_followup (date)",
}
REPLACEMENTS = ("cartera_aml_open_cover_idx",
                "cartera_followup_open_state_idx")
PYTHON = str(ROOT / ".venv/bin/python")


def run(*args, timeout=900):
    result = subprocess.run(args, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, timeout=timeout,
                            cwd=str(ROOT))
    assert result.returncode == 0, result.stdout.decode()[-4000:]
    return result.stdout.decode()


def odoo(addons_path, *args):
    return run(PYTHON, str(ROOT / "scripts/odoo-bin"),
               "--addons-path=%s" % addons_path, "--db_host=%s" % PGHOST,
               "-d", DB, "--stop-after-init", "--log-level=warn", *args)


def base_template():
    """The Colombian base database the suite's databases are cloned from."""
    with db_connect("postgres") as conn, conn.cursor() as cr:
        cr.execute(r"""SELECT datname FROM pg_database
                        WHERE datname LIKE 'cartera\_base\_%%'
                          AND datname NOT LIKE '%%\_tmp'
                        ORDER BY datname DESC LIMIT 1""")
        row = cr.fetchone()
    assert row, "no base template: scripts/db_ensure.sh builds it"
    return row[0]


def drop_db():
    run("dropdb", "--if-exists", "-h", PGHOST, DB)


def on_db(*statements):
    """Run ``statements`` on the test database (closed afterwards, so that
    it can be dropped); the rows of the last one."""
    conn = db_connect(DB)
    try:
        with conn.cursor() as cr:
            for query, params in statements:
                cr.execute(query, params)
            return cr.fetchall() if cr.description else []
    finally:
        conn.close()


def indexes(names):
    return sorted(row[0] for row in on_db((
        "SELECT indexname FROM pg_indexes WHERE indexname IN %s",
        (tuple(names),))))


def create_obsolete_indexes():
    on_db(*[('CREATE INDEX IF NOT EXISTS "%s" %s' % (name, definition), None)
            for name, definition in sorted(OBSOLETE_INDEXES.items())])


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    probe = subprocess.run(["git", "cat-file", "-e", OLD_COMMIT + "^{commit}"],
                           cwd=str(ROOT))
    if probe.returncode:
        pytest.skip("commit %s not in this clone (shallow?)" % OLD_COMMIT)
    old = tmp_path_factory.mktemp("cartera_11.0.1.2.0")
    archive = subprocess.run(["git", "archive", OLD_COMMIT,
                              "cartera_seguimiento"], cwd=str(ROOT),
                             stdout=subprocess.PIPE, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(str(old))
    drop_db()
    run("createdb", "-h", PGHOST, "-T", base_template(), DB)
    try:
        odoo(str(old), "-i", "cartera_seguimiento")
        before = OUTPUT / "migration-before.json"
        after = OUTPUT / "migration-after.json"
        OUTPUT.mkdir(exist_ok=True)
        run(PYTHON, str(ROOT / "tests/migration_scenario.py"), "record",
            str(old), DB, str(before))
        create_obsolete_indexes()
        assert indexes(OBSOLETE_INDEXES) == sorted(OBSOLETE_INDEXES)
        log = odoo(str(ROOT), "-u", "cartera_seguimiento")
        (OUTPUT / "migration-update.log").write_text(log)
        run(PYTHON, str(ROOT / "tests/migration_scenario.py"), "check",
            str(ROOT), DB, str(after), str(before))
        yield json.loads(before.read_text()), json.loads(after.read_text())
    finally:
        drop_db()
        shutil.rmtree(str(old), ignore_errors=True)


def test_scenario_was_recorded_on_the_old_version(migrated):
    before, _after = migrated
    # 3 closed (2 in January, customer 1's in February), 2 open.
    assert len(before["closed"]) == 3 and len(before["open"]) == 2
    assert [c[2] for c in before["closings"]][-2:] == [2, 1]
    assert any(model == "cartera.followup.history"
               for model, _res, _id, _name in before["threads"]["attachments"])


def test_every_row_comes_back_in_one_table(migrated):
    before, after = migrated
    by_id = {row["id"]: row for row in after["rows"]}
    assert sorted(by_id) == sorted(before["ids"])
    for row in before["closed"]:
        if row["id"] == before["cancelled_entry_followup"]:
            # Its entry was deleted with the cancelled invoice: the key
            # holds by emptying the reference, the document stays.
            assert row["move_id"] and row["invoice_id"]
            row = dict(row, move_id=None)
        assert by_id[row["id"]] == row, row["id"]
        assert after["states"][str(row["id"])] == "closed"
    for row in before["open"]:
        assert by_id[row["id"]] == row, row["id"]
        assert after["states"][str(row["id"])] == "open"
    # The closings and their counts are those of before, and each opens
    # exactly the follow-ups it closed.
    assert after["closings"] == before["closings"]
    for closing_id, _name, count, _from, _to in before["closings"]:
        expected = sorted(row["id"] for row in before["closed"]
                          if row["closing_id"] == closing_id)
        if expected:
            assert after["closings_followups"][str(closing_id)] == expected
            assert count == len(expected)


def test_conversation_and_attachments_filed_under_the_followup(migrated):
    before, after = migrated

    def under_followup(rows):
        return sorted([["cartera.followup"] + row[1:] for row in rows])

    def scenario(rows):
        # The update may load demo data of its own (new follow-ups).
        return sorted(row for row in rows if row[1] in before["ids"])
    for kind in ("messages", "followers", "attachments"):
        assert scenario(after["threads"][kind]) == \
            under_followup(scenario(before["threads"][kind])), kind
    assert after["threads"]["attachments"], "the attachment was lost"


def test_old_tables_gone_keys_restored_and_sealed(migrated):
    _before, after = migrated
    # The working tree's version (11.0.2.0.0 or any later one).
    manifest = ast.literal_eval(
        (ROOT / "cartera_seguimiento" / "__manifest__.py").read_text())
    assert after["version"] == manifest["version"]
    assert tuple(map(int, after["version"].split("."))) >= (11, 0, 2, 0, 0)
    assert after["leftover_tables"] == []
    assert after["leftover_models"] == []
    for column in ("partner_id", "user_id", "responsible_id", "type_id",
                   "next_type_id", "invoice_id", "closing_id"):
        assert column in after["foreign_keys"], column
    assert after["all_closed_sealed"]
    # Collector 1 reads the closed follow-ups of their customer and their
    # conversation through Odoo's own rules.
    assert len(after["collector_closed"]) == 2
    assert after["collector_messages"]


def test_obsolete_indexes_dropped_by_the_update(migrated):
    # Dropped by migrations/11.0.4.1.0, no longer by any init(): an update
    # from any earlier version loses them, their replacements are there.
    assert indexes(OBSOLETE_INDEXES) == []
    assert indexes(REPLACEMENTS) == sorted(REPLACEMENTS)
