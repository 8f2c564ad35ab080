// SPDX-License-Identifier: MIT
/* `pystrobe version`: the version and what this build supports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cmd.h"
#include "python/layout.h"

int cmd_version(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "pystrobe: version takes no arguments\n");
		return 2;
	}
	printf("pystrobe %s\nCPython layouts:", PS_VERSION);
	for (size_t i = 0; i < layout_count(); i++)
		printf(" %u.%u", layout_at(i)->major, layout_at(i)->minor);
	printf(" (3.13+ also from the target's own _Py_DebugOffsets)\n");
	return 0;
}
