#!/usr/bin/env bash
# Grade a learner's pushed notebooks with `npm run check` and report the points.
#
#   usage: docs/classroom/grade.sh SUBMISSION_DIR RESULTS_DIR
#
# Run it from anywhere, in a checkout of micrograd-ts where `npm ci` has run. It copies every
# notebook of SUBMISSION_DIR (keeping its folders; .git and .ipynb_checkpoints skipped) into the
# course (a notebook finds the package micrograd-ts from its own folder), grades them against the
# course's lessons, and writes into RESULTS_DIR: report.txt (what `npm run check` printed),
# gradebook.csv, gradebook.json and junit.xml. It prints "points: EARNED/POSSIBLE", adds the
# report to the GitHub Actions job summary when there is one, and exits as `npm run check` does:
# 0 when every exercise passes, 1 when one does not, 2 for a usage error.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 SUBMISSION_DIR RESULTS_DIR" >&2
  exit 2
fi
submission=$(cd "$1" && pwd)
mkdir -p "$2"
results=$(cd "$2" && pwd)
course=$(cd "$(dirname "$0")/../.." && pwd)
work="$course/.cache/classroom/submission-$$"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

found=0
while IFS= read -r -d '' notebook; do
  mkdir -p "$work/$(dirname "$notebook")"
  cp "$submission/$notebook" "$work/$notebook"
  found=$((found + 1))
done < <(cd "$submission" && find . -name '*.ipynb' -not -path '*/.*' -print0)
if [ "$found" -eq 0 ]; then
  echo "no notebooks (.ipynb) in $1: nothing to grade" >&2
  exit 2
fi

cd "$course"
status=0
npm run --silent check -- "$work" --jobs "${JOBS:-2}" --gradebook "$results" --format junit --out "$results/junit.xml" >"$results/report.txt" 2>"$results/progress.txt" || status=$?
sed "s#$work/##g" "$results/report.txt"
points=$(node -e '
  const book = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const sum = (k) => book.learners.reduce((s, l) => s + l[k], 0);
  console.log(`${sum("earned")}/${sum("possible")}`);
' "$results/gradebook.json" 2>/dev/null || echo "0/0")
echo "points: $points"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "## micrograd-ts: $points points"
    echo
    echo '```'
    sed "s#$work/##g" "$results/report.txt"
    echo '```'
  } >>"$GITHUB_STEP_SUMMARY"
  echo "::notice title=micrograd-ts::$points points"
fi
exit "$status"
