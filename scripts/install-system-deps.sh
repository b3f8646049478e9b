#!/usr/bin/env bash
# Install the Debian packages Happy Partner needs, only those that are missing.
# Called by `make run` and `make test`, so a fresh machine (and CI) gets them without a manual step.
set -euo pipefail

# command-on-PATH  debian-package
needed=(
  "msgfmt gettext"
)

missing=()
for pair in "${needed[@]}"; do
  read -r cmd pkg <<<"$pair"
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "Missing system packages (${missing[*]}) and no root or sudo to install them." >&2
  echo "Install them with: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
