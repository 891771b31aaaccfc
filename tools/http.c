/* The HTTP/1.1 client side of dlssl get: URLs, status, headers, bodies. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "http.h"
#include "sys.h"

#define HTTP_MAX_HEADERS 200

static int
bad(char *err, size_t errlen, const char *what, const char *s)
{
	snprintf(err, errlen, "%s: '%s'", what, s);
	return -1;
}

/* The path must go into a request line as it is. */
static int
set_path(struct http_url *u, const char *p, size_t n, char *err, size_t errlen)
{
	size_t k, off = 0;

	if (n == 0 || p[0] != '/')
		u->path[off++] = '/';
	if (off + n >= sizeof(u->path))
		return bad(err, errlen, "path too long", p);
	for (k = 0; k < n; k++)
		if ((unsigned char)p[k] <= 0x20 || p[k] == 0x7f)
			return bad(err, errlen, "spaces and control characters must be %-encoded in", p);
	memcpy(u->path + off, p, n);
	u->path[off + n] = '\0';
	return 0;
}

int
http_parse_url(const char *url, struct http_url *u, char *err, size_t errlen)
{
	char authority[CLI_HOST_MAX + CLI_PORT_MAX + 4];
	const char *a, *end;
	size_t n;

	if (strncasecmp(url, "https://", 8) != 0)
		return bad(err, errlen, "only https:// URLs are supported, not", url);
	a = url + 8;
	end = a + strcspn(a, "/?#");
	n = (size_t)(end - a);
	if (n == 0 || n >= sizeof(authority))
		return bad(err, errlen, "no host in", url);
	memcpy(authority, a, n);
	authority[n] = '\0';
	if (strchr(authority, '@') != NULL)
		return bad(err, errlen, "user names in URLs are not supported", url);
	if (cli_split_hostport(authority, "443", u->host, sizeof(u->host), u->port,
	    sizeof(u->port)) < 0 || u->port[0] == '\0')
		return bad(err, errlen, "invalid host or port in", url);
	return set_path(u, end, strcspn(end, "#"), err, errlen);
}

int
http_follow(const struct http_url *base, const char *loc, struct http_url *out, char *err,
    size_t errlen)
{
	char abs[HTTP_PATH_MAX + 16];
	const char *slash;
	size_t dir;

	if (strncasecmp(loc, "https://", 8) == 0)
		return http_parse_url(loc, out, err, errlen);
	if (strncasecmp(loc, "http://", 7) == 0)
		return bad(err, errlen, "refusing to follow a redirect to plain http", loc);
	if (strncmp(loc, "//", 2) == 0) {
		snprintf(abs, sizeof(abs), "https:%s", loc);
		return http_parse_url(abs, out, err, errlen);
	}
	*out = *base;
	if (loc[0] == '/')
		return set_path(out, loc, strcspn(loc, "#"), err, errlen);
	/* Relative to the base path's directory (RFC 3986 5.2.3, without dot segments). */
	slash = base->path;
	for (dir = 0; base->path[dir] != '\0' && base->path[dir] != '?'; dir++)
		if (base->path[dir] == '/')
			slash = base->path + dir;
	dir = (size_t)(slash - base->path) + 1;
	if (snprintf(abs, sizeof(abs), "%.*s%s", (int)dir, base->path, loc) >= (int)sizeof(abs))
		return bad(err, errlen, "redirect too long", loc);
	return set_path(out, abs, strcspn(abs, "#"), err, errlen);
}

/* More bytes into the buffer: 1, 0 at the end of the stream, or -(exit code). */
static int
fill(struct http_reader *r)
{
	long n;

	if (r->pos < r->len)
		return 1;
	if ((n = dlssl_read(r->s, r->buf, sizeof(r->buf))) < 0)
		return -cli_link_fail(r->l, "get", "read the response");
	r->pos = 0;
	r->len = (size_t)n;
	return n > 0;
}

