#!/usr/bin/env bash
# Debian packages Guichet needs beyond Python: Pango for WeasyPrint's PDFs (with fonts for every
# script they print), Chromium for screenshots and browser tests, Tesseract with French data to
# read screenshots (observatory), gettext's msgfmt to compile the translations (scripts/compile-messages.sh).
# Installs what is missing when run as root; otherwise says what to do.
set -euo pipefail
missing=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi 'dejavu' || missing+=(fonts-dejavu-core)
# Chinese characters in the receipt PDF and in screenshots (DejaVu has Latin, Cyrillic, Arabic).
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-microhei)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
tesseract --list-langs 2>/dev/null | grep -qx 'fra' || missing+=(tesseract-ocr tesseract-ocr-fra)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Please install these Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
fi
