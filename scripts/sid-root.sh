#!/usr/bin/env bash
# Build a Debian sid root filesystem with CPython 3.14 and 3.15 (normal and debug
# interpreters, build-id debug files, headers), for the tests of the newest CPythons.
#
# Sid's binaries need a newer glibc than the host's, so they run in this root (chroot), as
# a container with a newer distribution than its host would. Nothing is installed on the
# host and the host's apt configuration is untouched: a private apt state directory points
# at the archive the host's apt already names, suite sid; `apt-get download` (via
# --download-only against an empty dpkg status, which resolves the whole dependency
# closure) and `dpkg-deb -x` into the root.
#
# Usage: scripts/sid-root.sh [ROOT]     (default $PYSTROBE_SID_ROOT or /var/cache/pystrobe/sid)
# Idempotent and cached: a complete root is kept (ROOT/.pystrobe-sid lists its versions);
# PYSTROBE_SID_REFRESH=1 rebuilds it. Sid moves: whatever 3.14.x/3.15.x it serves is taken.
set -euo pipefail

ROOT="${1:-${PYSTROBE_SID_ROOT:-/var/cache/pystrobe/sid}}"
STAMP="$ROOT/.pystrobe-sid"
PKGS=(python3.14 python3.14-dbg python3.14-dev python3.15 python3.15-dbg python3.15-dev
	dash coreutils)

if [ -f "$STAMP" ] && [ "${PYSTROBE_SID_REFRESH:-0}" != 1 ]; then
	echo "sid-root: $ROOT present ($(tr '\n' ' ' <"$STAMP"))"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "sid-root: building $ROOT needs root" >&2
	exit 1
fi

# The Debian archive the host's apt already uses (main suite, not -security/-updates).
archive_uri() {
	apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' \
		'Identifier: Packages' | awk '$2 !~ /-/ && $3 == "main" { print $1; exit }'
}
URI="$(archive_uri)"
if [ -z "$URI" ]; then
	echo "sid-root: the host's apt configuration names no Debian archive with a main suite" >&2
	exit 1
fi
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

WORK="$(dirname "$ROOT")/sid-apt"
rm -rf "$WORK" "$ROOT.new"
mkdir -p "$WORK"/{lists/partial,archives/partial,etc/sources.list.d,etc/preferences.d} "$ROOT.new"
: >"$WORK/status"
echo "deb [signed-by=$KEYRING] $URI sid main" >"$WORK/etc/sources.list"
APT_OPTS=(
	-o "Dir::State=$WORK" -o "Dir::State::Lists=$WORK/lists" -o "Dir::State::status=$WORK/status"
	-o "Dir::Cache=$WORK" -o "Dir::Cache::Archives=$WORK/archives"
	-o "Dir::Etc::SourceList=$WORK/etc/sources.list" -o "Dir::Etc::SourceParts=$WORK/etc/sources.list.d"
	-o "Dir::Etc::Preferences=$WORK/etc/preferences" -o "Dir::Etc::PreferencesParts=$WORK/etc/preferences.d"
	-o "APT::Architecture=amd64" -o "Debug::NoLocking=1"
)
echo "sid-root: downloading ${PKGS[*]} and their dependencies from $URI sid"
apt-get "${APT_OPTS[@]}" -qq update
apt-get "${APT_OPTS[@]}" -qq -y --download-only --no-install-recommends install "${PKGS[@]}" \
	>/dev/null
for deb in "$WORK"/archives/*.deb; do
	dpkg-deb -x "$deb" "$ROOT.new"
done
# sid is merged-/usr: base-files (not downloaded) would make these links
for d in bin sbin lib lib64; do
	[ -e "$ROOT.new/$d" ] || { mkdir -p "$ROOT.new/usr/$d" && ln -s "usr/$d" "$ROOT.new/$d"; }
done
mkdir -p "$ROOT.new"/{tmp,proc,dev}
chmod 1777 "$ROOT.new/tmp"
for py in python3.14 python3.15 python3.14d python3.15d; do
	v="$(chroot "$ROOT.new" "/usr/bin/$py" -c 'import platform; print(platform.python_version())')"
	echo "$py $v" >>"$ROOT.new/.pystrobe-sid"
done
rm -rf "$ROOT"
mv "$ROOT.new" "$ROOT"
rm -rf "$WORK"
echo "sid-root: $ROOT ready: $(tr '\n' ' ' <"$STAMP")($(du -sh "$ROOT" | cut -f1))"
