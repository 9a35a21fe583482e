#!/usr/bin/env bash
# Debian packages the tests need: chromium for the browser test, a CJK font for its screenshots. Installed once; later runs
# only check. Needs root (CI runs as root); without it, says what to install.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# Chinese glyphs for browser screenshots (without them a re-shot image shows boxes)
dpkg -s fonts-wqy-zenhei >/dev/null 2>&1 || need+=(fonts-wqy-zenhei)
# OCR of scans: opencv-python (a dependency of rapidocr-onnxruntime) links libGL and glib;
# the OCR benchmark and the scan tests render minutes with the font above
dpkg -s libgl1 >/dev/null 2>&1 || need+=(libgl1)
dpkg -s libglib2.0-0 >/dev/null 2>&1 || need+=(libglib2.0-0)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "please install: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
