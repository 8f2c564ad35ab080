// SPDX-License-Identifier: MIT
/*
 * A C program that embeds CPython (Py_Initialize + PyRun_SimpleString), the
 * way uwsgi-style hosts do: its executable is not python, only libpython in
 * its maps says it runs Python. tests/e2e/test_discovery.py builds it with
 * `pythonX.Y-config --embed --cflags --ldflags` against a shared libpython
 * and profiles it under `record --all`.
 *
 * Usage: embed_host SECONDS
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>

/* The hot function the test looks for, run for argv[1] seconds. */
static const char script_fmt[] = "import time\n"
				 "def embedded_hot(n):\n"
				 "    total = 0\n"
				 "    for i in range(n):\n"
				 "        total += i * i\n"
				 "    return total\n"
				 "def embedded_main(seconds):\n"
				 "    end = time.time() + seconds\n"
				 "    while time.time() < end:\n"
				 "        embedded_hot(20000)\n"
				 "embedded_main(%d)\n";

int main(int argc, char **argv)
{
	char script[sizeof(script_fmt) + 16];
	int seconds = argc > 1 ? atoi(argv[1]) : 3;
	int rc;

	if (seconds <= 0 || seconds > 3600) {
		fprintf(stderr, "usage: embed_host SECONDS (1..3600)\n");
		return 2;
	}
	snprintf(script, sizeof(script), script_fmt, seconds);
	Py_Initialize();
	rc = PyRun_SimpleString(script);
	Py_Finalize();
	return rc == 0 ? 0 : 1;
}
