# Build, boot and test harness for the swapcg kernel work (mm->owner and the
# swap cgroup controller on Linux 6.12 and 6.1). See README.md, or run
# `make help`.
#
# The repository holds only new files, laid out as a kernel tree, and
# patches/BASE/ (quilt style) for changes to upstream files of each base.
# Everything generated lives in build/BASE/.

# The base tree: BASE=6.12 or BASE=6.1, each Debian's linux-source-BASE
# package pinned to one version.
BASES                     := 6.1 6.12
BASE                      ?= 6.12
LINUX_SOURCE_VERSION_6.1  := 6.1.192-2
LINUX_SOURCE_VERSION_6.12 := 6.12.117-1~deb12u1

ifeq ($(filter $(BASE),$(BASES)),)
$(error BASE=$(BASE) is not one of: $(BASES))
endif
LINUX_SOURCE_PKG     := linux-source-$(BASE)
LINUX_SOURCE_VERSION := $(LINUX_SOURCE_VERSION_$(BASE))
LINUX_TARBALL        := /usr/src/linux-source-$(BASE).tar.xz
export LINUX_SOURCE_PKG LINUX_SOURCE_VERSION BASE

# Debian packages the harness relies on (checked, and installed when root).
PACKAGES := $(foreach b,$(BASES),linux-source-$(b)=$(LINUX_SOURCE_VERSION_$(b))) \
	build-essential \
	flex bison libelf-dev libssl-dev bc cpio dwarves kmod ccache \
	qemu-system-x86 stress-ng fio busybox-static rsync e2fsprogs \
	util-linux coreutils iproute2 python3 git patch xz-utils cgroup-tools \
	runc crun podman
CHECK_PACKAGES := sparse

# User-facing knobs.
VARIANT         ?= default
# What `make test` runs: kernels, as [BASE/]VARIANT (a JOB:V entry runs the
# guest job JOB.sh on V: the soak, a 4 TiB swap area, the cgroup v1 tests
# that need a boot of their own), and host checks, as [BASE/]CHECK: every
# suite on the lead base.  Each kernel costs about 15 minutes on a machine
# with an empty ccache, so 6.1's suites are not in the default set: run them
# with `make test BASE=6.1 VARIANTS="default v1:default" HOST_CHECKS=check-style`.
VARIANTS        ?= 6.12/default v1:6.12/default 6.12/nomemcg \
	bigswap:6.12/nomemcg 6.12/debug soak:6.12/debug
HOST_CHECKS     ?= 6.12/check-style 6.12/check-docs
# The debug kernel runs these in `make test` (all of them: make test-debug),
# and the soak of `make test` lasts SOAK_DURATION seconds.
KSFT_COLLECTIONS_debug ?= mm_owner swap_cgroup:test_swapcg_faults \
	swap_cgroup:test_swapcg_races
SOAK_DURATION   ?= 120
JOBS            ?= $(shell nproc)
# Watchdog for a whole guest run, and per kselftest program (seconds).
TEST_TIMEOUT    ?= 1500
RUN_TIMEOUT     ?= 600
SHELL_TIMEOUT   ?= 0
KSFT_TIMEOUT    ?= 300
# Guest job of `make run`: tools/testing/swapcg-vm/$(JOB).sh
JOB             ?= demo
# Extra kernel command line arguments for the guest.
APPEND          ?=
# Upstream kselftest collections run in `make test`; ours are added from
# tools/testing/selftests/*/Makefile in this repository.
UPSTREAM_KSFT   := cgroup
PYTHON          ?= /usr/bin/python3

export CCACHE_DIR           ?= /var/cache/swapcg-ccache
export CCACHE_MAXSIZE       ?= 20G
export CCACHE_NOHASHDIR     := 1
export CCACHE_COMPILERCHECK := content
export KBUILD_BUILD_USER      := swapcg
export KBUILD_BUILD_HOST      := swapcg-build
export KBUILD_BUILD_TIMESTAMP := 2025-01-01 00:00:00 UTC
export KBUILD_BUILD_VERSION   := 1

SHELL := /bin/bash
REPO  := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
B     := $(REPO)/build/$(BASE)
VM    := $(REPO)/tools/testing/swapcg-vm
CFGS  := $(REPO)/kernel/configs
export CCACHE_BASEDIR := $(B)

