"""A tiny run of the whole benchmark (issue 6), so that `make bench` never
rots: the generator, every measure's contenders in their own processes and
the JSON report. One iteration, no timing assertions; the totals of ours,
Odoo core, OCA and the naive SQL statement must agree to the cent."""
import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASURES = ["aging_today", "aging_backdated", "movement_year", "kpis_year",
            "closing_10000", "closing_100000", "closing_month",
            "capture_list", "pdf_aging", "promises_evaluate",
            "agenda_collector", "agenda_manager"]


def test_bench_smoke(output_dir):
    out = output_dir / "bench-smoke.json"
    if out.exists():
        out.unlink()
    # BENCH_SMOKE_DB: a database of one's own, when several people run it.
    env = dict(os.environ, BENCH_SCALE="tiny", BENCH_RUNS="1",
               BENCH_DB=os.environ.get("BENCH_SMOKE_DB",
                                       "cartera_bench_tiny"),
               BENCH_OUT=str(out))
    proc = subprocess.run(["bash", "scripts/bench.sh"], cwd=str(ROOT), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=900)
    log = proc.stdout.decode(errors="replace")
    (output_dir / "bench-smoke.log").write_text(log)
    assert proc.returncode == 0, log[-3000:]
    data = json.loads(out.read_text())
    assert data["scale"] == "tiny" and data["rows"] > 500 and data["cpu"]
    for measure in MEASURES:
        assert measure in data, measure
    for measure in ("aging_today", "aging_backdated"):
        entry = data[measure]
        oracle = entry["oracle_total"]
        assert oracle, entry
        for name in ("ours", "core", "oca", "stored"):
            if entry.get("%s_s" % name) == "n/a":
                continue
            assert abs(entry["%s_total" % name] - oracle) < 0.005, (
                measure, name, entry)
        assert entry["totals_agree"], entry
    capture = data["capture_list"]
    assert capture["ours_ms"] > 0 and capture["rows"] > 0, capture
    # Captura lists the open follow-ups; the generated closed ones are not.
    assert data["closed_followups"] > 0, data
    assert capture["length"] <= capture["open_followups"] < \
        capture["total_followups"], capture
    assert "pages_per_s" in data["pdf_aging"]
    # The closing sealed the follow-ups where they are, which kept their
    # chatter, and says where its time went.
    closing = data["closing_10000"]
    assert closing["ours_rows"] > 0 and closing["ours_messages"] > 0, closing
    assert closing["ours_followers"] > 0, closing
    assert set(closing["ours_steps_s"]) == {
        "lock_followups", "seal_followups", "close_activities"}, closing
    # At tiny it closes every open follow-up, none of the closed ones.
    assert closing["ours_rows"] == \
        data["followups"] - data["closed_followups"], (closing, data)
    assert closing["orm_rows"] == closing["ours_rows"], closing
    # The yardstick that deletes the activities by SQL closes the same.
    assert closing["delete_rows"] == closing["ours_rows"], closing
    month = data["closing_month"]
    assert month["month"] == "2026-10", month
    if month["followups"]:
        assert month["ours_rows"] == month["delete_rows"] > 0, month
        assert set(month["delete_steps_s"]) == set(month["ours_steps_s"])
    # Promises: our set-based evaluation and the per-promise ORM loop give
    # the same states and shares to the same customers' promises.
    promises = data["promises_evaluate"]
    assert promises["ours_rows"] == promises["promises"] > 0, promises
    assert promises["subset_agree"], promises
    # The agenda's first page: the same customers, order and amounts as
    # the per-customer ORM reads, for a collector and for a manager.
    for who in ("collector", "manager"):
        agenda = data["agenda_%s" % who]
        assert agenda["ours_rows"] > 0 and agenda["pages_agree"], agenda
    assert data["agenda_collector"]["ours_length"] < \
        data["agenda_manager"]["ours_length"]
    # The indicators over a year: ours and the per-customer ORM yardstick
    # agree.
    assert data["kpis_year"]["figures_agree"], data["kpis_year"]
