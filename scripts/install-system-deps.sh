#!/usr/bin/env bash
# Install the Debian packages Happy Partner needs, only those that are missing.
# Called by `make run` and `make test`, so a fresh machine (and CI) gets them without a manual step.
set -euo pipefail

# command-on-PATH or /absolute/file  debian-package
needed=(
  "msgfmt gettext"
  "chromium chromium"  # the dashboard's end-to-end tests drive a real headless Chromium
  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc fonts-wqy-microhei"  # Chinese in its screenshots
  "espeak-ng espeak-ng"  # offline text to speech (audio/), Chinese and English voices
  "ffmpeg ffmpeg"  # decodes what libsndfile cannot: WebM/Opus from browsers, odd MP3s
)

missing=()
for pair in "${needed[@]}"; do
  read -r what pkg <<<"$pair"
  if [[ "$what" == /* ]]; then
    [ -e "$what" ] || missing+=("$pkg")
  else
    command -v "$what" >/dev/null 2>&1 || missing+=("$pkg")
  fi
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
