# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# lib.sh: shared by scripts/realworld.sh and scripts/bench-realworld.sh
# (sourced; expects $work and $root).  Debian source packages and the tools to
# build them.

rw_log() { printf '== %s\n' "$*" >&2; }

# rw_need PKG...: apt-get install the Debian packages that are not installed.
rw_need() {
  local p need=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p")
  done
  [ ${#need[@]} -eq 0 ] && return 0
  rw_log "installing ${need[*]}"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null ||
    { echo "apt-get install ${need[*]} failed" >&2; return 1; }
}

# rw_deb_src: make `apt-get source` work: a deb-src entry for the same mirror,
# suites and components as the existing deb entries, when there is none.
rw_deb_src() {
  if grep -qsE '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list ||
     grep -qsE '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources; then
    return 0
  fi
  rw_log "adding deb-src entries (same mirror as the deb entries)"
  local f
  # (the redirection below creates the output before the glob is expanded:
  # leave it out, or its stanzas are copied into itself)
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && [ "${f##*/}" != whence-deb-src.sources ] || continue
    awk 'BEGIN { RS = ""; ORS = "\n\n" }
         /(^|\n)Types:[^\n]*deb/ { sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f"
  done >/etc/apt/sources.list.d/whence-deb-src.sources
  [ -s /etc/apt/sources.list.d/whence-deb-src.sources ] || rm -f /etc/apt/sources.list.d/whence-deb-src.sources
  if [ -f /etc/apt/sources.list ]; then
    sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' /etc/apt/sources.list >/etc/apt/sources.list.d/whence-deb-src.list
    [ -s /etc/apt/sources.list.d/whence-deb-src.list ] || rm -f /etc/apt/sources.list.d/whence-deb-src.list
  fi
  apt-get update -qq >/dev/null || { echo "apt-get update failed" >&2; return 1; }
}

# rw_source_versions SRCPKG: the versions of the source package the apt
# sources offer, once each, in the order of apt-cache madison's "Sources" lines.
rw_source_versions() {
  apt-cache madison "$1" 2>/dev/null |
    awk -F'|' '$3 ~ /Sources/ { gsub(/ /, "", $2); if (!($2 in seen)) { seen[$2] = 1; print $2 } }'
}

# rw_fetch SRCPKG: prints the unpacked source tree (Debian's patches applied),
# fetched into $work/src/SRCPKG once and reused.  `apt-get source SRCPKG`
# takes the newest version, which may be one whose files a mirror does not
# have (a security update listed but not mirrored): then each version the
# sources list is tried in turn (SRCPKG=VERSION) until one downloads.
rw_fetch() {
  local pkg=$1 dir=$work/src/$1 tree v log=$work/logs/$1.fetch.log
  mkdir -p "$dir" "$work/logs"
  tree=$(find "$dir" -mindepth 1 -maxdepth 1 -type d | head -1)
  if [ -z "$tree" ]; then
    if ! (cd "$dir" && apt-get source -qq "$pkg" >"$log" 2>&1); then
      for v in $(rw_source_versions "$pkg"); do
        find "$dir" -mindepth 1 -maxdepth 1 -exec rm -rf {} + # a partial download
        rw_log "apt-get source $pkg failed; trying $pkg=$v"
        (cd "$dir" && apt-get source -qq "$pkg=$v" >>"$log" 2>&1) && break
      done
    fi
    tree=$(find "$dir" -mindepth 1 -maxdepth 1 -type d | head -1)
    [ -n "$tree" ] || { echo "apt-get source $pkg failed (every version), see $log" >&2; return 1; }
  fi
  echo "$tree"
}

# rw_fresh SRCPKG DEST: a fresh copy of the tree at DEST; prints DEST.
rw_fresh() {
  local tree
  tree=$(rw_fetch "$1") || return 1
  rm -rf "$2" && mkdir -p "$(dirname "$2")" && cp -a "$tree" "$2" && echo "$2"
}
