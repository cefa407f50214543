#!/usr/bin/env bash
# Write OUT/report.md: scenarios side by side (rows) per column (emud, tcmu-runner, fileio),
# plus iscsi-test-cu failing tests and skips. Usage: vm/report.sh [OUT]  (default out/vm)
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:-$VM_DIR/../out/vm}
R=$OUT/results.tsv
[ -f "$R" ] || { echo "report.sh: no $R" >&2; exit 1; }

# columns in a fixed order, only those present
cols=()
for c in emud tcmu-runner fileio; do
  awk -F'\t' -v c="$c" 'NR > 1 && $1 == c {f=1} END {exit !f}' "$R" && cols+=("$c")
done
mapfile -t scenarios < <(awk -F'\t' 'NR > 1 && !seen[$2]++ {print $2}' "$R")

cell() {  # cell COLUMN SCENARIO
  awk -F'\t' -v c="$1" -v s="$2" '
    NR > 1 && $1 == c && $2 == s {
      if ($3 == "N/A") { out = "n/a" }
      else if ($3 == "SKIP") { out = "SKIP (missing tools: see its log.txt)" }
      else {
        out = $3
        if ($4 + $5 > 0) out = out " " $4 "/" ($4 + $5)
        out = out " (" $6 " s)"
      }
    }
    END { print (out == "" ? "–" : out) }' "$R"
}

iscsi_dir() { echo "$OUT/$1/iscsi-test-cu"; }

{
  echo "# emud VM harness report"
  echo
  echo "Generated $(date -u '+%Y-%m-%d %H:%M UTC'); kernel $(cat "$VM_DIR/cache/kernel-version" 2>/dev/null || echo '?')."
  echo "Cells: status passed/total checks (scenario seconds). n/a = the scenario does not apply to that column (why: \"Not applicable\" below)."
  echo
  printf '| scenario |'; for c in "${cols[@]}"; do printf ' %s |' "$c"; done; echo
  printf '|---|'; for c in "${cols[@]}"; do printf '%s' '---|'; done; echo
  for s in "${scenarios[@]}"; do
    printf '| %s |' "$s"; for c in "${cols[@]}"; do printf ' %s |' "$(cell "$c" "$s")"; done; echo
  done
  if ls "$OUT"/*/iscsi-test-cu/failures.txt > /dev/null 2>&1; then
    for row in "tests run" "failed tests (CUnit)" "distinct failing names" "[SKIPPED] lines"; do
      printf '| iscsi-test-cu: %s |' "$row"
      for c in "${cols[@]}"; do
        d=$(iscsi_dir "$c")
        case "$row" in
          "tests run")              v=$(cat "$d/tests-run.txt" 2>/dev/null || echo –) ;;
          "failed tests (CUnit)")   v=$(cat "$d/tests-failed.txt" 2>/dev/null || echo –) ;;
          "distinct failing names") v=$( [ -f "$d/failures.txt" ] && grep -c . "$d/failures.txt" || echo –) ;;
          "[SKIPPED] lines")        v=$(cat "$d/skipped.txt" 2>/dev/null || echo –) ;;
        esac
        printf ' %s |' "$v"
      done
      echo
    done
    echo
    echo "## iscsi-test-cu failing tests"
    echo
    echo "CUnit counts a skipped test as passed; failures are the \"Suite X, Test Y had failures\" lines."
    mapfile -t names < <(cat "$OUT"/*/iscsi-test-cu/failures.txt 2>/dev/null | sort -u)
    if [ ${#names[@]} -gt 0 ]; then
      echo
      printf '| test |'; for c in "${cols[@]}"; do printf ' %s |' "$c"; done; echo
      printf '|---|'; for c in "${cols[@]}"; do printf '%s' '---|'; done; echo
      for n in "${names[@]}"; do
        printf '| %s |' "$n"
        for c in "${cols[@]}"; do
          f=$(iscsi_dir "$c")/failures.txt
          if [ ! -f "$f" ]; then printf ' – |'; elif grep -qxF "$n" "$f"; then printf ' FAIL |'; else printf ' ok |'; fi
        done
        echo
      done
    fi
    echo
    echo "## iscsi-test-cu skip reasons"
    echo
    echo "Each [SKIPPED] line is a libiscsi check that found something unsupported (or a flag not given)."
    for c in "${cols[@]}"; do
      f=$(iscsi_dir "$c")/skipped-reasons.txt
      [ -f "$f" ] || continue
      echo
      echo "- **$c**: $(cat "$(iscsi_dir "$c")/skipped.txt" 2>/dev/null || echo ?) lines"
      sed 's/^ *\([0-9]*\) \(.*\)$/  - \1 × \2/' "$f"
    done
  fi
  echo
  echo "## Not applicable"
  echo
  echo "Why a column has no figure for a scenario (each scenario's \`N/A:\` line)."
  echo
  any=0
  for s in "${scenarios[@]}"; do
    for c in "${cols[@]}"; do
      reason=$(sed -n 's/^N\/A: //p' "$OUT/$c/$s/log.txt" 2>/dev/null | head -n 1)
      [ -n "$reason" ] || continue
      any=1
      echo "- **$s**, $c: $reason"
    done
  done
  [ "$any" = 1 ] || echo "none"
  echo
  echo "## Failed checks"
  echo
  any=0
  for c in "${cols[@]}"; do
    for s in "${scenarios[@]}"; do
      log=$OUT/$c/$s/log.txt
      [ -f "$log" ] || continue
      fails=$(grep -E '^(FAIL:|DAEMON (CRASHED|EXITED))' "$log" || true)
      [ -n "$fails" ] || continue
      any=1
      echo "- **$c / $s**"
      echo "$fails" | sed 's/^/  - /'
    done
  done
  [ "$any" = 1 ] || echo "none"
} > "$OUT/report.md"
echo "$OUT/report.md"
