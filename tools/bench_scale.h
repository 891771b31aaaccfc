/* `dlssl bench idle|conc`: servers at scale, dlssl against libssl (tools/bench_scale.c). */
#ifndef DLSSL_TOOLS_BENCH_SCALE_H
#define DLSSL_TOOLS_BENCH_SCALE_H

#include <stddef.h>

/* argv[0] is "idle" or "conc".  Returns an exit status. */
int bench_scale_main(int argc, char **argv);

/* This program's path (/proc/self/exe): 0 or -1. */
int bench_self_path(char *buf, size_t len);
/*
 * The baseline program: `direct` (--direct), $DLSSL_BENCH_DIRECT, else
 * bench/dlssl-bench-direct beside this program's build; NULL with the
 * reason in note (also when no_direct).
 */
const char *bench_find_direct(const char *direct, int no_direct, const char *self, char *buf,
    size_t len, char *note, size_t nlen);

#endif
