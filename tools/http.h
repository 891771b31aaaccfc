/* The HTTP/1.1 client side of dlssl get: URLs and responses. */
#ifndef DLSSL_TOOLS_HTTP_H
#define DLSSL_TOOLS_HTTP_H

#include <stddef.h>

#include "link.h"
#include "net.h"

#define HTTP_PATH_MAX 8192
#define HTTP_LINE_MAX 8192

struct http_url {
	char host[CLI_HOST_MAX];
	char port[CLI_PORT_MAX];
	char path[HTTP_PATH_MAX];	/* starts with '/' */
};

/* Parse https://HOST[:PORT][/PATH]: 0, or -1 with a message in err. */
int http_parse_url(const char *url, struct http_url *u, char *err, size_t errlen);
/* Where a Location header leads from base: 0, or -1 with a message. */
int http_follow(const struct http_url *base, const char *location, struct http_url *out,
    char *err, size_t errlen);

/* A buffered reader over a stream. */
struct http_reader {
	struct dlssl_stream *s;
	struct cli_link *l;
	char buf[16384];
	size_t pos, len;
};

struct http_response {
	char status_line[HTTP_LINE_MAX];
	int status;
	char location[HTTP_LINE_MAX];
	int chunked;
	long long content_length;	/* -1: not given */
};

/*
 * Read the status line and the headers of the final response (1xx ones are
 * skipped).  Returns an exit code, the message printed.
 */
int http_read_head(struct http_reader *r, struct http_response *resp);
/*
 * Copy the body (chunked, Content-Length or up to the close) to fd, or
 * throw it away when fd < 0.  Returns an exit code, the message printed.
 */
int http_read_body(struct http_reader *r, const struct http_response *resp, int head_only,
    int fd);

#endif
