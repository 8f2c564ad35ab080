/* SPDX-License-Identifier: MIT */
/* Reading a profile file of any format we write: which reader the content needs. */
#ifndef PYSTROBE_PROFREAD_H
#define PYSTROBE_PROFREAD_H

#include "profdata.h"

/*
 * Any of the three by content: gzip magic -> gunzip -> pprof; a protobuf
 * looking start (not text) -> pprof; else folded.
 */
int pr_read_buf(const uint8_t *data, size_t len, struct pr_profile *p, struct pr_error *e);
/* Read a whole file and pr_read_buf it; -errno when it cannot be read (e->what says so). */
int pr_read_file(const char *path, struct pr_profile *p, struct pr_error *e);

#endif /* PYSTROBE_PROFREAD_H */
