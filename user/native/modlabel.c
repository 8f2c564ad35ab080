// SPDX-License-Identifier: MIT
/* A native frame's module: its soname or file name, in "symbol (module)". */
#include <stdio.h>
#include <string.h>
#include "native/modlabel.h"

/* The DT_SONAME of the dynamic section shdr (in elf), or NULL. */
static const char *dyn_soname(Elf *elf, Elf_Scn *scn, const GElf_Shdr *shdr)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	GElf_Dyn dyn;

	if (!data || !shdr->sh_entsize)
		return NULL;
	for (size_t i = 0; i < shdr->sh_size / shdr->sh_entsize; i++) {
		if (!gelf_getdyn(data, (int)i, &dyn) || dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag == DT_SONAME) /* elf_strptr checks the offset and the NUL */
			return elf_strptr(elf, shdr->sh_link, dyn.d_un.d_val);
	}
	return NULL;
}

void modlabel_of(Elf *elf, const char *path, char *buf, size_t size)
{
	static const char deleted[] = " (deleted)";
	const char *slash = strrchr(path, '/'), *so = NULL;
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	size_t len;

	while (elf && !so && (scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &shdr) && shdr.sh_type == SHT_DYNAMIC)
			so = dyn_soname(elf, scn, &shdr);
	if (so && *so && !strchr(so, '/') && !strchr(so, '(')) {
		snprintf(buf, size, "%s", so);
		return;
	}
	path = slash ? slash + 1 : path;
	len = strlen(path);
	if (len > sizeof(deleted) - 1 && !strcmp(path + len - (sizeof(deleted) - 1), deleted))
		len -= sizeof(deleted) - 1;
	snprintf(buf, size, "%.*s", (int)len, path);
}

void modlabel_frame(char *buf, size_t size, const char *sym, const char *label)
{
	snprintf(buf, size, "%s (%s)", sym, label);
}

size_t modlabel_split(const char *name, const char **label, size_t *label_len)
{
	size_t len = strlen(name);
	const char *open;

	if (len < 4 || name[len - 1] != ')')
		return 0;
	for (open = name + len - 2; open > name && *open != '('; open--)
		;
	if (open < name + 2 || open[-1] != ' ' || open + 1 == name + len - 1)
		return 0;
	*label = open + 1;
	*label_len = (size_t)(name + len - 1 - *label);
	return (size_t)(open - 1 - name);
}
