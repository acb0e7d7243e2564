#!/usr/bin/env bash
# Compiles the translation catalogues (guichet/locale/<lang>/LC_MESSAGES/django.po) into the .mo
# files Django reads. The .mo files are built, never committed (.gitignore): `make test`, `make
# run`, `make serve` and scripts/serve.sh run this first; an up-to-date .mo is left as it is.
# Needs gettext's msgfmt (scripts/system-packages.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/../guichet"
compgen -G "locale/*/LC_MESSAGES/*.po" >/dev/null || exit 0  # no catalogue yet
# From guichet/: compilemessages walks the current folder for locale/ folders, never .venv/.
../.venv/bin/guichet compilemessages --verbosity 0
