#!/usr/bin/env bash
# make lint checks the Python scripts with Debian's pyflakes (there is no
# PyPI here). Installs the pinned package when it is missing and this user
# can (root with apt, as on CI and a fresh machine of this kind); otherwise
# says what to install.
set -euo pipefail
PYTHON=${1:-/usr/bin/python3}
PYFLAKES_DEB=python3-pyflakes=2.5.0-1
"$PYTHON" -c 'import pyflakes' 2>/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$PYFLAKES_DEB" >/dev/null
  exit 0
fi
echo "lint: pyflakes missing for $PYTHON: apt-get install $PYFLAKES_DEB" >&2
exit 1
