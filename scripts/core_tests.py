"""Run Odoo's own tests of some modules (at install and post install) on an
existing database, to check that the addon leaves them as they are:

    core_tests.py DBNAME ADDONS_PATH mail account

Prints one line per failing test and a closing count; exit 1 on failure."""
import logging
import sys
import unittest

import odoo
from odoo.modules import module as odoo_module


def main(dbname, addons_path, modules):
    odoo.tools.config.parse_config([
        "--addons-path=%s" % addons_path, "--db_host=/var/run/postgresql",
        "-d", dbname, "--log-level=warn", "--test-enable",
        "--max-cron-threads=0"])
    logging.getLogger("odoo").setLevel(logging.ERROR)
    odoo.registry(dbname)
    failed = {}
    counts = {}
    for name in modules:
        for test_module in odoo_module.get_test_modules(name):
            suite = unittest.TestSuite(
                odoo_module.unwrap_suite(
                    unittest.TestLoader().loadTestsFromModule(test_module)))
            with odoo.api.Environment.manage():
                result = unittest.TextTestRunner(
                    stream=open("/dev/null", "w")).run(suite)
            counts[name] = counts.get(name, 0) + result.testsRun
            for test, _trace in result.failures + result.errors:
                failed.setdefault(name, []).append(test.id())
    for name in modules:
        for test_id in failed.get(name, []):
            print("%s: FAILED %s" % (name, test_id))
        print("%s: %d tests, %d failed" % (
            name, counts.get(name, 0), len(failed.get(name, []))))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
