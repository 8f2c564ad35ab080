// SPDX-License-Identifier: MIT
/*
 * Replays a fuzz corpus through a target's LLVMFuzzerTestOneInput without
 * libFuzzer, so the corpus runs as an ordinary unit test: every file in the
 * directory (or each file argument) is fed once. Exit 0 if all ran.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Feed one file; -1 if it cannot be read. */
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? n : 1);
	if (!buf || (n > 0 && fread(buf, 1, n, f) != (size_t)n)) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

/* Feed every regular file in dir; returns files fed or -1. */
static int replay_dir(const char *dir)
{
	char path[4096];
	struct dirent *d;
	struct stat st;
	int nr = 0;
	DIR *dp = opendir(dir);

	if (!dp)
		return -1;
	while ((d = readdir(dp))) {
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (replay_file(path)) {
			fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
			closedir(dp);
			return -1;
		}
		nr++;
	}
	closedir(dp);
	return nr;
}

int main(int argc, char **argv)
{
	int total = 0;

	for (int i = 1; i < argc; i++) {
		int n = replay_dir(argv[i]);

		if (n < 0 && replay_file(argv[i]) == 0)
			n = 1;
		if (n <= 0) {
			fprintf(stderr, "replay: %s: no corpus files\n", argv[i]);
			return 1;
		}
		total += n;
	}
	printf("replayed %d inputs\n", total);
	return 0;
}
