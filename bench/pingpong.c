// SPDX-License-Identifier: MIT
/*
 * bench_wall.py's non-Python switch load: two processes pass a byte back and
 * forth over two pipes ROUNDS times (each pass a sleep and a wake-up, two
 * context switches per round trip at least), then print "elapsed SECONDS".
 * Usage: pingpong ROUNDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 100000;
	int ping[2], pong[2];
	char c = 'x';
	double t0;

	if (pipe(ping) || pipe(pong))
		return 1;
	if (fork() == 0) {
		for (long i = 0; i < rounds; i++)
			if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	t0 = now_s();
	for (long i = 0; i < rounds; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			return 1;
	printf("elapsed %.6f\n", now_s() - t0);
	wait(NULL);
	return 0;
}
