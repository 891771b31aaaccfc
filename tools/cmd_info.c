/* dlssl info [--json] [--libssl PATH]: what the loader found and why. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static const struct {
	unsigned long bit;
	const char *name;
} caps[] = {
	{ DLSSL_CAP_TLS13, "tls1.3" },
	{ DLSSL_CAP_ALPN, "alpn" },
	{ DLSSL_CAP_HOSTCHECK, "hostcheck" },
	{ DLSSL_CAP_BIO_METHOD, "bio-method" },
	{ DLSSL_CAP_CIPHERSUITES, "ciphersuites" },
	{ DLSSL_CAP_MINMAX_PROTO, "minmax-proto" },
	{ DLSSL_CAP_EOF_OPTION, "eof-option" },
	{ DLSSL_CAP_OLD_TLS, "old-tls" },
	{ DLSSL_CAP_TLS13_RESUME, "tls1.3-resume" },
};

static const char *
flavor_name(enum dlssl_flavor f)
{
	return f == DLSSL_FLAVOR_OPENSSL ? "OpenSSL" : f == DLSSL_FLAVOR_LIBRESSL ? "LibreSSL" : "unknown";
}

static void
print_json(const struct dlssl_library_info *i)
{
	int first = 1, cf;
	size_t k;

	printf("{");
	json_kv_bool(stdout, &first, "loaded", i->loaded);
	json_kv_str(stdout, &first, "libssl", i->libssl_path);
	json_kv_str(stdout, &first, "libcrypto", i->libcrypto_path);
	json_kv_str(stdout, &first, "source", dlssl_source_name(i->source));
	json_kv_str(stdout, &first, "mode", dlssl_mode_name(i->mode));
	json_kv_str(stdout, &first, "flavor", flavor_name(i->flavor));
	json_kv_str(stdout, &first, "version_text", i->version_text);
	json_kv_num(stdout, &first, "version_number", i->version_number);
	json_key(stdout, &first, "version");
	if (i->loaded)
		printf("\"%u.%u.%u\"", i->version_major, i->version_minor, i->version_patch);
	else
		printf("null");
	json_key(stdout, &first, "capabilities");
	printf("[");
	for (cf = 1, k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
		if (i->capabilities & caps[k].bit) {
			printf("%s", cf ? "" : ",");
			json_string(stdout, caps[k].name);
			cf = 0;
		}
	}
	printf("]");
	json_kv_num(stdout, &first, "generation", i->generation);
	json_kv_bool(stdout, &first, "host_owned", i->host_owned);
	json_kv_num(stdout, &first, "link_map", (unsigned long)(i->link_map > 0 ? i->link_map : 0));
	json_kv_str(stdout, &first, "namespace", i->link_map > 0 ? "private" : "process");
	json_kv_str(stdout, &first, "isolation", i->isolation);
	json_kv_num(stdout, &first, "load_ns", i->load_ns);
	json_kv_num(stdout, &first, "bind_ns", i->bind_ns);
	json_kv_str(stdout, &first, "error", i->error);
	json_kv_str(stdout, &first, "warning", i->warning);
	json_key(stdout, &first, "candidates");
	printf("[");
	for (k = 0; k < i->n_candidates; k++) {
		const struct dlssl_candidate *c = &i->candidates[k];
		int f2 = 1;

		printf("%s{", k ? "," : "");
		json_kv_str(stdout, &f2, "libssl", c->libssl);
		json_kv_str(stdout, &f2, "libcrypto", c->libcrypto);
		json_kv_str(stdout, &f2, "source", dlssl_source_name(c->source));
		json_kv_bool(stdout, &f2, "accepted", c->accepted);
		json_kv_str(stdout, &f2, "reason", c->reason);
		json_kv_str(stdout, &f2, "missing", c->missing);
		printf("}");
	}
	printf("]}\n");
}

static void
print_candidates(FILE *f, const struct dlssl_library_info *i)
{
	size_t k;

	fprintf(f, "candidates:\n");
	for (k = 0; k < i->n_candidates; k++) {
		const struct dlssl_candidate *c = &i->candidates[k];

		fprintf(f, "  %s %s%s%s (%s): %s\n", c->accepted ? "accepted" : "rejected",
		    c->libssl, c->libcrypto ? " + " : "", c->libcrypto ? c->libcrypto : "",
		    dlssl_source_name(c->source), c->reason ? c->reason : "");
		if (c->missing)
			fprintf(f, "    missing required symbols: %s\n", c->missing);
	}
	if (i->n_candidates == 0)
		fprintf(f, "  (none tried)\n");
}

static void
print_text(const struct dlssl_library_info *i)
{
	size_t k;

	printf("libssl:       %s\n", i->libssl_path);
	printf("libcrypto:    %s\n", i->libcrypto_path);
	printf("source:       %s\n", dlssl_source_name(i->source));
	printf("mode:         %s%s\n", dlssl_mode_name(i->mode), i->host_owned ? " (owned by the host)" : "");
	if (i->link_map > 0)
		printf("namespace:    private (link-map %ld)\n", i->link_map);
	else
		printf("namespace:    the process's own (shared with the host's libraries)\n");
	if (i->isolation)
		printf("isolation:    %s\n", i->isolation);
	printf("version:      %s (%u.%u.%u, number 0x%lx)\n", i->version_text, i->version_major,
	    i->version_minor, i->version_patch, i->version_number);
	printf("flavor:       %s\n", flavor_name(i->flavor));
	printf("capabilities:");
	for (k = 0; k < sizeof(caps) / sizeof(caps[0]); k++)
		if (i->capabilities & caps[k].bit)
			printf(" %s", caps[k].name);
	printf("\ngeneration:   %lu\n", i->generation);
	printf("load time:    %.3f ms (of which %.3f ms checking and binding %s)\n",
	    (double)i->load_ns / 1e6, (double)i->bind_ns / 1e6, "after the dynamic linker");
	if (i->warning)
		printf("warning:      %s\n", i->warning);
	print_candidates(stdout, i);
}

int
cmd_info(int argc, char **argv)
{
	int json = 0, i;
	const char *libssl = NULL;
	const struct dlssl_library_info *info;
	struct dlssl_init_opts o = { 0 };
	int rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (strcmp(argv[i], "--libssl") == 0 && i + 1 < argc) {
			libssl = argv[++i];
		} else if (strcmp(argv[i], "--help") == 0) {
			printf("usage: dlssl info [--json] [--libssl PATH]\n\n"
			    "Load libssl and libcrypto as a program using dlssl would, and print\n"
			    "which files were loaded, where from, their version and capabilities,\n"
			    "and every candidate tried.  Exit status 2 when none could be used.\n");
			return EXIT_OK;
		} else {
			fprintf(stderr, "dlssl info: unknown option '%s'\n", argv[i]);
			return EXIT_USAGE;
		}
	}
	o.libssl_path = libssl;
	rc = dlssl_ensure_initialized(libssl ? &o : NULL);
	if (rc < 0 && dlssl_error_code() != DLSSL_ERR_LOAD)
		return cli_fail("info");
	info = dlssl_library_info();
	if (json) {
		print_json(info);
		return rc < 0 ? EXIT_LOAD : EXIT_OK;
	}
	if (rc < 0 || !info->loaded) {
		fprintf(stderr, "dlssl: cannot load libssl: %s\n", info->error ? info->error : "unknown reason");
		print_candidates(stderr, info);
		return EXIT_LOAD;
	}
	print_text(info);
	return EXIT_OK;
}
