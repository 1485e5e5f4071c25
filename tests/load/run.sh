#!/usr/bin/env bash
# The load run of README "Benchmarks": guardians walking the whole answering flow against the app on SQLite, beside a
# bare /health measured by wrk against the same server in the same run. Prints flows/s, flow and request p50/p99, the
# ratio to the bare endpoint, server CPU per flow, and afterwards checks that the stored answers equal the acknowledged
# sends. Needs: the .NET SDK, wrk and sqlite3 (Debian packages). Traffic only to 127.0.0.1.
#   tests/load/run.sh                      # 8, 64 and 256 concurrent, three runs each, 20 s a run
#   LEVELS="64" REPEATS=1 SECONDS_PER_RUN=10 tests/load/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${WORK:-$(mktemp -d /tmp/arviointi-load.XXXXXX)}
port=${PORT:-5077}
levels=${LEVELS:-"8 64 256"}
repeats=${REPEATS:-3}
seconds=${SECONDS_PER_RUN:-20}
codes=${CODES:-100000}
url="http://127.0.0.1:${port}"

for tool in wrk sqlite3; do
  command -v "$tool" >/dev/null || { echo "$tool puuttuu: apt-get install $tool" >&2; exit 1; }
done

echo "== build (Release) into $work"
dotnet publish "$root/src/Arviointi.Web" -c Release -o "$work/app" -v q --nologo >/dev/null
dotnet build "$root/tests/Arviointi.Load" -c Release -o "$work/client" -v q --nologo >/dev/null

export ASPNETCORE_ENVIRONMENT=Development Database__DataFolder="$work/data" Surveys__Path="$root/surveys" \
  Logging__LogLevel__Default=Warning DOTNET_gcServer=1
if [ ! -f "$work/codes.txt" ]; then
  echo "== data: the demo region and $codes personal guardian codes"
  (cd "$work/app" && dotnet Arviointi.Web.dll --Generate:Codes "$codes" --Generate:CodesFile "$work/codes.txt" | tail -1)
fi
db="$work/data/arviointi.db"
round=$(sqlite3 "$db" "SELECT RoundId FROM AccessCodes WHERE Kind='Personal' AND \"Group\"='Guardian' ORDER BY Id DESC LIMIT 1")
stored() { sqlite3 "$db" "PRAGMA busy_timeout=10000; SELECT (SELECT COUNT(*) FROM Responses WHERE RoundId=$round) + (SELECT COUNT(*) FROM PendingResponses WHERE RoundId=$round)" | tail -1; }
before=$(stored)
rm -f "$work"/ack-*.txt

if curl -s "$url/health" >/dev/null; then echo "something already answers at $url" >&2; exit 1; fi
(cd "$work/app" && ASPNETCORE_URLS="$url" exec dotnet Arviointi.Web.dll >"$work/server.log" 2>&1) &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "$url/health" >/dev/null && break; sleep 1; done
pid=$(pgrep -P $server -f Arviointi.Web.dll || echo $server)
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }   # clock ticks, user + system
ticks=$(getconf CLK_TCK)

# Warm-up: JIT, caches, connection pool (its codes are used and counted like any other).
# Codes already used by an earlier run in the same WORK are skipped (their count is kept in skip.txt).
skip=$(cat "$work/skip.txt" 2>/dev/null || echo 0)
skip=$((skip + $(sed -E 's/.* taken=([0-9]+).*/\1/' <<<"$(dotnet "$work/client/Arviointi.Load.dll" --url "$url" --codes "$work/codes.txt" --skip "$skip" --concurrency 16 --seconds 5 --acknowledged "$work/ack-warmup.txt" | grep RESULT | tee /dev/stderr)")))

echo "== runs"
: >"$work/results.txt"
for level in $levels; do
  for run in $(seq 1 "$repeats"); do
    bare=$(wrk -t2 -c64 -d5s "$url/health" | awk '/Requests\/sec/ {print $2}')
    c0=$(cpu)
    line=$(dotnet "$work/client/Arviointi.Load.dll" --url "$url" --codes "$work/codes.txt" --skip "$skip" \
      --concurrency "$level" --seconds "$seconds" --acknowledged "$work/ack-$level-$run.txt" | tee "$work/run-$level-$run.txt" | grep RESULT)
    c1=$(cpu)
    skip=$((skip + $(sed -E 's/.* taken=([0-9]+).*/\1/' <<<"$line"))); echo "$skip" >"$work/skip.txt"
    flows=$(sed -E 's/.* flows=([0-9]+).*/\1/' <<<"$line"); fps=$(sed -E 's/.*flows_per_s=([0-9.]+).*/\1/' <<<"$line")
    cpu_ms=$(awk -v a="$c0" -v b="$c1" -v t="$ticks" -v f="$flows" 'BEGIN { printf "%.1f", (b - a) * 1000 / t / (f > 0 ? f : 1) }')
    ratio=$(awk -v b="$bare" -v f="$fps" 'BEGIN { printf "%.4f", f * 21 / b }')
    echo "$line health_req_per_s=$bare cpu_ms_per_flow=$cpu_ms flow_requests_to_health=$ratio" | tee -a "$work/results.txt"
  done
done

sleep 3   # the writer's last flush
echo "== after the load"
echo "server RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status); peak $(awk '/VmHWM/ {print $2, $3}' /proc/$pid/status)"
acknowledged=$(cat "$work"/ack-*.txt | sort -u | wc -l)
after=$(stored)
echo "acknowledged sends: $acknowledged; stored answers added: $((after - before))"
kill $server; wait $server 2>/dev/null || true; trap - EXIT
echo "integrity_check: $(sqlite3 "$db" 'PRAGMA integrity_check')"
echo "== medians per level (flows/s, flow p99 ms, worst request p99 ms, cpu ms/flow, health req/s)"
median() {  # median of key=value over the runs of one level
  grep "concurrency=$1 " "$work/results.txt" | grep -Eo " $2=[0-9.]+" | cut -d= -f2 | sort -g |
    awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
for level in $levels; do
  echo "concurrency $level: $(median "$level" flows_per_s) flows/s, flow p50 $(median "$level" flow_p50_ms) ms, p99 $(median "$level" flow_p99_ms) ms," \
    "request p99 $(median "$level" request_p99_ms) ms, $(median "$level" cpu_ms_per_flow) ms CPU/flow; /health $(median "$level" health_req_per_s) req/s," \
    "flow requests to /health $(median "$level" flow_requests_to_health)"
done
[ "$acknowledged" -eq "$((after - before))" ] || { echo "LOST OR EXTRA ANSWERS" >&2; exit 1; }