VANILLA_SRC := $(B)/vanilla-src
SRC         := $(B)/src
KSFT        := $(B)/ksft
export PATCHES := $(REPO)/patches/$(BASE)

# Variant -> config fragments (merged in this order on top of tinyconfig).
FRAGS_default := swapcg-guest swapcg-memcg swapcg
FRAGS_nomemcg := swapcg-guest swapcg-nomemcg swapcg
FRAGS_debug   := swapcg-guest swapcg-memcg swapcg swapcg-debug
FRAGS_vanilla := swapcg-guest swapcg-memcg
# Build-only (make check-configs): the controller off, memcg on or off.
FRAGS_noswapcg := swapcg-guest swapcg-memcg swapcg-off
FRAGS_noowner  := swapcg-guest swapcg-nomemcg swapcg-off
ALL_VARIANTS  := default nomemcg debug vanilla noswapcg noowner

ifeq ($(filter $(VARIANT),$(ALL_VARIANTS)),)
$(error VARIANT=$(VARIANT) is not one of: $(ALL_VARIANTS))
endif

ifeq ($(VARIANT),vanilla)
VSRC := $(VANILLA_SRC)
else
VSRC := $(SRC)
endif
OBJDIR     := out-$(VARIANT)
OBJ        := $(VSRC)/$(OBJDIR)
BZIMAGE    := $(OBJ)/arch/x86/boot/bzImage
# Each fragment F is followed by kernel/configs/BASE/F.config where that
# exists: what F needs on this base only.
FRAG_FILES := $(foreach f,$(FRAGS_$(VARIANT)),$(CFGS)/$(f).config \
	$(wildcard $(CFGS)/$(BASE)/$(f).config))

UNPACKED     := .swapcg-unpacked
PATCH_STAMP  := $(SRC)/.swapcg-patches
CONFIG_STAMP := $(OBJ)/.swapcg-config
# The fragments of the last configuration: one added or gone reconfigures.
FRAG_LIST    := $(OBJ)/.swapcg-fragments
ifneq ($(wildcard $(OBJ)),)
ifneq ($(file <$(FRAG_LIST)),$(strip $(FRAG_FILES)))
$(file >$(FRAG_LIST),$(strip $(FRAG_FILES)))
endif
endif

# Our Kconfig files: a change reconfigures (like a fragment change does).
OUR_KCONFIGS := $(shell cd $(REPO) && git ls-files -co --exclude-standard \
	-- '*Kconfig*' 2>/dev/null | grep -v '^kernel/configs/')
OUR_KCONFIGS := $(addprefix $(REPO)/,$(OUR_KCONFIGS))

KMAKE = nice -n 10 $(MAKE) --no-print-directory -C $(VSRC) O=$(OBJDIR) CC="ccache gcc" \
	HOSTCC="ccache gcc" -j$(JOBS)

.PHONY: all kernel vanilla run shell test test-vanilla selftests clean \
	distclean help packages check-packages sources check-source place \
	refresh-patch sparse FORCE
.DEFAULT_GOAL := all

all: kernel

help:
	@echo 'Targets:'
	@echo '  make [kernel]      build bzImage for VARIANT (default: $(VARIANT))'
	@echo '  make vanilla       build the pristine BASE kernel (guest + memcg config)'
	@echo '  make run           boot VARIANT, run tools/testing/swapcg-vm/$$JOB.sh (JOB=demo)'
	@echo '  make shell         boot VARIANT with an interactive shell (exit powers off)'
	@echo '  make test          build, boot and test every [BASE/]variant in VARIANTS'
	@echo '  make test-vanilla  run the upstream cgroup kselftests on the vanilla kernel'
	@echo '  make selftests     build and install the kselftests into build/BASE/ksft'
	@echo '  make check-style | check-docs | check-configs'
	@echo '                     style and sparse / the docs build / the feature-off builds'
	@echo '  make series | series-check | soak | test-debug | bench | bench-quick | bench-all'
	@echo '  make refresh-patch PATCH=name.patch [FILES="a/b.c ..."]'
	@echo '                     regenerate patches/BASE/PATCH from build/BASE/src vs vanilla-src'
	@echo '  make sparse        sparse-check our C files (C=2) for VARIANT'
	@echo '  make packages      check (and as root install) the Debian packages'
	@echo '  make clean         remove the kernel object dirs'
	@echo '  make distclean     remove everything in build/BASE/'
	@echo 'Variables:'
	@echo '  BASE=$(shell echo $(BASES) | tr " " "|") (default: $(BASE))'
	@echo '  VARIANT=$(shell echo $(ALL_VARIANTS) | tr " " "|")'
	@echo '  VARIANTS="$(VARIANTS)"  HOST_CHECKS="$(HOST_CHECKS)"'
	@echo '  JOBS=$(JOBS)  TEST_TIMEOUT=$(TEST_TIMEOUT)  RUN_TIMEOUT=$(RUN_TIMEOUT)  KSFT_TIMEOUT=$(KSFT_TIMEOUT)'
	@echo '  JOB=demo  APPEND="extra kernel args"  KEEP_DISKS=1  CCACHE_DIR=$(CCACHE_DIR)'

