# Hardening runs, included by the top-level Makefile.
#
#   make soak [DURATION=300] [VARIANT=debug]
#	boot VARIANT (default: debug) and run the soak.sh guest job for
#	DURATION seconds; prints PASS/FAIL lines and "N passed, N failed,
#	N skipped" like `make test`, and fails on any failure.
#   make test-debug
#	KUnit and every kselftest of `make test` on the debug kernel
#	(lockdep, KASAN, kmemleak, fault injection).
#   make repeat [REPEAT=10] [REPEAT_SOAK=60] [VARIANT=default]
#	boot VARIANT once and run test_swapcg_races, test_swapcg_faults and
#	the soak (REPEAT_SOAK seconds) REPEAT times in a row; prints every
#	result of every round and "N passed, N failed, N skipped".
#
# For `make test VARIANTS="... debug soak:debug"` (CI): the debug variant
# runs the kselftests in KSFT_COLLECTIONS_debug (a subset that fits CI's
# time; `make test-debug` runs them all), with TEST_TIMEOUT_debug, and
# soak:debug runs the soak for SOAK_DURATION seconds.

SOAK_BIN      := $(B)/soak
SOAK_HELPERS  := $(SOAK_BIN)/pageout $(SOAK_BIN)/owner_churn
DURATION      ?= 300
# Boot, setup and the checks after the workloads, on a debug kernel.
SOAK_MARGIN   ?= 900
# `make soak` runs on the debug kernel unless VARIANT is given.
SOAK_VARIANT  := $(if $(filter file,$(origin VARIANT)),debug,$(VARIANT))
SOAK_KERNEL    = $(SRC)/out-$(SOAK_VARIANT)/arch/x86/boot/bzImage
SOAK_RUN       = $(B)/runs/$(SOAK_VARIANT)-soak

# The debug kernel is several times slower than the default one: a
# syscall on a cgroup file costs about 10 ms there (test_swapcg_fuzz makes
# 2 x 10,000 writes and reads back after each).
TEST_TIMEOUT_debug ?= 5400
KSFT_TIMEOUT_debug ?= 1500
# What of the kselftests the debug variant runs in `make test`:
# KSFT_COLLECTIONS_debug, set in the top-level Makefile.
SOAK_DURATION ?= $(DURATION)
# Extra kernel arguments for the debug kernel (test.sh adds APPEND_<variant>
# to APPEND). Under TCG, its ACPI interpreter (with KASAN, lockdep and
# kmemleak) takes about 50 s per PCI device to evaluate _PRT, trips the soft
# lockup detector and then fails: the virtio disks get no interrupt and the
# boot hangs at the first disk. acpi=noirq takes PCI interrupt routing from
# the MP table instead.
APPEND_debug ?= acpi=noirq
export TEST_TIMEOUT_debug KSFT_TIMEOUT_debug KSFT_COLLECTIONS_debug \
	SOAK_DURATION SOAK_MARGIN APPEND_debug

REPEAT        ?= 10
REPEAT_SOAK   ?= 60
# A round takes about 3 minutes on the default kernel, 8 on the debug one.
REPEAT_TIMEOUT ?= $$(( $(REPEAT) * ($(REPEAT_SOAK) + $(if $(filter debug,$(VARIANT)),900,300)) + 600 ))

.PHONY: soak soak-helpers test-debug repeat

$(SOAK_BIN)/%: $(VM)/soak/%.c
	@mkdir -p $(SOAK_BIN)
	@echo "  CC      $(patsubst $(REPO)/%,%,$@)"
	@gcc -Wall -O2 -pthread -o $@ $< -lpthread

soak-helpers: $(SOAK_HELPERS)

soak: packages soak-helpers
	@if [ "$(SOAK_VARIANT)" = vanilla ]; then \
		echo "error: the soak needs the swap controller: not on vanilla" >&2; \
		exit 1; \
	fi
	@$(MAKE) --no-print-directory kernel VARIANT=$(SOAK_VARIANT)
	@$(VM_ENV) APPEND="$(APPEND) $(APPEND_$(SOAK_VARIANT)) swapcg_soak=$(DURATION)" \
		$(VM)/run-vm.sh --variant $(SOAK_VARIANT) --job soak \
		--kernel $(SOAK_KERNEL) --timeout $$(($(DURATION) + $(SOAK_MARGIN))) || true
	@$(PYTHON) $(VM)/report.py --job soak:$(SOAK_VARIANT)=$(SOAK_RUN)

test-debug: packages
	@$(VM_ENV) MAKE="$(MAKE)" PYTHON=$(PYTHON) TEST_TIMEOUT=$(TEST_TIMEOUT_debug) \
		KSFT_COLLECTIONS="$(KSFT_TARGETS)" KSFT_COLLECTIONS_debug="$(KSFT_TARGETS)" \
		$(VM)/test.sh debug

repeat: packages soak-helpers selftests
	@if [ "$(VARIANT)" = vanilla ]; then \
		echo "error: make repeat needs the swap controller: not on vanilla" >&2; \
		exit 1; \
	fi
	@$(MAKE) --no-print-directory kernel VARIANT=$(VARIANT)
	@$(VM_ENV) APPEND="$(APPEND) $(APPEND_$(VARIANT))" \
		KSFT_TIMEOUT=$(if $(filter debug,$(VARIANT)),$(KSFT_TIMEOUT_debug),$(KSFT_TIMEOUT)) \
		JOB_ENV="SWAPCG_REPEAT=$(REPEAT) SWAPCG_REPEAT_SOAK=$(REPEAT_SOAK)" \
		$(VM)/run-vm.sh --variant $(VARIANT) --job repeat --kernel $(BZIMAGE) \
		--timeout $(REPEAT_TIMEOUT) || true
	@$(PYTHON) $(VM)/report.py $(VARIANT)=$(B)/runs/$(VARIANT)-repeat
