#!/usr/bin/env bash
# Web server, background worker and scheduler together; Ctrl-C stops all three.
# A development server: DEBUG on, demo secrets accepted (`make serve` is for production).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=1
bin=.venv/bin/guichet
trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT
$bin db_worker --interval 2 &
$bin scheduler --interval 30 &
echo "Guichet: http://127.0.0.1:8000 (Ctrl-C to stop)"
$bin runserver 127.0.0.1:8000 &
wait -n
