#!/usr/bin/env bash
# Production: the checks, migrations and static files, then gunicorn, the background worker and
# the scheduler against DATABASE_URL; Ctrl-C (or SIGTERM) stops all three.
# GUICHET_BIND (default 127.0.0.1:8000, behind the reverse proxy) and WEB_CONCURRENCY (gunicorn's
# workers, default 2 per core + 1) shape the web server; GUNICORN_CMD_ARGS adds to it.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
export GUICHET_STATIC_MANIFEST="${GUICHET_STATIC_MANIFEST:-1}"  # hashed, compressed files
bind="${GUICHET_BIND:-127.0.0.1:8000}"
workers="${WEB_CONCURRENCY:-$(($(nproc) * 2 + 1))}"

# Refuses (exit 1) with a missing or public secret; prints what else production lacks.
$bin/guichet check --deploy
bash scripts/compile-messages.sh
$bin/guichet migrate --noinput
$bin/guichet createcachetable
$bin/guichet collectstatic --noinput --verbosity 0

pids=()
stop() {
  trap - INT TERM EXIT
  kill "${pids[@]}" 2>/dev/null || true
  wait
}
trap stop INT TERM EXIT
$bin/guichet db_worker --interval 2 &
pids+=($!)
$bin/guichet scheduler --interval 30 &
pids+=($!)
# No access log here: request lines hold secret-link tokens (docs/decisions/0001); the reverse
# proxy logs requests with those paths masked (deploy/nginx.conf). Errors still go to stderr.
# Each gunicorn worker keeps its database connection between requests (CONN_MAX_AGE, checked
# before reuse): PostgreSQL starts a process per connection, ~10 ms per request otherwise, more
# than a page's queries (bench/web.py).
CONN_MAX_AGE="${CONN_MAX_AGE:-600}" $bin/gunicorn guichet.wsgi --bind "$bind" --workers "$workers" &
pids+=($!)
echo "Guichet (production): http://$bind with $workers web workers (Ctrl-C to stop)"
wait -n
