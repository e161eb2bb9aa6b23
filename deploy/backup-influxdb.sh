#!/usr/bin/env bash
# Backs up one InfluxDB 1.x database in the portable format (`influxd backup -portable`) into a new folder.
#
#   deploy/backup-influxdb.sh [--host HOST:PORT] [--database NAME] DIR
#
# HOST:PORT is the server's meta/RPC address (`bind-address` in influxdb.conf, 127.0.0.1:8088 by default), not
# its HTTP port 8086: run this where that address is reachable, usually on the InfluxDB machine or in its
# container (deploy/backup.sh does the latter for the compose stack). The files are written to DIR.partial and
# renamed to DIR once influxd is done, so a folder named DIR is always a complete backup. The points are read
# from a snapshot while the server runs; writes go on meanwhile.
#
# Environment (the arguments win): INFLUX_BACKUP_HOST (127.0.0.1:8088), INFLUX_DATABASE (plantkpi), INFLUXD (the
# influxd binary: influxd).
#
# InfluxDB 2.x has no influxd backup; its CLI backs up every bucket and the metadata, with an operator token:
#   influx backup --host http://HOST:8086 --token "$INFLUX_OPERATOR_TOKEN" DIR
#   influx backup --host http://HOST:8086 --token "$INFLUX_OPERATOR_TOKEN" --bucket plantkpi DIR
set -euo pipefail

usage() { echo "usage: $(sed -n '4p' "$0" | sed 's/^# *//')"; }

host="${INFLUX_BACKUP_HOST:-127.0.0.1:8088}"
db="${INFLUX_DATABASE:-plantkpi}"
while [ $# -gt 0 ]; do
  case "$1" in
    --host) host="${2:?--host takes HOST:PORT}"; shift 2 ;;
    --database) db="${2:?--database takes a NAME}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "backup-influxdb: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -ne 1 ]; then usage >&2; exit 2; fi
dir="${1%/}"
if [ -e "$dir" ]; then
  echo "backup-influxdb: $dir exists: give a new folder (a backup never mixes with another)" >&2
  exit 2
fi

rm -rf "$dir.partial"
if ! "${INFLUXD:-influxd}" backup -portable -host "$host" -db "$db" "$dir.partial"; then
  rm -rf "$dir.partial"
  echo "backup-influxdb: influxd backup of $db from $host failed (above); no backup written" >&2
  exit 1
fi
if ! ls "$dir.partial"/*.manifest >/dev/null 2>&1; then
  echo "backup-influxdb: influxd wrote no manifest into $dir.partial; not a backup, left for a look" >&2
  exit 1
fi
mv "$dir.partial" "$dir"
echo "backup-influxdb: database $db from $host -> $dir ($(du -sk "$dir" | cut -f1) KiB)"
