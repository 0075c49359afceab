"""Read the log of an `odoo --test-enable --log-level=test` run and tell
whether it passed; write a junit file for scripts/junit_summary.py.

    odoo_test_log.py LOG --rc RC --suite NAME [--junit OUT.xml] [--seconds N]

Odoo's runner logs each test as ``test_x (odoo.addons.m.tests.f.Class)``,
then ``FAIL: ...`` / ``ERROR: ...`` with its traceback for the failing ones
(``ERROR: setUpClass (...)`` for a class that could not set up) and
``Module m: N failures, N errors``. A run fails on any of those, on Odoo's
"At least one test failed", on any other line logged at ERROR or CRITICAL
(what Odoo's own runbot does), on a non-zero exit code, or when no test ran.
"""
import argparse
import re
import sys
import xml.etree.ElementTree as ET

LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z?]+) "
    r"(?P<db>\S+) (?P<logger>[\w.]+): (?P<msg>.*)$")
TEST = re.compile(r"^(?P<name>\w+) \((?P<cls>[\w.]+)\)")
OUTCOME = re.compile(r"^(?P<kind>FAIL|ERROR): (?P<name>\w+) \((?P<cls>[\w.]+)\)")
# The at-install tests run while the modules load; the post-install ones
# after the loader's last "N modules loaded in" line.
POST_START = re.compile(r"^\d+ modules loaded in")


def parse(path):
    tests = []            # (cls, name, phase) in running order
    outcomes = {}         # (cls, name) -> [kind, text lines]
    log_errors = []
    summary_failed = False
    phase = 0             # line number, turned into a phase at the end
    last_loaded = 0
    current = None        # the outcome whose traceback is being read
    last_outcome = None
    with open(path, encoding="utf-8", errors="replace") as log:
        for phase, raw in enumerate(log, 1):
            raw = raw.rstrip("\n")
            match = LINE.match(raw)
            if not match:
                if current is not None:
                    current[1].append(raw)
                continue
            level, logger, msg = (match.group("level"), match.group("logger"),
                                  match.group("msg"))
            is_test_logger = ".tests" in logger and logger.startswith(
                "odoo.addons.")
            if msg.startswith("` ") and current is not None:
                current[1].append(msg[2:])
                continue
            current = None
            if logger == "odoo.modules.loading" and POST_START.match(msg):
                last_loaded = phase
            if is_test_logger:
                outcome = OUTCOME.match(msg)
                if outcome:
                    key = (outcome.group("cls"), outcome.group("name"))
                    current = outcomes.setdefault(
                        key, [outcome.group("kind"), []])
                    last_outcome = current
                    if key[1].startswith(("setUpClass", "tearDownClass")) \
                            or key not in {(c, n) for c, n, _p in tests}:
                        tests.append(key + (phase,))
                    continue
                if msg.startswith("Traceback") and last_outcome is not None:
                    current = last_outcome
                    current[1].append(msg)
                    continue
                if re.match(r"^(FAILED|OK)( \(.*\))?$", msg):
                    continue
                test = TEST.match(msg)
                if test and level == "INFO":
                    tests.append((test.group("cls"), test.group("name"), phase))
                    continue
                if level in ("ERROR", "CRITICAL") and msg in ("FAIL", "ERROR"):
                    continue
            if logger == "odoo.modules.module" and re.match(
                    r"^Module \w+: \d+ failures, \d+ errors", msg):
                summary_failed = True
                continue
            if "At least one test failed" in msg:
                summary_failed = True
                continue
            if level in ("ERROR", "CRITICAL"):
                current = [level, []]
                log_errors.append(("%s %s: %s" % (level, logger, msg), current))
    tests = [(cls, name, "post_install" if line > last_loaded else "at_install")
             for cls, name, line in tests]
    return tests, outcomes, log_errors, summary_failed


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("--rc", type=int, required=True)
    parser.add_argument("--suite", required=True)
    parser.add_argument("--junit")
    parser.add_argument("--seconds", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        tests, outcomes, log_errors, summary_failed = parse(args.log)
    except OSError as error:
        tests, outcomes, log_errors, summary_failed = [], {}, [], True
        log_errors.append(("no log: %s" % error, ["ERROR", []]))
    failures = [key for key, (kind, _t) in outcomes.items() if kind == "FAIL"]
    errors = [key for key, (kind, _t) in outcomes.items() if kind == "ERROR"]
    phases = {}
    for _cls, _name, phase in tests:
        phases[phase] = phases.get(phase, 0) + 1
    problems = []
    if args.rc:
        problems.append("odoo exited with %d" % args.rc)
    if summary_failed and not (failures or errors):
        problems.append("Odoo reported failed tests")
    if log_errors:
        problems.append("%d error line(s) in the log" % len(log_errors))
    if not tests:
        problems.append("no test ran")

    if args.junit:
        suite = ET.Element("testsuite", name=args.suite, time=str(args.seconds))
        count = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for cls, name, phase in tests:
            case = ET.SubElement(suite, "testcase", classname=cls, name=name)
            case.set("phase", phase)
            count["tests"] += 1
            kind, text = outcomes.get((cls, name), (None, []))
            if kind:
                tag = "failure" if kind == "FAIL" else "error"
                count["failures" if kind == "FAIL" else "errors"] += 1
                ET.SubElement(case, tag, message="%s: %s" % (kind, name)).text = \
                    "\n".join(text)
        if problems and not (failures or errors):
            # The run itself failed: one erroring case says why.
            case = ET.SubElement(suite, "testcase", classname=args.suite,
                                 name="odoo_run")
            count["tests"] += 1
            count["errors"] += 1
            ET.SubElement(case, "error", message="; ".join(problems)).text = \
                "\n\n".join("%s\n%s" % (head, "\n".join(body[1]))
                            for head, body in log_errors)
        for key, value in count.items():
            suite.set(key, str(value))
        ET.ElementTree(suite).write(args.junit, encoding="utf-8",
                                    xml_declaration=True)

    for kind, keys in (("FAIL", failures), ("ERROR", errors)):
        for cls, name in keys:
            print("%s: %s: %s (%s)" % (args.suite, kind, name, cls))
            for line in outcomes[(cls, name)][1][-6:]:
                print("    %s" % line[:300])
    for head, body in log_errors[:10]:
        print("%s: %s" % (args.suite, head))
        for line in body[1][-4:]:
            print("    %s" % line[:300])
    failed = len(failures) + len(errors)
    print("%s: %d tests (at install %d, post install %d), %d failed, in %d s%s"
          % (args.suite, len(tests), phases.get("at_install", 0),
             phases.get("post_install", 0), failed, args.seconds,
             "; " + "; ".join(problems) if problems else ""))
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
