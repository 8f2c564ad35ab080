/* SPDX-License-Identifier: MIT */
/* Checks made before any BPF work: privileges and kernel BTF. */
#ifndef PYSTROBE_PREFLIGHT_H
#define PYSTROBE_PREFLIGHT_H

/* 0, or -EPERM / -ENOENT after one clear line on stderr. */
int preflight_check(void);

#endif /* PYSTROBE_PREFLIGHT_H */