# ---------------------------------------------------------------------------
# Packages and the pinned source tree

packages:
	@$(VM)/install-packages.sh $(PACKAGES)

check-packages: packages

check-source: packages
	@v=$$(dpkg-query -W -f='$${Version}' $(LINUX_SOURCE_PKG) 2>/dev/null); \
	if [ "$$v" != "$(LINUX_SOURCE_VERSION)" ]; then \
		echo "error: $(LINUX_SOURCE_PKG) $(LINUX_SOURCE_VERSION) is required," \
		     "found '$${v:-none}'. Install it, or update LINUX_SOURCE_VERSION in" \
		     "the Makefile (and check that patches/ still apply)." >&2; \
		exit 1; \
	fi; \
	for d in $(VANILLA_SRC) $(SRC); do \
		if [ -f $$d/$(UNPACKED) ] && [ "$$(cat $$d/$(UNPACKED))" != "$$v" ]; then \
			echo "error: $$d was unpacked from another $(LINUX_SOURCE_PKG)" \
			     "version ($$(cat $$d/$(UNPACKED))); run 'make distclean'." >&2; \
			exit 1; \
		fi; \
	done

# Unpack the tarball once (tar keeps the original mtimes).
$(B)/%/$(UNPACKED): | check-source
	@echo "  UNPACK  $(LINUX_TARBALL) -> build/$(BASE)/$*"
	@rm -rf $(B)/$*.tmp $(B)/$*
	@mkdir -p $(B)/$*.tmp
	@tar -xf $(LINUX_TARBALL) -C $(B)/$*.tmp --strip-components=1
	@echo $(LINUX_SOURCE_VERSION) > $(B)/$*.tmp/$(UNPACKED)
	@mv $(B)/$*.tmp $(B)/$*

# Bring build/BASE/src in line with patches/BASE/series (only touched files
# change).
$(PATCH_STAMP): FORCE | $(SRC)/$(UNPACKED) $(VANILLA_SRC)/$(UNPACKED)
	@$(VM)/apply-patches.sh $(REPO) $(VANILLA_SRC) $(SRC) $(PATCH_STAMP)

# Symlink our files into build/BASE/src (every make; cheap).
place: $(PATCH_STAMP)
	@$(VM)/place-files.sh $(REPO) $(VANILLA_SRC) $(SRC)

ifeq ($(VARIANT),vanilla)
sources: $(VANILLA_SRC)/$(UNPACKED)
CONFIG_DEPS := $(FRAG_FILES) $(wildcard $(FRAG_LIST)) $(VM)/check-config.sh
else
sources: place
CONFIG_DEPS := $(FRAG_FILES) $(wildcard $(FRAG_LIST)) $(VM)/check-config.sh \
	$(PATCH_STAMP) $(OUR_KCONFIGS)
endif

# ---------------------------------------------------------------------------
# Kernel

# tinyconfig + fragments + olddefconfig, then check no fragment symbol was
# dropped. Runs again only when a fragment (or a patch, or our Kconfig) changes.
$(CONFIG_STAMP): $(CONFIG_DEPS) | sources
	@echo "  CONFIG  $(VARIANT): tinyconfig + $(FRAGS_$(VARIANT))"
	@rm -f $@
	@$(KMAKE) -s tinyconfig >/dev/null
	@cd $(VSRC) && scripts/kconfig/merge_config.sh -m -O $(OBJDIR) \
		$(OBJDIR)/.config $(FRAG_FILES) > $(OBJ)/merge_config.log
	@$(KMAKE) -s olddefconfig
	@$(VM)/check-config.sh $(OBJ)/.config $(FRAG_FILES)
	@printf '%s' '$(strip $(FRAG_FILES))' >$(FRAG_LIST)
	@touch $@

