# tests/build.mk
