#!/usr/bin/env bash
# Idempotent set-up for a fresh machine: Debian packages the terminal and its tests use, then npm packages.
# Runs before `npm test`, `npm run serve` and `npm start` (their "pre" scripts), so a fresh clone needs
# nothing else. Fast when everything is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

# socat: serial tests over pseudo-terminals; libusb-1.0-0: node-hid at run time;
# udev: udevadm for SerialPort.list(); chromium: the browser the end-to-end tests drive;
# fonts-wqy-microhei: a CJK font, so Chinese text renders in the browser (and its screenshots);
# postgresql (15 on Debian 12): the chain headquarters' database (hq/, its tests start throwaway clusters);
# poppler-utils: pdftotext and pdffonts, the tests read the 交班报表 PDF back (its figures, its CJK font embedded).
debian_packages=(socat libusb-1.0-0 udev chromium fonts-wqy-microhei postgresql poppler-utils)

missing=()
for pkg in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install these system packages: ${missing[*]} (no apt-get here)" >&2
  fi
fi

# npm packages, reinstalled only when the lock file changed. The Electron binary cannot be downloaded
# on these machines; tests run under Node and Chromium, never by launching Electron.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
stamp=node_modules/.setup-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm packages (better-sqlite3 compiles from source: about two minutes)"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
