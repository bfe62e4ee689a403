#!/usr/bin/env bash
# Installs Mesa's software Vulkan driver (lavapipe) recent enough for Dawn, so that the webgpu
# backend's tests run on a machine without a GPU. Debian 12's own Mesa 22.3 is rejected by Dawn;
# the backports suite has Mesa 25. The suite is enabled with the URIs and keyring of the machine's
# OWN Debian source (read from /etc/apt/sources.list and /etc/apt/sources.list.d/), so this
# script names no mirror. Idempotent: exits at once when a new enough driver is installed.
# Run as root (CI does, before `npm ci`). Exit 0 when installed or already present, 1 otherwise.
set -euo pipefail

MIN_MESA_MAJOR=23
PACKAGE=mesa-vulkan-drivers
SOURCE_FILE=/etc/apt/sources.list.d/lpt-backports.sources

say() { echo "install-lavapipe: $*"; }

major_of() { # "25.0.7-2~bpo12+1" -> 25; "" -> 0
  local v=${1#*:}
  v=${v%%.*}
  [[ $v =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

installed_version() { dpkg-query -W -f='${Status} ${Version}\n' "$PACKAGE" 2>/dev/null | awk '$3 == "installed" { print $4 }'; }

if (($(major_of "$(installed_version)") >= MIN_MESA_MAJOR)); then
  say "$PACKAGE $(installed_version) already installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  say "needs root to install $PACKAGE (Mesa >= $MIN_MESA_MAJOR); run: sudo $0"
  exit 1
fi
. /etc/os-release
codename=${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}

# The distribution's own suites may already be new enough (Debian 13 ships Mesa 25).
candidate=$(apt-cache policy "$PACKAGE" 2>/dev/null | awk '/Candidate:/ { print $2 }')
if (($(major_of "$candidate") >= MIN_MESA_MAJOR)); then
  say "installing $PACKAGE $candidate"
  DEBIAN_FRONTEND=noninteractive apt-get install -o DPkg::Lock::Timeout=600 -y --no-install-recommends "$PACKAGE"
  exit 0
fi

# "URI<TAB>Signed-By" of every enabled binary source carrying the release suite itself.
debian_sources() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && [ "$f" != "$SOURCE_FILE" ] || continue
    awk -v suite="$codename" '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no" && (" " suites " ") ~ (" " suite " "))
          { n = split(uris, u, " "); for (i = 1; i <= n; i++) print u[i] "\t" signed }
        types = suites = uris = signed = ""; enabled = ""
      }
      /^[ \t]*$/ { flush(); next }
      /^#/ { next }
      { key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, "") }
      key == "types" { types = $0 } key == "suites" { suites = $0 } key == "uris" { uris = $0 }
      key == "signed-by" { signed = $0 } key == "enabled" { enabled = tolower($0) }
      END { flush() }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v suite="$codename" '
      $1 != "deb" { next }
      { signed = ""; i = 2
        if ($2 ~ /^\[/) {
          while (i <= NF) { if ($i ~ /signed-by=/) { s = $i; sub(/.*signed-by=/, "", s); sub(/\]$/, "", s); signed = s }
                            if ($i ~ /\]$/) { i++; break } i++ } }
        if ($(i + 1) == suite) print $i "\t" signed }' "$f"
  done
}

mapfile -t found < <(debian_sources | awk '!seen[$1]++' | grep -v -- '-security' || true)
if [ "${#found[@]}" -eq 0 ]; then
  say "no apt source for suite '$codename' found in /etc/apt/sources.list or /etc/apt/sources.list.d/; cannot enable ${codename}-backports"
  exit 1
fi
uris=$(printf '%s\n' "${found[@]}" | cut -f1 | paste -sd' ')
signed=$(printf '%s\n' "${found[@]}" | cut -f2 | grep -m1 . || true)
say "enabling ${codename}-backports from $uris"
tmp=$(mktemp "${SOURCE_FILE}.XXXXXX")
{
  echo "Types: deb"
  echo "URIs: $uris"
  echo "Suites: ${codename}-backports"
  echo "Components: main"
  [ -n "$signed" ] && echo "Signed-By: $signed"
} >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$SOURCE_FILE"

apt-get update -o Dir::Etc::sourcelist="$SOURCE_FILE" -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0 >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -o DPkg::Lock::Timeout=600 -y --no-install-recommends -t "${codename}-backports" "$PACKAGE"
version=$(installed_version)
if (($(major_of "$version") < MIN_MESA_MAJOR)); then
  say "$PACKAGE $version is older than Mesa $MIN_MESA_MAJOR; Dawn will reject it"
  exit 1
fi
say "$PACKAGE $version installed"
