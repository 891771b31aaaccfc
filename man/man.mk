# man/man.mk: the manual pages, included by Makefile.am.
#
# One page per area, libtls style: each names with .Nm every function it
# describes, and `make install` adds, for each of those names, a hard link
# NAME.3 to the page (OpenBSD's MLINKS), so that `man dlssl_write` shows
# dlssl_read(3).  dlssl(3) is the overview.  tests/check_man.sh checks that
# MAN3_LINKS, the .Nm lines and src/dlssl.sym agree, lints every page and
# looks every name up in a tree laid out as installed; `make installcheck`
# does the same in the installed tree.
dist_man1_MANS = man/dlssl.1
dist_man3_MANS = \
	man/dlssl.3 \
	man/dlssl_check_host.3 \
	man/dlssl_library_info.3 \
	man/dlssl_make_client_stream.3 \
	man/dlssl_make_context.3 \
	man/dlssl_read.3 \
	man/dlssl_x509_load_file.3

# PAGE NAME pairs: NAME.3 is installed as a hard link to PAGE.3.
MAN3_LINKS = \
	dlssl_check_host dlssl_check_host_flags \
	dlssl_check_host dlssl_hostname_matches \
	dlssl_library_info dlssl_ensure_initialized \
	dlssl_library_info dlssl_error \
	dlssl_library_info dlssl_error_code \
	dlssl_library_info dlssl_error_name \
	dlssl_library_info dlssl_generation \
	dlssl_library_info dlssl_mode_name \
	dlssl_library_info dlssl_random_bytes \
	dlssl_library_info dlssl_reload \
	dlssl_library_info dlssl_reload_opts \
	dlssl_library_info dlssl_source_name \
	dlssl_library_info dlssl_version \
	dlssl_make_client_stream dlssl_handshake \
	dlssl_make_client_stream dlssl_make_server_stream \
	dlssl_make_client_stream dlssl_monotonic \
	dlssl_make_client_stream dlssl_stream_alpn \
	dlssl_make_client_stream dlssl_stream_cipher \
	dlssl_make_client_stream dlssl_stream_error \
	dlssl_make_client_stream dlssl_stream_error_code \
	dlssl_make_client_stream dlssl_stream_fd \
	dlssl_make_client_stream dlssl_stream_fdopen \
	dlssl_make_client_stream dlssl_stream_is_open \
	dlssl_make_client_stream dlssl_stream_peer_certificate \
	dlssl_make_client_stream dlssl_stream_servername \
	dlssl_make_client_stream dlssl_stream_session_reused \
	dlssl_make_client_stream dlssl_stream_set_timeouts \
	dlssl_make_client_stream dlssl_stream_ssl \
	dlssl_make_client_stream dlssl_stream_verify_result \
	dlssl_make_client_stream dlssl_stream_version \
	dlssl_make_client_stream dlssl_transport_fd \
	dlssl_make_client_stream dlssl_transport_file \
	dlssl_make_client_stream dlssl_transport_io \
	dlssl_make_context DLSSL_WITH_GLOBAL_CONTEXT \
	dlssl_make_context dlssl_ctx_add_verify_location \
	dlssl_make_context dlssl_ctx_free \
	dlssl_make_context dlssl_ctx_ref \
	dlssl_make_context dlssl_ctx_set_default_verify_paths \
	dlssl_make_context dlssl_global_context \
	dlssl_make_context dlssl_set_client_verify_default \
	dlssl_make_context dlssl_set_global_context \
	dlssl_make_context dlssl_use_certificate_chain_file \
	dlssl_make_context dlssl_with_begin \
	dlssl_make_context dlssl_with_end \
	dlssl_read dlssl_close \
	dlssl_read dlssl_close_abort \
	dlssl_read dlssl_flush \
	dlssl_read dlssl_listen \
	dlssl_read dlssl_read_fully \
	dlssl_read dlssl_shutdown \
	dlssl_read dlssl_stream_free \
	dlssl_read dlssl_write \
	dlssl_x509_load_file dlssl_x509_dns_names \
	dlssl_x509_load_file dlssl_x509_fingerprint \
	dlssl_x509_load_file dlssl_x509_fingerprint_hex \
	dlssl_x509_load_file dlssl_x509_free \
	dlssl_x509_load_file dlssl_x509_ip_addresses \
	dlssl_x509_load_file dlssl_x509_issuer \
	dlssl_x509_load_file dlssl_x509_load_mem \
	dlssl_x509_load_file dlssl_x509_subject \
	dlssl_x509_load_file dlssl_x509_subject_cns \
	dlssl_x509_load_file dlssl_x509_validity

install-data-hook: install-man-links
install-man-links:
	@set -- $(MAN3_LINKS); while test $$# -ge 2; do \
	  page="$(DESTDIR)$(man3dir)/$$1.3"; name="$(DESTDIR)$(man3dir)/$$2.3"; shift 2; \
	  rm -f "$$name"; \
	  ln "$$page" "$$name" 2>/dev/null || cp "$$page" "$$name" || exit 1; \
	done

uninstall-hook: uninstall-man-links
uninstall-man-links:
	@set -- $(MAN3_LINKS); while test $$# -ge 2; do \
	  rm -f "$(DESTDIR)$(man3dir)/$$2.3"; shift 2; \
	done

# Every name is found by man(1) and mandoc in the installed tree.
installcheck-local: installcheck-man
installcheck-man:
	MAN_TREE='$(DESTDIR)$(mandir)' srcdir='$(srcdir)' $(SHELL) $(srcdir)/tests/check_man.sh || \
	  test $$? = 77

.PHONY: install-man-links uninstall-man-links installcheck-man
