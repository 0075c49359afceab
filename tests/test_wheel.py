"""The OCA-style wheel: `pip wheel setup/cartera_seguimiento` (setuptools-odoo)
builds odoo11_addon_cartera_seguimiento-11.0.*-py3-none-any.whl; installed
with `pip install --no-deps --target` into a scratch directory, whose
odoo/addons is then the addons path (without this repository), it installs
the addon into a fresh database cloned from the template of
scripts/db_ensure.sh."""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile

import psycopg2
import pytest

from conftest import DB, OUTPUT, PGHOST, ROOT, db_connect

PYTHON = str(ROOT / ".venv/bin/python")
WHEEL_DB = "%s_wheel" % DB
WHEEL_NAME = re.compile(
    r"^odoo11_addon_cartera_seguimiento-11\.0\.\d+\.\d+\.\d+"
    r"(\.99\.dev\d+)?-py3-none-any\.whl$")
FILESTORE = os.path.join(os.environ.get("ODOO_DATA_DIR") or os.path.expanduser(
    "~/.local/share/Odoo"), "filestore")


def run(cmd, **kwargs):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, **kwargs)
    return proc.returncode, proc.stdout.decode(errors="replace")


def template_name():
    """The base template of scripts/db_ensure.sh (account + l10n_co +
    es_CO), named after the requirements and scripts/db_base.py."""
    digest = hashlib.sha256(
        (ROOT / "requirements.txt").read_bytes() +
        (ROOT / "scripts/db_base.py").read_bytes()).hexdigest()[:8]
    return "cartera_base_%s_d0" % digest


def sql(dbname, query, params=None):
    """One statement in autocommit on ``dbname``; its rows, if any."""
    conn = db_connect(dbname)
    try:
        with conn.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else []
    finally:
        conn.close()


def drop(dbname):
    sql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()", (dbname,))
    sql("postgres", 'DROP DATABASE IF EXISTS "%s"' % dbname)
    shutil.rmtree(os.path.join(FILESTORE, dbname), ignore_errors=True)


def clone_template(dbname):
    """createdb -T the template, with its filestore, as db_ensure.sh does;
    an empty database (Odoo installs base itself) if there is none."""
    template = template_name()
    if not sql("postgres", "SELECT 1 FROM pg_database WHERE datname = %s",
               (template,)):
        sql("postgres", 'CREATE DATABASE "%s"' % dbname)
        return None
    for attempt in range(30):
        try:
            sql("postgres", 'CREATE DATABASE "%s" TEMPLATE "%s"'
                % (dbname, template))
            break
        except psycopg2.Error:
            # Another session is connected to the template: wait.
            if attempt == 29:
                raise
            time.sleep(2)
    source = os.path.join(FILESTORE, template)
    if os.path.isdir(source):
        shutil.copytree(source, os.path.join(FILESTORE, dbname),
                        symlinks=True)
    return template


@pytest.fixture(scope="module")
def scratch():
    path = OUTPUT / "wheel"
    shutil.rmtree(str(path), ignore_errors=True)
    path.mkdir(parents=True)
    return path


@pytest.fixture(scope="module")
def wheel(scratch):
    started = time.time()
    code, log = run([PYTHON, "-m", "pip", "wheel", "--no-deps", "-w",
                     str(scratch / "dist"), "setup/cartera_seguimiento"],
                    cwd=str(ROOT))
    (scratch / "pip-wheel.log").write_text(log)
    assert code == 0, log[-3000:]
    wheels = os.listdir(str(scratch / "dist"))
    assert len(wheels) == 1 and WHEEL_NAME.match(wheels[0]), wheels
    print("wheel built in %.1f s: %s" % (time.time() - started, wheels[0]))
    return scratch / "dist" / wheels[0]


def test_wheel_holds_the_whole_addon(wheel):
    """Every file of the addon that git holds is in the wheel (data, views,
    translations, static files, not only the Python packages), and the
    metadata comes from the manifest."""
    with zipfile.ZipFile(str(wheel)) as archive:
        names = set(archive.namelist())
        metadata = archive.read([n for n in names if n.endswith(
            ".dist-info/METADATA")][0]).decode()
    code, out = run(["git", "ls-tree", "-r", "--name-only", "HEAD",
                     "cartera_seguimiento"], cwd=str(ROOT))
    assert code == 0, out
    tracked = [path for path in out.split() if (ROOT / path).exists()]
    assert "cartera_seguimiento/__manifest__.py" in tracked
    missing = [path for path in tracked
               if "odoo/addons/%s" % path not in names]
    assert not missing, missing
    assert "Name: odoo11-addon-cartera-seguimiento" in metadata
    assert "Requires-Dist: odoo11-addon-report-xlsx" in metadata
    for library in ("psycopg2", "pytz", "werkzeug"):
        assert "Requires-Dist: %s" % library in metadata, library


