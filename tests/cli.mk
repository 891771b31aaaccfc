# tests/cli.mk: the dlssl command end to end
