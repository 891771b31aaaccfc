# tests/win32.mk
