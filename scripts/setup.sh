#!/usr/bin/env bash
# Installs what VerifyPipeline needs on a fresh Debian 12 machine of this kind, idempotently.
#   scripts/setup.sh          runtime needs (run the system)
#   scripts/setup.sh --test   plus the test infrastructure (PostgreSQL, Chromium, Azurite)
set -euo pipefail
cd "$(dirname "$0")/.."

runtime=(poppler-utils libgtk-3-0 libtiff-tools tesseract-ocr tesseract-ocr-ita tesseract-ocr-eng libtesseract5
         fonts-ocr-b fonts-dejavu-core fonts-liberation2 fonts-urw-base35 zbar-tools
         fonts-roboto-unhinted fonts-linuxlibertine fonts-crosextra-carlito fonts-crosextra-caladea fonts-courier-prime
         fonts-ebgaramond fonts-dancingscript
         fonts-open-sans fonts-lato fonts-sil-charis fonts-cabin fonts-inconsolata fonts-sil-gentium-basic)
testing=(postgresql-15 chromium)
want=("${runtime[@]}")
[ "${1:-}" = "--test" ] && want+=("${testing[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
  # npm tools live outside the clone (a clean clone must not reinstall 360 MB each time on the same machine).
  TOOLS=${VP_TOOLS_DIR:-$HOME/.cache/verifypipeline/tools}
  # Azurite: Azure Blob emulator; MailDev: SMTP server with a REST API; axe: axe-core, injected into the review desk's
  # pages by the browser tests (accessibility, issue 15).
  for tool in azurite maildev axe; do
    if [ ! -d "$TOOLS/$tool/node_modules" ] || ! cmp -s "tools/$tool/package-lock.json" "$TOOLS/$tool/package-lock.json"; then
      echo "setup: installing $tool (npm) into $TOOLS/$tool" >&2
      mkdir -p "$TOOLS/$tool"
      cp "tools/$tool/package.json" "tools/$tool/package-lock.json" "$TOOLS/$tool/"
      npm ci --prefix "$TOOLS/$tool" --no-audit --no-fund --loglevel=error >/dev/null
    fi
  done
fi
