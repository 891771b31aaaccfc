# tests/api.mk
