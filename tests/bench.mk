# tests/bench.mk: benchmarks (`dlssl bench`, DESIGN.md "Performance").
#
# The dlssl side is part of the dlssl program (tools/cmd_bench.c,
# tools/bench_*.c).  The baseline, bench/dlssl-bench-direct, runs the same
# workloads with libssl called directly: it is the one program that
# includes OpenSSL's headers and links $(OPENSSL_LIBS), so it is built only
# when configure found them, and never installed.  `dlssl bench` finds it
# next to its own build (or through --direct / $DLSSL_BENCH_DIRECT).
#
#   make bench     a short run of every workload (a few seconds; no
#                  pass/fail on timing, only on a run that fails)
#   make bench BENCH_FLAGS="bulk --rounds 9"    anything `dlssl bench` takes

if HAVE_OPENSSL_HEADERS
noinst_PROGRAMS += bench/dlssl-bench-direct
endif
bench_dlssl_bench_direct_SOURCES = bench/direct.c tools/bench_child.c tools/bench_harness.c \
	tools/bench_harness.h tools/bench_pki.h \
	bench/direct.h bench/direct_serve.c tools/bench_serve.c tools/serve_loop.c tools/evloop.c \
	tools/net.c
bench_dlssl_bench_direct_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools $(OPENSSL_CFLAGS)
bench_dlssl_bench_direct_LDADD = $(OPENSSL_LIBS) -lpthread

BENCH_FLAGS = --quick

bench: all
	$(AM_V_at)tools/dlssl bench $(BENCH_FLAGS)

.PHONY: bench
