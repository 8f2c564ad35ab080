/* SPDX-License-Identifier: MIT */
/*
 * The only way pystrobe opens a file on a target's behalf. A target chooses
 * the paths in its /proc/PID/maps (and its debug files): an unprivileged
 * user can put a FIFO, a symlink to a root-only file or a device there. So
 * a file is opened through /proc/PID/map_files (the very file the kernel
 * mapped), else by openat2 inside /proc/PID/root with no symlinks followed,
 * first as O_PATH: nothing is opened for reading until fstat shows a regular
 * file with the mapping's inode. A " (deleted)" name is never opened by path
 * and no path is ever opened in pystrobe's own mount namespace.
 */
#ifndef PYSTROBE_TFILE_H
#define PYSTROBE_TFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "target/procmaps.h"

/*
 * Open for reading the file that mapping m of pid maps: a read-only,
 * non-blocking, close-on-exec fd of a regular file with m's inode, or -errno
 * (-EPERM: refused as unsafe, counted in refusals).
 */
int tfile_open_mapped(pid_t pid, const struct procmap *m);

/*
 * Open for reading path as pid sees it (resolved inside its root, no
 * symlinks): a regular file, or -errno (-EPERM: refused as unsafe, counted).
 */
int tfile_open_in_root(pid_t pid, const char *path);

/*
 * The build-id debug file's path, /usr/lib/debug/.build-id/xx/yyyy.debug, of
 * build id id[0..n) into buf (to open with tfile_open_in_root). 0, -ENOENT
 * (id shorter than 2 bytes) or -ENAMETOOLONG.
 */
int tfile_debug_path(const uint8_t *id, size_t n, char *buf, size_t len);

/* Does the maps path name an unlinked file (ends in " (deleted)")? */
bool tfile_is_deleted_name(const char *path);

#endif /* PYSTROBE_TFILE_H */
