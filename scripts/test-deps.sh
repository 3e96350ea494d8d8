#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine: Chromium for
# the browser journeys. Safe to run again; does nothing when all is there.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM:-}" ]; then
  echo "Installing Debian's chromium for the browser tests..."
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
