#!/usr/bin/env bash
# Restores one InfluxDB 1.x database from a portable backup (deploy/backup-influxdb.sh, `influxd backup -portable`).
#
#   deploy/restore-influxdb.sh [--host HOST:PORT] [--database NAME] [--newdb NAME] DIR
#
# HOST:PORT is the server's meta/RPC address (`bind-address`, 127.0.0.1:8088 by default), as for the backup.
# influxd refuses to restore over a database that exists, and so does this: either
#   - restore under another name (--newdb plantkpi_restored), check it, then copy it across with InfluxQL:
#       SELECT * INTO plantkpi.autogen.:MEASUREMENT FROM plantkpi_restored.autogen./.*/ GROUP BY *
#     (points with the same series and time are overwritten, others kept), and DROP DATABASE plantkpi_restored; or
#   - DROP DATABASE plantkpi first (a disaster recovery), restore, and GRANT the users their rights on it again
#     (dropping a database drops the grants on it; deploy/README.md has the lines for the compose stack).
#
# Environment (the arguments win): INFLUX_BACKUP_HOST (127.0.0.1:8088), INFLUX_DATABASE (plantkpi), INFLUXD.
#
# InfluxDB 2.x: influx restore --host http://HOST:8086 --token "$INFLUX_OPERATOR_TOKEN" --bucket plantkpi \
#   [--new-bucket NAME] DIR     (or --full to replace every bucket and the metadata of a new server)
set -euo pipefail

usage() { echo "usage: $(sed -n '4p' "$0" | sed 's/^# *//')"; }

host="${INFLUX_BACKUP_HOST:-127.0.0.1:8088}"
db="${INFLUX_DATABASE:-plantkpi}"
newdb=""
while [ $# -gt 0 ]; do
  case "$1" in
    --host) host="${2:?--host takes HOST:PORT}"; shift 2 ;;
    --database) db="${2:?--database takes a NAME}"; shift 2 ;;
    --newdb) newdb="${2:?--newdb takes a NAME}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "restore-influxdb: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -ne 1 ]; then usage >&2; exit 2; fi
dir="${1%/}"
if ! ls "$dir"/*.manifest >/dev/null 2>&1; then
  echo "restore-influxdb: $dir holds no portable backup (no *.manifest): give a folder backup-influxdb.sh wrote" >&2
  exit 2
fi

args=(restore -portable -host "$host" -db "$db")
if [ -n "$newdb" ]; then args+=(-newdb "$newdb"); fi
if ! "${INFLUXD:-influxd}" "${args[@]}" "$dir"; then
  echo "restore-influxdb: influxd restore failed (above); if the database exists, see --newdb or DROP DATABASE in this script's header" >&2
  exit 1
fi
# the restored shards open a moment later: queries may answer "engine is closed" for a second or two
echo "restore-influxdb: database $db from $dir -> ${newdb:-$db} on $host"
