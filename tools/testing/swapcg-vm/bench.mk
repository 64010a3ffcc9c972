# make bench / make bench-quick: stock 6.1 against ours, booted alternately
# (tools/testing/swapcg-vm/bench/). Results in build/bench/full/ and
# build/bench/quick/: report.md, bench.csv (every value), *.png, raw/.
#
#   make bench          3 boots per kernel, about 40 min on 2 cores
#   make bench-quick    1 boot per kernel, smaller sets, a few minutes
#   RUNS=N              boots per kernel; BENCH_TIMEOUT=S watchdog per boot

BENCH_OUT ?= $(B)/bench
BENCH_ENV = REPO=$(REPO) BUILD=$(B) PYTHON=$(PYTHON) \
	STOCK_KERNEL=$(VANILLA_SRC)/out-vanilla/arch/x86/boot/bzImage \
	OURS_KERNEL=$(SRC)/out-default/arch/x86/boot/bzImage \
	$(if $(RUNS),RUNS=$(RUNS)) $(if $(BENCH_TIMEOUT),BENCH_TIMEOUT=$(BENCH_TIMEOUT))

.PHONY: bench bench-quick bench-prepare

# Both kernels (no-ops when built), the packages, gnuplot for the plots.
bench-prepare:
	@$(MAKE) --no-print-directory kernel VARIANT=default
	@$(MAKE) --no-print-directory vanilla
	@$(VM)/install-packages.sh gnuplot-nox || \
		echo "  BENCH   no gnuplot: the report will have no plots"

bench: bench-prepare
	@$(BENCH_ENV) OUT=$(BENCH_OUT)/full $(VM)/bench/bench.sh

bench-quick: bench-prepare
	@$(BENCH_ENV) OUT=$(BENCH_OUT)/quick $(VM)/bench/bench.sh --quick