def odoo(addons, *args, logfile):
    """Odoo with ``addons`` alone as addons path (besides Odoo's own), on
    the wheel's database, until the modules are loaded; its log."""
    code, out = run([
        PYTHON, str(ROOT / "scripts/odoo-bin"), "--addons-path=%s" % addons,
        "--db_host=%s" % PGHOST, "-d", WHEEL_DB,
        "--db-filter=^%s$" % WHEEL_DB, "--stop-after-init",
        "--max-cron-threads=0", "--logfile=%s" % logfile] + list(args),
        cwd=str(logfile.parent))
    log = logfile.read_text(errors="replace") if logfile.exists() else out
    assert code == 0, log[-3000:]
    errors = [line for line in log.splitlines()
              if re.search(r"\d+ (ERROR|CRITICAL) ", line)]
    assert not errors, errors
    return log


@pytest.fixture(scope="module")
def wheel_addons(wheel, scratch):
    """The wheel installed with --no-deps into a scratch directory: its
    odoo/addons."""
    target = scratch / "target"
    code, log = run([PYTHON, "-m", "pip", "install", "--no-deps", "--target",
                     str(target), str(wheel)])
    assert code == 0, log[-3000:]
    return target / "odoo" / "addons"


@pytest.fixture(scope="module")
def wheel_db(wheel_addons, scratch):
    """A fresh database with the addon installed from the wheel."""
    started = time.time()
    drop(WHEEL_DB)
    try:
        template = clone_template(WHEEL_DB)
        log = odoo(wheel_addons, "-i", "cartera_seguimiento",
                   "--without-demo=all", logfile=scratch / "install.log")
        print("installed from the wheel in %.1f s (%s)" % (
            time.time() - started, "cloned from %s" % template if template
            else "new database"), file=sys.stderr)
        yield log
    finally:
        drop(WHEEL_DB)


def test_wheel_installs_the_addon(wheel_addons, wheel_db, scratch):
    addons = wheel_addons
    assert (addons / "cartera_seguimiento" / "__manifest__.py").is_file()
    assert not (addons / "cartera_seguimiento").is_symlink()
    # With that addons path (and not this repository), Odoo finds the addon
    # in the scratch directory...
    code, out = run([PYTHON, "-c", (
        "import sys, odoo; odoo.tools.config.parse_config(sys.argv[1:]); "
        "from odoo.modules.module import get_module_path; "
        "print(get_module_path('cartera_seguimiento'))"),
        "--addons-path=%s" % addons], cwd=str(scratch))
    assert code == 0, out
    assert out.strip().splitlines()[-1] == str(
        addons / "cartera_seguimiento"), out
    # ... and installed it from there.
    paths = re.search(r"addons paths: (\[.*\])", wheel_db).group(1)
    assert str(addons) in paths and "'%s'" % ROOT not in paths, paths
    state, version = sql(
        WHEEL_DB, "SELECT state, latest_version FROM ir_module_module "
        "WHERE name = 'cartera_seguimiento'")[0]
    views = sql(
        WHEEL_DB, "SELECT count(*) FROM ir_ui_view v JOIN ir_model_data d "
        "ON d.res_id = v.id AND d.model = 'ir.ui.view' "
        "WHERE d.module = 'cartera_seguimiento'")[0][0]
    assert state == "installed"
    manifest = (addons / "cartera_seguimiento" / "__manifest__.py"
                ).read_text()
    assert '"version": "%s"' % version in manifest, version
    assert views > 10, views


def test_upgrade_keeps_the_cron_settings(wheel_addons, wheel_db, scratch):
    """The digest's scheduled action is noupdate (readme/CONFIGURE.rst has
    administrators change its time): an upgrade of the addon keeps what they
    set; its qweb view stays updatable."""
    flags = dict(sql(
        WHEEL_DB, "SELECT name, noupdate FROM ir_model_data WHERE module = "
        "'cartera_seguimiento' AND name IN ('cartera_followup_cron_notify', "
        "'cartera_followup_task_digest')"))
    assert flags == {"cartera_followup_cron_notify": True,
                     "cartera_followup_task_digest": False}, flags
    cron_id = sql(WHEEL_DB, "SELECT res_id FROM ir_model_data WHERE module = "
                  "'cartera_seguimiento' AND name = "
                  "'cartera_followup_cron_notify'")[0][0]
    sql(WHEEL_DB, "UPDATE ir_cron SET interval_number = 2, interval_type = "
        "'weeks', nextcall = '2030-01-07 11:30:00' WHERE id = %s", (cron_id,))
    odoo(wheel_addons, "-u", "cartera_seguimiento",
         logfile=scratch / "upgrade.log")
    row = sql(WHEEL_DB, "SELECT interval_number, interval_type, "
              "nextcall::text FROM ir_cron WHERE id = %s", (cron_id,))[0]
    assert row == (2, "weeks", "2030-01-07 11:30:00"), row
