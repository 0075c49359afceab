#!/usr/bin/env bash
# The whole suite: lint, a fresh test database, the addon's tests through
# pytest-odoo, the addon's tests through Odoo's own runner on a fresh plain
# database (scripts/test_plain.sh), then the live-server tests (a fixture
# starts a real Odoo). Each part's time is printed and kept in
# test-output/timings.txt.
#   scripts/test.sh [live-test paths...]
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
OUT=$ROOT/test-output
rm -rf "$OUT"; mkdir -p "$OUT"
DB=${CARTERA_TEST_DB:-cartera_test}
status=0
T0=$(date +%s)
t_part=$T0
timed() {  # timed NAME: the time since the previous part
    local now; now=$(date +%s)
    printf 'test: %-28s %5d s\n' "$1" $((now - t_part)) | tee -a "$OUT/timings.txt"
    t_part=$now
}
# The whole suite leaves the git tree as it found it: tests write to
# test-output/ (README images: make screenshots; bench results: make bench).
git_state() {
    git -C "$ROOT" status --porcelain --untracked-files=all 2>/dev/null
    git -C "$ROOT" diff HEAD 2>/dev/null | sha256sum
}
[ $# -gt 0 ] || git_before=$(git_state)

"$ROOT/scripts/pg_up.sh" || exit 1
if [ $# -eq 0 ]; then
    bash "$ROOT/scripts/lint.sh" || status=1
    timed lint
fi
"$ROOT/scripts/db_ensure.sh" "$DB" --fresh || { echo "test: could not build $DB"; exit 1; }
timed "database $DB"

if [ $# -eq 0 ]; then
    echo "test: addon tests (pytest-odoo on $DB)"
    "$VENV/bin/pytest" -p no:cacheprovider -q -W ignore::DeprecationWarning \
        --odoo-database="$DB" --odoo-addons-path="$ADDONS_PATH" \
        --junitxml="$OUT/addon.xml" cartera_seguimiento/tests || status=1
    timed "addon tests (pytest-odoo)"
    echo "test: addon tests (Odoo's runner on a plain database)"
    CARTERA_PLAIN_DB=${CARTERA_PLAIN_DB:-${DB}_plain} \
        bash "$ROOT/scripts/test_plain.sh" || status=1
    timed "addon tests (plain database)"
fi

echo "test: live-server tests"
CARTERA_TEST_DB=$DB "$BVENV/bin/pytest" -p no:cacheprovider -q \
    --junitxml="$OUT/live.xml" "${@:-tests}" || status=1
timed "live-server tests"
echo "test: whole run $(( $(date +%s) - T0 )) s" | tee -a "$OUT/timings.txt"

"$BVENV/bin/python" "$ROOT/scripts/junit_summary.py" "$OUT"/*.xml || status=1
if [ $# -eq 0 ] && [ "$(git_state)" != "$git_before" ]; then
    echo "test: FAILED: the run changed the git tree:"
    diff <(echo "$git_before") <(git_state) | grep '^[<>]' \
        | sed 's/^\(.\) [0-9a-f]\{64\}  -$/\1 (the contents of tracked files)/'
    status=1
fi
exit $status
