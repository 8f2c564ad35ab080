// SPDX-License-Identifier: MIT
/* proctitle_from(): a process's name from its /proc cmdline bytes and comm. */
#include <criterion/criterion.h>
#include <string.h>
#include "target/proctitle.h"

/* cmdline as /proc gives it (a NUL after each argument), len bytes of it, named in cap bytes. */
static void expect(const char *cmdline, size_t len, const char *comm, size_t cap, const char *want)
{
	char buf[PROCTITLE_MAX];

	proctitle_from(cmdline, len, comm, buf, cap);
	cr_assert_str_eq(buf, want, "want '%s', got '%s'", want, buf);
}

/* The literal's own final NUL is /proc's last one. */
#define EXPECT(lit, comm, want) expect(lit, sizeof(lit) - 1, comm, PROCTITLE_MAX, want)

Test(proctitle, shebang_script_named_by_its_own_name)
{
	EXPECT("/usr/bin/python3\0/usr/bin/hg\0update\0", "hg", "hg update");
}

Test(proctitle, interpreter_kept_with_module_and_args)
{
	EXPECT("/usr/bin/python3\0-m\0http.server\0", "python3", "python3 -m http.server");
}

Test(proctitle, script_argument_by_basename)
{
	EXPECT("/opt/py/bin/python3.12\0/tmp/w/app.py\0-x\0", "python3.12", "python3.12 app.py -x");
}

Test(proctitle, setproctitle_title_kept_whole)
{
	EXPECT("gunicorn: worker [app:app]\0\0\0\0\0", "gunicorn: worke",
	       "gunicorn: worker [app:app]");
}

Test(proctitle, empty_cmdline_falls_back_to_comm)
{
	expect("", 0, "kworker", PROCTITLE_MAX, "kworker");
}

Test(proctitle, long_command_cut_at_a_space_with_dots)
{
	static const char cmd[] = "/usr/bin/sphinx-build\0-b\0html\0/tmp/some/long/source\0out\0";

	expect(cmd, sizeof(cmd) - 1, "sphinx-build", 24, "sphinx-build -b html...");
}
