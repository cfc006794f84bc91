#!/usr/bin/env bash
# Shared by every corpus's run.sh: copy its round/ to a temp dir, restore file times from
# times.json, score with score.py. Set by the caller: CORPUS (the corpus folder), ROUND.
set -euo pipefail
BIN="$(realpath "${1:?usage: run.sh BINARY}")"
HERE="$(cd "${CORPUS:?set by the corpus run.sh}" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cp -r "$HERE/round" "$TMP/round"
cp "$HERE/round.truth.json" "$TMP/round.truth.json"
python3 - "$HERE/times.json" "$TMP/round" <<'PY'
import json, subprocess, sys
times = json.load(open(sys.argv[1], encoding="utf-8"))
for rel, t in times.items():
    subprocess.run(["touch", "-d", t.replace("T", " "), f"{sys.argv[2]}/{rel}"], check=True)
PY
cd "$REPO"
python3 "$REPO/../shared/tools/score.py" "$BIN" "$TMP/round" --round "$ROUND" --json --keep "${KEEP:-$TMP/out}" "${@:2}"