kernel: $(CONFIG_STAMP) | sources
	@echo "  KBUILD  $(VARIANT) in $(patsubst $(REPO)/%,%,$(OBJ))"
	@mkdir -p $(CCACHE_DIR)
	@$(KMAKE) bzImage
	@echo "  KERNEL  $(patsubst $(REPO)/%,%,$(BZIMAGE))"

vanilla:
	@$(MAKE) --no-print-directory kernel VARIANT=vanilla

sparse: $(CONFIG_STAMP) | sources
	@$(VM)/install-packages.sh $(CHECK_PACKAGES)
	@$(KMAKE) C=2 bzImage

# ---------------------------------------------------------------------------
# Kselftests: upstream collections + our directories, built once into
# build/ksft (userspace does not depend on the kernel variant).

OUR_KSFT := $(sort $(patsubst tools/testing/selftests/%/Makefile,%,\
	$(shell cd $(REPO) && git ls-files -co --exclude-standard \
	-- 'tools/testing/selftests/*/Makefile' 2>/dev/null)))
# mm_owner last: its process churn is the heaviest of all, and nothing that
# runs after it in the same boot should time its work against a guest that
# is still cleaning up after it.
KSFT_TARGETS := $(UPSTREAM_KSFT) $(filter-out mm_owner,$(OUR_KSFT)) \
	$(filter mm_owner,$(OUR_KSFT))

selftests: place
	@echo "  KSFT    $(KSFT_TARGETS) -> build/$(BASE)/ksft"
	@rm -rf $(KSFT)
	@nice -n 10 $(MAKE) -s --no-print-directory -C $(SRC)/tools/testing/selftests \
		-j$(JOBS) TARGETS="$(KSFT_TARGETS)" KSFT_INSTALL_PATH=$(KSFT) \
		install > $(B)/ksft-build.log 2>&1 || \
		{ tail -n 40 $(B)/ksft-build.log; echo "error: kselftest build failed" \
		  "(build/ksft-build.log)" >&2; exit 1; }

# ---------------------------------------------------------------------------
# Guest runs

VM_ENV = REPO=$(REPO) BUILD=$(B) APPEND="$(APPEND)" KSFT_TIMEOUT=$(KSFT_TIMEOUT)

run: kernel
	@$(VM_ENV) $(VM)/run-vm.sh --variant $(VARIANT) --job $(JOB) \
		--kernel $(BZIMAGE) --timeout $(RUN_TIMEOUT) --show-log

shell: kernel
	@$(VM_ENV) $(VM)/run-vm.sh --variant $(VARIANT) --job shell \
		--kernel $(BZIMAGE) --timeout $(SHELL_TIMEOUT) --interactive

test: packages
	@$(VM_ENV) MAKE="$(MAKE)" PYTHON=$(PYTHON) TEST_TIMEOUT=$(TEST_TIMEOUT) \
		KSFT_COLLECTIONS="$(KSFT_TARGETS)" HOST_CHECKS="$(HOST_CHECKS)" \
		$(VM)/test.sh $(VARIANTS)

test-vanilla: packages
	@$(VM_ENV) MAKE="$(MAKE)" PYTHON=$(PYTHON) TEST_TIMEOUT=$(TEST_TIMEOUT) \
		KSFT_COLLECTIONS="$(UPSTREAM_KSFT)" $(VM)/test.sh vanilla

# ---------------------------------------------------------------------------
# Helpers

refresh-patch: $(PATCH_STAMP)
	@$(VM)/refresh-patch.sh $(REPO) $(VANILLA_SRC) $(SRC) "$(PATCH)" "$(FILES)"

clean:
	rm -rf $(SRC)/out-* $(VANILLA_SRC)/out-* $(B)/runs $(KSFT)

distclean:
	find $(B) -mindepth 1 -maxdepth 1 ! -name .gitignore -exec rm -rf {} +

FORCE:

# Further targets (bench, soak, style checks, series), one file per job.
include $(sort $(wildcard $(VM)/*.mk))
