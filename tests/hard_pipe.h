/*
 * In-memory transports with faults, for the callback (io) transport:
 * two bounded byte pipes between a client and a server stream in one
 * thread, whose read and write callbacks return short counts, EINTR and
 * EAGAIN (would block) in a seeded, reproducible pattern, and can be cut
 * (end of file, possibly in the middle of a record) or made to fail.
 *
 * Streams over these transports are non-blocking: dlssl returns
 * DLSSL_WANT_POLLIN/POLLOUT whenever a callback says EAGAIN, and the
 * driving loops here call the other side in turn.
 */
#ifndef DLSSL_TESTS_HARD_PIPE_H
#define DLSSL_TESTS_HARD_PIPE_H

#include <stddef.h>

#include "dlssl.h"
#include "hard_common.h"

/* How often (percent of calls) a callback misbehaves. */
struct hard_fault {
	unsigned int eintr;   /* -1 with EINTR (the library retries) */
	unsigned int block;   /* -1 with EAGAIN although it could proceed */
	unsigned int shortio; /* move fewer bytes than it could (at least 1) */
};

/* A bounded byte pipe. */
struct hard_pipe {
	unsigned char *buf;
	size_t cap, head, len;
	int wclosed;  /* the writer is gone: the reader sees end of file when empty */
	int rclosed;  /* the reader is gone: writes fail with EPIPE */
};

/* One side's io handle. */
struct hard_end {
	struct hard_pipe *in, *out;
	struct hard_rng rng;
	struct hard_fault rf, wf;
	int read_errno;      /* non-zero: every read fails with it */
	int write_errno;     /* non-zero: every write fails with it */
	long read_result;    /* non-zero: every read returns this (a hostile callback) */
	long write_result;   /* non-zero: every write returns this */
	int write_zero;      /* every write returns 0 (no progress, no error) */
	int closes;          /* close callback calls */
	unsigned long reads, writes, eintrs, blocks, shorts;
	unsigned long long moved; /* bytes read and written */
};

extern const struct dlssl_io_ops hard_end_ops;

struct hard_pair {
	struct hard_pipe c2s, s2c;
	struct hard_end c, s;
	struct dlssl_stream *client, *server;
	char err[512];
};

/*
 * Make both pipes (cap bytes each), seed both ends' fault generators
 * (faults may be NULL: none), make the streams over them and drive the
 * handshake to its end.  0, or -1 with p->err telling why (the streams
 * that exist are kept for inspection; hard_pair_free() releases them).
 */
int hard_pair_open(struct hard_pair *p, struct dlssl_context *cctx, struct dlssl_context *sctx,
    const char *host, size_t cap, unsigned long long seed, const struct hard_fault *faults,
    const struct dlssl_stream_opts *copts, const struct dlssl_stream_opts *sopts);

/*
 * The same over two connected non-blocking sockets (fds[0] the client's,
 * fds[1] the server's; both owned by the streams from then on): no faults,
 * the kernel's buffers instead of the pipes.
 */
int hard_pair_open_fds(struct hard_pair *p, struct dlssl_context *cctx, struct dlssl_context *sctx,
    const char *host, const int fds[2]);

/*
 * Drive both handshakes (after hard_pair_open with defer): 0, or -1 with
 * p->err.  A side that is done keeps reading without consuming
 * (dlssl_listen), as a real peer would, so that the other side's last
 * flight (TLS 1.3 tickets) gets through a small pipe.
 */
int hard_pair_handshake(struct hard_pair *p);

/*
 * Move c2s bytes from client to server and s2c bytes from server to
 * client, both generated from the seed and checked on arrival byte for
 * byte.  With duplex, both directions at once; else c2s first.  Chunk
 * sizes for writes and reads come from the seed too.  0, or -1 with
 * p->err (a mismatch names its offset; a stall says which side was stuck
 * on what).  The FNV-1a sums of what was sent and received go to sums[4]
 * when given: c2s sent, c2s received, s2c sent, s2c received.
 */
int hard_pair_transfer(struct hard_pair *p, unsigned long long c2s, unsigned long long s2c,
    int duplex, unsigned long long seed, unsigned long long sums[4]);

/* Free both streams (dlssl_close_abort first) and the pipes. */
void hard_pair_free(struct hard_pair *p);

/* Fill buf with the pattern bytes at [off, off+n) of the stream for seed. */
void hard_pattern(unsigned long long seed, unsigned long long off, void *buf, size_t n);

#endif
