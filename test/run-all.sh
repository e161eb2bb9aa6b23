#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs, type-checks, lints, runs vitest,
# and ends with one line "N passed, N failed" (vitest's JSON reporter plus the two static checks).
set -uo pipefail
cd "$(dirname "$0")/.."

# npm install, not npm ci: this npm writes lock files without other platforms' optional packages (biome's and
# msgpackr's native builds) and then refuses them in npm ci; install keeps to the lock file's versions all the same
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund || { echo "npm install failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# the servers the integration tests start privately: InfluxDB 1.x, Mosquitto, Redis and PostgreSQL (the records
# store) from Debian's packages, Mosquitto's command-line clients, and Chromium with CJK fonts for the portal
# Debian's packages start their services; the tests use private instances on free ports instead
PATH="$PATH:/usr/sbin"
missing=()
command -v influxd >/dev/null 2>&1 || missing+=(influxdb)
command -v mosquitto >/dev/null 2>&1 || missing+=(mosquitto)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# PostgreSQL's server binaries are not on PATH: test/services/postgres.ts finds them in /usr/lib/postgresql/*/bin
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
# mosquitto_pub is the foreign publisher of the collector's ledger tests
command -v mosquitto_pub >/dev/null 2>&1 || missing+=(mosquitto-clients)
# the portal's browser tests drive Debian's Chromium (playwright-core with executablePath); CJK fonts so that the
# zh-CN labels render in their screenshots
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "could not install ${missing[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

passed=0
failed=0
echo "== typecheck (tsc --noEmit)"
if npx tsc --noEmit; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "typecheck FAILED"; fi
echo "== lint and format (biome check)"
if npx biome check . >/tmp/plantkpi-biome.log 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); tail -40 /tmp/plantkpi-biome.log; echo "lint FAILED"; fi

echo "== vitest"
mkdir -p test-results
rm -f test-results/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
vitest_rc=$?
if [ -f test-results/vitest.json ]; then
  read -r vp vf vt < <(node -e '
    const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
    const suitesFailed = (r.testResults || []).filter((s) => s.status === "failed" && (s.assertionResults || []).length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + suitesFailed, r.numTotalTests);')
  passed=$((passed + vp))
  failed=$((failed + vf))
  if [ "$vt" = "0" ]; then echo "vitest ran no test"; failed=$((failed + 1)); fi
else
  echo "vitest wrote no JSON report"
  failed=$((failed + 1))
fi
if [ "$vitest_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
