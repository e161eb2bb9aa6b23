#!/usr/bin/env bash
# Backs up the compose stack's data of record: the records database (PostgreSQL) and InfluxDB, into a new folder
# BACKUP_DIR/<UTC time>/ on the Docker host. Run it with the stack up, from anywhere (it changes to the repository
# root, where docker-compose.yml is), e.g. nightly from cron:
#
#   deploy/backup.sh [BACKUP_DIR]          (default: $PLANTKPI_BACKUP_DIR, else ./backups)
#
# It writes three files, each a complete copy on its own:
#   records.jsonl    `plantkpi records backup`: portable, checksummed; restores into PostgreSQL or the embedded
#                    store (`plantkpi records restore`)
#   records.pgdump   `pg_dump -Fc` of the same database, PostgreSQL's own format (`pg_restore`)
#   influxdb/        `influxd backup -portable` of the plantkpi database (deploy/restore-influxdb.sh, `influxd
#                    restore -portable`)
# Everything goes into BACKUP_DIR/<time>.partial, renamed to BACKUP_DIR/<time> once all three are done: a folder
# without .partial is a whole backup. Nothing is stopped: PostgreSQL and InfluxDB are read from snapshots while
# the pipeline runs. deploy/README.md ("Backup and restore") says how to restore and what is not in a backup.
set -euo pipefail
cd "$(dirname "$0")/.."

root="${1:-${PLANTKPI_BACKUP_DIR:-./backups}}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dest="$root/$stamp"
work="$dest.partial"
# the worker's plant config inside the image (docker-compose.yml): records.url names the postgres service
config=/app/config/examples/compose-site.yaml
# influxd backup writes here inside the influxdb container, then the folder is copied out and removed
inside="/tmp/plantkpi-backup-$stamp"

mkdir -p "$work"
trap 'echo "backup: failed; $work is incomplete (kept for a look; delete it)" >&2' ERR

# 1. the records, portable: plantkpi in the worker's image reads PostgreSQL and writes the backup to stdout
docker compose run --rm --no-deps -T worker records backup --config "$config" --out - >"$work/records.jsonl"

# 2. the same database in PostgreSQL's custom format (a second copy that needs no plantkpi to restore)
docker compose exec -T postgres pg_dump -U plantkpi -d plantkpi -Fc >"$work/records.pgdump"

# 3. InfluxDB: its meta/RPC port (127.0.0.1:8088) listens inside its container only, so the backup runs there
docker compose exec -T influxdb influxd backup -portable -db plantkpi "$inside"
docker compose cp "influxdb:$inside" "$work/influxdb"
docker compose exec -T influxdb rm -rf "$inside"

mv "$work" "$dest"
echo "backup: $dest"
ls -l "$dest"
