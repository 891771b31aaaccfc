# tests/x509.mk
