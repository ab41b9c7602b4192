#!/usr/bin/env bash
# One-time (and idempotent) set-up: system packages via apt-get where missing, then a project
# virtualenv in .venv with foialens and its test dependencies. Re-running is cheap.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if ((${#need[@]})); then
  echo "setup: installing system packages: ${need[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$python" -m venv .venv
fi
stamp=.venv/.foialens-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages into .venv (first run takes a few minutes)"
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi

# Byte-compile the project's sources (only what changed): the editable install leaves them as
# source, and where PYTHONDONTWRITEBYTECODE is set (containers, CI) every command would compile
# them again, ~0.06 s of each `foialens search`.
# The folders are pyproject.toml's package-dir mapping.
.venv/bin/python - <<'PY'
import compileall, tomllib
folders = set(tomllib.load(open("pyproject.toml", "rb"))["tool"]["setuptools"]["package-dir"].values())
ok = all(compileall.compile_dir(folder, quiet=1) for folder in sorted(folders))
raise SystemExit(0 if ok else 1)
PY

# Build the clause model once into the cache directory (skipped when the artifact for the current
# training data and code version is there).
.venv/bin/foialens train --if-missing
