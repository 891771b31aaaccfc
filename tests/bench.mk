# tests/bench.mk: benchmarks
