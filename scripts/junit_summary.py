"""Print one closing line for every pytest run of `make test` together."""
import sys
import xml.etree.ElementTree as ET


def main(paths):
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for path in paths:
        root = ET.parse(path).getroot()
        for suite in root.iter("testsuite"):
            for key in totals:
                totals[key] += int(suite.get(key, 0))
    failed = totals["failures"] + totals["errors"]
    passed = totals["tests"] - failed - totals["skipped"]
    print("total: %d passed, %d failed, %d skipped"
          % (passed, failed, totals["skipped"]))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
