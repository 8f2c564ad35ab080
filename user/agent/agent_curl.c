// SPDX-License-Identifier: MIT
/* libcurl through dlopen (agent_curl.h says why). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include "agent/agent_curl.h"

#define CURL_SONAME "libcurl.so.4"

static struct agent_curl api;
static const struct agent_curl *loaded;
static char load_error[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Each slot of api and the symbol that fills it. */
static const struct {
	size_t off;
	const char *sym;
} slots[] = {
/* clang-format off */
#define SLOT(f) { offsetof(struct agent_curl, f), "curl_" #f }
	/* clang-format on */
	SLOT(easy_init),	   SLOT(easy_cleanup),	  SLOT(easy_reset),
	SLOT(easy_setopt),	   SLOT(easy_getinfo),	  SLOT(easy_strerror),
	SLOT(multi_init),	   SLOT(multi_cleanup),	  SLOT(multi_add_handle),
	SLOT(multi_remove_handle), SLOT(multi_perform),	  SLOT(multi_poll),
	SLOT(multi_wakeup),	   SLOT(multi_info_read), SLOT(mime_init),
	SLOT(mime_free),	   SLOT(mime_addpart),	  SLOT(mime_name),
	SLOT(mime_filename),	   SLOT(mime_type),	  SLOT(mime_data),
	SLOT(slist_append),	   SLOT(slist_free_all),
#undef SLOT
};

/* dlopen libcurl and fill every slot, or leave loaded NULL with load_error set. */
static void load(void)
{
	void *lib = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (!lib) {
		snprintf(load_error, sizeof(load_error), "cannot load %s: %s (install libcurl4)",
			 CURL_SONAME, dlerror());
		return;
	}
	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		void *fn = dlsym(lib, slots[i].sym);

		if (!fn) {
			snprintf(load_error, sizeof(load_error), "%s: no %s (libcurl too old)",
				 CURL_SONAME, slots[i].sym);
			dlclose(lib);
			return;
		}
		/* POSIX: a function pointer and void * have the same representation */
		*(void **)((char *)&api + slots[i].off) = fn;
	}
	loaded = &api;
}

const struct agent_curl *agent_curl_load(char *why, size_t len)
{
	pthread_once(&once, load);
	if (!loaded)
		snprintf(why, len, "%s", load_error);
	return loaded;
}
