#!/usr/bin/env bash
# Installs LiteLLM (the independent proxy the interop tests run against) into a cached
# virtualenv under target/; reinstalled only when tests/litellm/requirements.txt changes.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/litellm-venv
req=tests/litellm/requirements.txt
stamp=$venv/.requirements-stamp
if [ -x "$venv/bin/litellm" ] && cmp -s "$req" "$stamp"; then exit 0; fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
py=$(command -v python3 || true)
if [ -z "$py" ] || ! "$py" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "litellm: installing python3-venv"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  py=$(command -v python3)
fi

echo "litellm: creating $venv (about a minute, once)"
rm -rf "$venv"
"$py" -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
cp "$req" "$stamp"
