#!/usr/bin/env bash
# Debian packages the full test suite uses as real components: a PostgreSQL server (the store
# tests start a throwaway one) and chromium (the web UI's browser tests; Playwright's own
# browser download cannot work offline). Installed only when missing; without root or sudo, or
# when apt fails, it says so and those tests skip with a reason instead of failing.
set -uo pipefail

need=()
if ! command -v initdb >/dev/null && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    need+=(postgresql)
fi
[ -x /usr/bin/chromium ] || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo="sudo"
    else
        echo "warning: ${need[*]} missing and no root to install it; those tests will skip" >&2
        exit 0
    fi
fi
echo "installing Debian packages: ${need[*]}"
if ! { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq "${need[@]}"; }; then
    echo "warning: could not install ${need[*]}; those tests will skip" >&2
fi
exit 0
