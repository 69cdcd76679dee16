#!/bin/sh
# Runs "$@" with an empty /proc: called inside a new mount namespace
# (unshare -m, or unshare -rm without root), it mounts a tmpfs over /proc.
mount -t tmpfs whence-noproc /proc || exit 99
test ! -e /proc/self/maps || exit 99
exec "$@"
