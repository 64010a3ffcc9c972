# make bench / make bench-quick: the stock base against ours, booted alternately
# (tools/testing/swapcg-vm/bench/bench.sh). Results in build/bench/full/ and
# build/bench/quick/: report.md, bench.csv (every value), *.png, raw/.
#
#   make bench          3 icount boots per kernel (cost ladder, B1), then
#                       3 wall-clock boots each (B2, B4, fio) and B5;
#                       25-40 min on 2 cores
#   make bench-quick    1 boot per kernel and phase, smaller sets, ~8 min
#   make bench-all      make bench on every base (BASES)
#   RUNS=N              icount boots per kernel; WALL_RUNS=N wall-clock
#                       boots; B5_SMP="4 2" vCPUs (= workers) of the B5
#                       boots ("" for none); BENCH_TIMEOUT=S watchdog per
#                       boot; PHASES="icount wall b5" which phases
#   OURS_KERNEL=, STOCK_KERNEL=   bzImages to compare instead of the
#                       built ones (which are then not built)

BENCH_OUT ?= $(B)/bench
OURS_KERNEL ?= $(SRC)/out-default/arch/x86/boot/bzImage
STOCK_KERNEL ?= $(VANILLA_SRC)/out-vanilla/arch/x86/boot/bzImage
BENCH_ENV = REPO=$(REPO) BUILD=$(B) PYTHON=$(PYTHON) \
	STOCK_KERNEL=$(STOCK_KERNEL) OURS_KERNEL=$(OURS_KERNEL) \
	$(if $(RUNS),RUNS=$(RUNS)) $(if $(WALL_RUNS),WALL_RUNS=$(WALL_RUNS)) \
	$(if $(filter undefined,$(origin B5_SMP)),,B5_SMP="$(B5_SMP)") \
	$(if $(PHASES),PHASES="$(PHASES)") \
	$(if $(BENCH_TIMEOUT),BENCH_TIMEOUT=$(BENCH_TIMEOUT))

.PHONY: bench bench-quick bench-prepare bench-all

# Both kernels (no-ops when built, skipped when given), the packages,
# gnuplot for the plots.
bench-prepare:
ifeq ($(origin OURS_KERNEL),file)
	@$(MAKE) --no-print-directory kernel VARIANT=default
endif
ifeq ($(origin STOCK_KERNEL),file)
	@$(MAKE) --no-print-directory vanilla
endif
	@$(VM)/install-packages.sh gnuplot-nox || \
		echo "  BENCH   no gnuplot: the report will have no plots"

bench: bench-prepare
	@$(BENCH_ENV) OUT=$(BENCH_OUT)/full $(VM)/bench/bench.sh

bench-quick: bench-prepare
	@$(BENCH_ENV) OUT=$(BENCH_OUT)/quick $(VM)/bench/bench.sh --quick

# Each base against its own stock kernel, one after the other.
bench-all:
	@set -e; for b in $(BASES); do \
		$(MAKE) --no-print-directory bench BASE=$$b; \
	done
