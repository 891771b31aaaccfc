# Test rules.  Each area has its own fragment so they can grow independently.
include tests/build.mk
include tests/loader.mk
include tests/private.mk
include tests/x509.mk
include tests/api.mk
include tests/win32.mk
include tests/cli.mk
include tests/bench.mk
include tests/hardening.mk
include tests/matrix.mk
include tests/docs.mk
include tests/verify.mk