/* One line without its CRLF: exit code. */
static int
read_line(struct http_reader *r, char *line, size_t max)
{
	size_t n = 0;
	int k;
	char c;

	for (;;) {
		if ((k = fill(r)) <= 0) {
			if (k == 0)
				fprintf(stderr, "dlssl get: the server closed the connection in the "
				    "middle of the response head\n");
			return k == 0 ? EXIT_TLS : -k;
		}
		c = r->buf[r->pos++];
		if (c == '\n')
			break;
		if (n + 1 >= max) {
			fprintf(stderr, "dlssl get: a response line is longer than %zu bytes\n", max);
			return EXIT_TLS;
		}
		line[n++] = c;
	}
	if (n > 0 && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	return EXIT_OK;
}

/* Does the comma-separated list end with "chunked"? */
static int
is_chunked(const char *v)
{
	const char *last = strrchr(v, ',');
	size_t n;

	last = last ? last + 1 : v;
	last += strspn(last, " \t");
	n = strcspn(last, " \t");
	return n == 7 && strncasecmp(last, "chunked", 7) == 0;
}

static int
header(struct http_response *resp, char *line)
{
	char *colon = strchr(line, ':'), *v, *end;

	if (colon == NULL) {
		fprintf(stderr, "dlssl get: malformed header line '%s'\n", line);
		return EXIT_TLS;
	}
	*colon = '\0';
	v = colon + 1 + strspn(colon + 1, " \t");
	if (strcasecmp(line, "Transfer-Encoding") == 0) {
		resp->chunked = is_chunked(v);
	} else if (strcasecmp(line, "Content-Length") == 0) {
		errno = 0;
		resp->content_length = strtoll(v, &end, 10);
		if (errno != 0 || end == v || resp->content_length < 0 ||
		    end[strspn(end, " \t")] != '\0') {
			fprintf(stderr, "dlssl get: invalid Content-Length '%s'\n", v);
			return EXIT_TLS;
		}
	} else if (strcasecmp(line, "Location") == 0) {
		snprintf(resp->location, sizeof(resp->location), "%s", v);
	}
	return EXIT_OK;
}

int
http_read_head(struct http_reader *r, struct http_response *resp)
{
	char line[HTTP_LINE_MAX];
	int rc, k;

	do {
		memset(resp, 0, sizeof(*resp));
		resp->content_length = -1;
		if ((rc = read_line(r, resp->status_line, sizeof(resp->status_line))) != EXIT_OK)
			return rc;
		if (sscanf(resp->status_line, "HTTP/1.%*1[01] %3d", &resp->status) != 1 ||
		    resp->status < 100 || resp->status > 999) {
			fprintf(stderr, "dlssl get: not an HTTP/1.x status line: '%s'\n",
			    resp->status_line);
			return EXIT_TLS;
		}
		for (k = 0;; k++) {
			if ((rc = read_line(r, line, sizeof(line))) != EXIT_OK)
				return rc;
			if (line[0] == '\0')
				break;
			if (k == HTTP_MAX_HEADERS) {
				fprintf(stderr, "dlssl get: more than %d header lines\n", HTTP_MAX_HEADERS);
				return EXIT_TLS;
			}
			if ((rc = header(resp, line)) != EXIT_OK)
				return rc;
		}
	} while (resp->status / 100 == 1 && resp->status != 101);
	return EXIT_OK;
}

/* Copy n bytes (all of them up to the end when n < 0) to fd: exit code. */
static int
copy(struct http_reader *r, long long n, int fd)
{
	long long want = n;
	size_t take;
	ssize_t w;
	int k;

	while (n != 0) {
		if ((k = fill(r)) <= 0) {
			if (k < 0)
				return -k;
			if (want < 0)
				return EXIT_OK;
			fprintf(stderr, "dlssl get: the server closed the connection %lld bytes "
			    "before the end of the body\n", n);
			return EXIT_TLS;
		}
		take = r->len - r->pos;
		if (n > 0 && (long long)take > n)
			take = (size_t)n;
		for (size_t off = 0; fd >= 0 && off < take; off += (size_t)w) {
			if ((w = write(fd, r->buf + r->pos + off, take - off)) < 0) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				fprintf(stderr, "dlssl get: write: %s\n", cli_strerror(errno));
				return EXIT_TLS;
			}
		}
		r->pos += take;
		if (n > 0)
			n -= (long long)take;
	}
	return EXIT_OK;
}

static int
chunked(struct http_reader *r, int fd)
{
	char line[HTTP_LINE_MAX], *end;
	long long size;
	int rc;

	for (;;) {
		if ((rc = read_line(r, line, sizeof(line))) != EXIT_OK)
			return rc;
		errno = 0;
		size = strtoll(line, &end, 16);
		if (errno != 0 || end == line || size < 0 || (*end != '\0' && *end != ';' &&
		    *end != ' ' && *end != '\t')) {
			fprintf(stderr, "dlssl get: invalid chunk size line '%s'\n", line);
			return EXIT_TLS;
		}
		if (size == 0)
			break;
		if ((rc = copy(r, size, fd)) != EXIT_OK ||
		    (rc = read_line(r, line, sizeof(line))) != EXIT_OK)
			return rc;
		if (line[0] != '\0') {
			fprintf(stderr, "dlssl get: a chunk is longer than its size says\n");
			return EXIT_TLS;
		}
	}
	/* Trailers, up to the empty line. */
	do {
		if ((rc = read_line(r, line, sizeof(line))) != EXIT_OK)
			return rc;
	} while (line[0] != '\0');
	return EXIT_OK;
}

int
http_read_body(struct http_reader *r, const struct http_response *resp, int head_only, int fd)
{
	if (head_only || resp->status == 204 || resp->status == 304)
		return EXIT_OK;
	if (resp->chunked)
		return chunked(r, fd);
	return copy(r, resp->content_length, fd);
}
