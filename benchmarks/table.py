"""Markdown tables of the last results of each scale (for benchmarks/README.md):

    python benchmarks/table.py small large
"""
import json
import sys

from common import ROOT

RESULTS = ROOT / "benchmarks" / "results"


def seconds(entry, name):
    value = entry.get("%s_s" % name)
    if value is None or value == "n/a":
        return "–"
    text = ("%.3f s" if value < 10 else "%.1f s") % value
    if entry.get("%s_capped" % name):
        text = "≥ %.0f s (capped)" % value
    return text


def ratio(entry, key, peer=None):
    value = entry.get(key)
    if value in (None, "n/a"):
        return "–"
    prefix = "≥ " if peer and entry.get("%s_capped" % peer) else ""
    return "%s%s" % (prefix, ("%.2f" % value) if value < 10 else
                     "%.0f" % value)


def queries(entry):
    return "%s (core %s, OCA %s)" % (
        entry.get("ours_queries", "–"), entry.get("core_queries") or "–",
        entry.get("oca_queries") or "–")


def main(scales):
    data = {}
    for scale in scales:
        with open(str(RESULTS / ("%s.json" % scale))) as handle:
            data[scale] = json.load(handle)
    print("| measure | scale | ours | oracle | stored | Odoo core | OCA | "
          "ours/oracle | core/ours | OCA/ours | queries | peak MiB (ours) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for measure in ("aging_today", "aging_backdated", "movement_year"):
        for scale in scales:
            entry = data[scale].get(measure, {})
            print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | "
                  "%s |" % (
                      measure, scale, seconds(entry, "ours"),
                      seconds(entry, "oracle"), seconds(entry, "stored"),
                      seconds(entry, "core"), seconds(entry, "oca"),
                      ratio(entry, "ratio_oracle"),
                      ratio(entry, "ratio_core", "core"),
                      ratio(entry, "ratio_oca", "oca"), queries(entry),
                      entry.get("ours_peak_mib", "–")))
    print()
    print("| measure | scale | ours | steps (lock / seal / activities) "
          "| chatter kept | ORM loop | ms per row ours / ORM | ORM/ours "
          "per row | queries ours / ORM |")
    print("|---|---|---:|---|---:|---:|---:|---:|---:|")
    for measure in ("closing_10000", "closing_100000"):
        for scale in scales:
            entry = data[scale].get(measure, {})
            if entry.get("ours_s") in (None, "n/a"):
                continue
            steps = entry.get("ours_steps_s") or {}
            print("| %s | %s | %s (%s rows) | %s / %s / %s s | %s messages, "
                  "%s followers | %s (%s rows) | %s / %s | %s | %s / %s |" % (
                      measure, scale, seconds(entry, "ours"),
                      "{:,}".format(entry.get("ours_rows", 0)),
                      steps.get("lock_followups", "–"),
                      steps.get("seal_followups", "–"),
                      steps.get("close_activities", "–"),
                      "{:,}".format(entry.get("ours_messages") or 0),
                      "{:,}".format(entry.get("ours_followers") or 0),
                      seconds(entry, "orm"),
                      "{:,}".format(entry.get("orm_rows", 0)),
                      entry.get("ours_ms_per_row"),
                      entry.get("orm_ms_per_row"),
                      ratio(entry, "ratio_orm", "orm"),
                      entry.get("ours_queries"),
                      entry.get("orm_queries") or "–"))
    print()
    for scale in scales:
        capture = data[scale].get("capture_list", {})
        pdf = data[scale].get("pdf_aging", {})
        print("- %s: capture list %s ms with Odoo's read (batch read of "
              "11.0.1.2.0: %s ms measured beside it, %s ms recorded; %s "
              "queries, %s follow-ups, %s open); aging "
              "PDF %s pages in %s s = %s pages/s" % (
                  scale, capture.get("ours_ms"), capture.get("batch_now_ms"),
                  capture.get("batch_read_ms"),
                  capture.get("queries"),
                  "{:,}".format(capture.get("total_followups") or 0),
                  "{:,}".format(capture.get("open_followups") or 0),
                  pdf.get("pages"), pdf.get("seconds"),
                  pdf.get("pages_per_s")))


if __name__ == "__main__":
    main(sys.argv[1:] or ["small", "large"])
