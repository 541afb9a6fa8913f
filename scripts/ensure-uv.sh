#!/usr/bin/env bash
# Print the path of a uv executable. Uses the uv on PATH; otherwise installs uv from
# PyPI into .tools/uv (pip --target: no root, no system site-packages touched).
set -euo pipefail

if command -v uv >/dev/null 2>&1; then
  command -v uv
  exit 0
fi

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.tools/uv"
if [ -x "$dest/bin/uv" ]; then
  echo "$dest/bin/uv"
  exit 0
fi

python=${PYTHON:-python3}
if ! "$python" -m pip --version >/dev/null 2>&1; then
  echo "uv is not installed and '$python -m pip' is missing." >&2
  echo "Install one of them (e.g. 'apt-get install python3-pip' or 'pip install uv') and retry." >&2
  exit 1
fi
echo "Installing uv into $dest ..." >&2
"$python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$dest" "uv>=0.8" >&2
echo "$dest/bin/uv"
