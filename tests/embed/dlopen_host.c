// SPDX-License-Identifier: MIT
/*
 * A host that loads libpython late with dlopen (like a plugin host, or an
 * application that starts Python on demand): for DELAY seconds after its
 * exec nothing in its maps says Python. tests/e2e/test_discovery.py checks
 * that `record --all` still finds it.
 *
 * Usage: dlopen_host DELAY SECONDS LIBPYTHON
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The hot function the test looks for, run for SECONDS seconds. */
static const char script_fmt[] = "import time\n"
				 "def late_hot(n):\n"
				 "    total = 0\n"
				 "    for i in range(n):\n"
				 "        total += i * i\n"
				 "    return total\n"
				 "end = time.time() + %d\n"
				 "while time.time() < end:\n"
				 "    late_hot(20000)\n";

int main(int argc, char **argv)
{
	char script[sizeof(script_fmt) + 16];
	void (*init)(void), (*fini)(void);
	int (*run)(const char *);
	void *lib;

	if (argc != 4 || atoi(argv[1]) < 0 || atoi(argv[2]) <= 0) {
		fprintf(stderr, "usage: dlopen_host DELAY SECONDS LIBPYTHON\n");
		return 2;
	}
	sleep((unsigned)atoi(argv[1]));
	lib = dlopen(argv[3], RTLD_NOW | RTLD_GLOBAL);
	if (!lib) {
		fprintf(stderr, "dlopen_host: %s\n", dlerror());
		return 1;
	}
	*(void **)&init = dlsym(lib, "Py_Initialize");
	*(void **)&fini = dlsym(lib, "Py_Finalize");
	*(void **)&run = dlsym(lib, "PyRun_SimpleString");
	if (!init || !fini || !run)
		return 1;
	snprintf(script, sizeof(script), script_fmt, atoi(argv[2]));
	init();
	if (run(script))
		return 1;
	fini();
	return 0;
}
