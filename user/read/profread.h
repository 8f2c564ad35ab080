/* SPDX-License-Identifier: MIT */
/* Reading a profile file of any format we write: which reader the content needs. */
#ifndef PYSTROBE_PROFREAD_H
#define PYSTROBE_PROFREAD_H

#include "read/profdata.h"

/*
 * Any of the three by content: gzip magic -> gunzip -> pprof; a protobuf
 * looking start (not text) -> pprof; else folded.
 */
int profread_buf(const uint8_t *data, size_t len, struct profdata *p, struct profdata_error *e);
/* Read a whole file and profread_buf it; -errno when it cannot be read (e->what says so). */
int profread_file(const char *path, struct profdata *p, struct profdata_error *e);

#endif /* PYSTROBE_PROFREAD_H */
