#!/usr/bin/env bash
# Installs what the side-by-side benchmark (bench/run.ts) needs beyond npm packages:
#   - Debian's Scrapy (python3-scrapy, for /usr/bin/python3)
#   - GNU time (/usr/bin/time -v: CPU seconds and peak RSS of each tool's process tree)
# Crawlee comes from package.json (devDependency). Idempotent; run as root (or with sudo).
#   bash scripts/bench-setup.sh
set -euo pipefail

need=()
if ! /usr/bin/python3 -c "import scrapy" >/dev/null 2>&1; then need+=(python3-scrapy); fi
if [ ! -x /usr/bin/time ]; then need+=(time); fi
if [ ${#need[@]} -eq 0 ]; then
  echo "bench-setup: nothing to install"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Wait for a concurrent apt/dpkg run instead of failing on its lock.
APT_OPTS=(-o DPkg::Lock::Timeout=600 -y -q)
echo "bench-setup: installing ${need[*]}"
$SUDO apt-get "${APT_OPTS[@]}" update
$SUDO apt-get "${APT_OPTS[@]}" install --no-install-recommends "${need[@]}"
/usr/bin/python3 -c "import scrapy; print('bench-setup: scrapy', scrapy.__version__)"
