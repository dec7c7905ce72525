#!/bin/sh
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser test (test/browser/):
# installs it with apt-get when it is missing. Never downloads a browser build any other way.
set -eu
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
fail() {
  echo "ensure-chromium: $1" >&2
  echo "ensure-chromium: the browser test needs Debian's Chromium at $CHROMIUM; install it with:" >&2
  echo "ensure-chromium:   apt-get update && apt-get install -y chromium" >&2
  exit 1
}
command -v apt-get >/dev/null 2>&1 || fail "$CHROMIUM is missing and there is no apt-get to install it"
if [ "$(id -u)" -ne 0 ]; then
  fail "$CHROMIUM is missing and installing it needs root (this is uid $(id -u))"
fi
echo "ensure-chromium: installing chromium with apt-get..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || fail "apt-get update failed"
apt-get install -y -qq chromium >&2 || fail "apt-get install chromium failed"
[ -x "$CHROMIUM" ] || fail "apt-get installed chromium but $CHROMIUM is still missing"
echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) installed" >&2
