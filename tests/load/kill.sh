#!/usr/bin/env bash
# Kill under load (issue 11, "Faults"): guardians send answers while the server is killed with SIGKILL, KILLS times,
# and restarted each time. Afterwards: every send acknowledged to a client is stored (its code is used), the stored
# answers equal the codes' uses (none stored twice, none lost), and PRAGMA integrity_check is ok.
# Needs the .NET SDK, sqlite3 and python3 (the keyed code hash). Traffic only to 127.0.0.1.
#   tests/load/kill.sh            KILLS=5 tests/load/kill.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${WORK:-$(mktemp -d /tmp/arviointi-kill.XXXXXX)}
port=${PORT:-5078}
kills=${KILLS:-20}
url="http://127.0.0.1:${port}"

dotnet publish "$root/src/Arviointi.Web" -c Release -o "$work/app" -v q --nologo >/dev/null
dotnet build "$root/tests/Arviointi.Load" -c Release -o "$work/client" -v q --nologo >/dev/null
export ASPNETCORE_ENVIRONMENT=Development Database__DataFolder="$work/data" Surveys__Path="$root/surveys" Logging__LogLevel__Default=Warning
[ -f "$work/codes.txt" ] || (cd "$work/app" && dotnet Arviointi.Web.dll --Generate:Codes 20000 --Generate:CodesFile "$work/codes.txt" | tail -1)
db="$work/data/arviointi.db"
round=$(sqlite3 "$db" "SELECT RoundId FROM AccessCodes WHERE Kind='Personal' AND \"Group\"='Guardian' ORDER BY Id DESC LIMIT 1")

if curl -s "$url/health" >/dev/null; then echo "something already answers at $url" >&2; exit 1; fi
start() {
  (cd "$work/app" && ASPNETCORE_URLS="$url" exec dotnet Arviointi.Web.dll >>"$work/server.log" 2>&1) &
  server=$!
  for _ in $(seq 1 60); do curl -sf "$url/health" >/dev/null && return; sleep 0.5; done
  echo "the server did not start" >&2; exit 1
}

counts() { sqlite3 "$db" "SELECT (SELECT COALESCE(SUM(Uses), 0) FROM AccessCodes WHERE RoundId=$round), (SELECT COUNT(*) FROM Responses WHERE RoundId=$round) + (SELECT COUNT(*) FROM PendingResponses WHERE RoundId=$round)"; }
before=$(counts)
skip=0
for k in $(seq 1 "$kills"); do
  start
  dotnet "$work/client/Arviointi.Load.dll" --url "$url" --codes "$work/codes.txt" --skip "$skip" --concurrency 16 --seconds 120 \
    --acknowledged "$work/ack-$k.txt" >"$work/client-$k.txt" 2>&1 &
  client=$!
  sleep "$(awk -v k="$k" 'BEGIN { srand(k); printf "%.2f", 8 + rand() * 12 }')"
  kill -9 "$server"; wait "$server" 2>/dev/null || true
  wait "$client" || true   # its flows in flight fail: they were never acknowledged
  taken=$(grep -Eo 'taken=[0-9]+' "$work/client-$k.txt" | cut -d= -f2)
  echo "kill $k: $(grep -Eo 'acknowledged=[0-9]+ errors=[0-9]+' "$work/client-$k.txt")"
  skip=$((skip + taken))
done

# One clean start and stop: what waited for a flush is flushed as after any restart.
start; sleep 2; kill "$server"; wait "$server" 2>/dev/null || true

cat "$work"/ack-[0-9]*.txt | sort -u >"$work/acknowledged.txt"
python3 - "$work/data/answering-keys.development.json" "$work/acknowledged.txt" >"$work/hashes.txt" <<'PY'
import base64, hashlib, hmac, json, sys
key = base64.b64decode(json.load(open(sys.argv[1]))["CodeKey"])
for code in open(sys.argv[2]).read().split():
    print(hmac.new(key, code.upper().encode(), hashlib.sha256).hexdigest())
PY
acknowledged=$(wc -l <"$work/hashes.txt")
unused=$(sqlite3 "$db" <<SQL | tail -1
CREATE TEMP TABLE ack(h TEXT);
.import $work/hashes.txt ack
SELECT COUNT(*) FROM ack LEFT JOIN AccessCodes c ON c.Hash = ack.h WHERE c.Uses IS NOT 1;
SQL
)
after=$(counts)
uses=$(( ${after%|*} - ${before%|*} )); stored=$(( ${after#*|} - ${before#*|} ))
integrity=$(sqlite3 "$db" "PRAGMA integrity_check")
echo "kills $kills; acknowledged sends $acknowledged, of them not stored $unused; codes used $uses; answers stored $stored; integrity_check $integrity"
[ "$unused" -eq 0 ] && [ "$uses" -eq "$stored" ] && [ "$integrity" = ok ]
