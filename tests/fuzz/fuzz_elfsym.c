// SPDX-License-Identifier: MIT
/*
 * Fuzz the ELF reader and the CPython version detector on any bytes: every
 * public function of elfsym.h and pyversion.h runs on the image, never a
 * crash, an overread, a leak, a hang or an allocation beyond the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "target/elfsym.h"
#include "python/pyversion.h"

#define READ_LEN 4096 /* bytes read at each symbol address */

/* Names pystrobe looks up in real runtimes. */
static const char *const names[] = {
	"_PyRuntime",	 "interp_head", "Py_Version",
	"Py_Initialize", "PyCode_Type", "_PyThreadState_Current",
	"tiny_const",	 "tiny_bss",	"",
};
static const char *const sections[] = { ".PyRuntime", ".rodata", ".dynamic", ".symtab", "" };

/* Read at v and around it; any result is fine, the sanitizers judge the access. */
static void read_around(struct elfsym *e, uint64_t v, uint8_t *buf)
{
	elfsym__read_vaddr(e, v, buf, READ_LEN);
	elfsym__read_vaddr(e, v - 1, buf, 2);
	elfsym__read_vaddr(e, v + READ_LEN, buf, 1);
	elfsym__read_vaddr(e, v, NULL, 0);
}

/* Every lookup, section and read the profiler makes. */
static void exercise(struct elfsym *e, uint8_t *buf)
{
	struct elfsym_section sec;
	struct elfsym_load load;
	struct elfsym_sym sym;
	char name[64];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (elfsym__lookup(e, names[i], &sym) == 0)
			read_around(e, sym.value, buf);
	if (elfsym__lookup_prefix(e, "take_gil", &sym, name, sizeof(name)) == 0) {
		if (strlen(name) >= sizeof(name) || strncmp(name, "take_gil", 8) != 0)
			abort();
		read_around(e, sym.value, buf);
	}
	elfsym__lookup_prefix(e, "", &sym, name, 1);
	elfsym__lookup_prefix(e, "Py", NULL, NULL, 0);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (elfsym__section(e, sections[i], &sec) == 0)
			read_around(e, sec.addr, buf);
	for (size_t i = 0; elfsym__load(e, i, &load) == 0; i++)
		read_around(e, load.vaddr + load.filesz, buf);
	read_around(e, elfsym__first_load_vaddr(e), buf);
	read_around(e, UINT64_MAX - 1, buf);
}

/* Version detection with no path and with a libpython-like path. */
static void detect(struct elfsym *e)
{
	struct py_version v;
	char s[32];

	if (pyversion_detect(e, NULL, &v) == 0)
		pyversion_str(&v, s, sizeof(s));
	if (pyversion_detect(e, "/usr/lib/libpython3.11.so.1.0", &v) == 0)
		pyversion_str(&v, s, sizeof(s));
}

/* One input: open it as an ELF image and run every public function on it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(READ_LEN), id[64];
	const char *soname;
	struct elfsym *e;
	int n;

	if (!buf)
		return 0;
	e = elfsym__open_mem(data, size);
	if (!e)
		goto out_buf;
	exercise(e, buf);
	detect(e);
	n = elfsym__build_id(e, id, sizeof(id));
	if (n > (int)sizeof(id))
		abort();
	elfsym__build_id(e, id, 1);
	soname = elfsym__soname(e);
	if (soname && strlen(soname) == 0)
		abort();
	elfsym__type(e);
	elfsym__has_symtab(e);
	elfsym__free(e);
out_buf:
	free(buf);
	return 0;
}
