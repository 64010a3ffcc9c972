# make series: the work as a git format-patch series against the pristine base,
# one patch per step of tools/testing/swapcg-vm/series/steps, and a cover
# letter, in build/series/; each patch is checked with checkpatch --strict.
# make series-check: build the kernel (VARIANT's config fragments, default
# `default`) after each step, incrementally; STEPS="1 3" builds only those.
# CPU heavy: up to a cold kernel build per step.

SERIES_DIR := $(VM)/series
SERIES_ENV = REPO=$(REPO) B=$(B) LINUX_TARBALL=$(LINUX_TARBALL)

.PHONY: series series-check

series: | check-source
	@$(SERIES_ENV) $(SERIES_DIR)/mkseries.sh

# The builds need the commits, not a checkpatch-clean series.
series-check: | check-source
	@$(SERIES_ENV) CHECKPATCH_FATAL=0 $(SERIES_DIR)/mkseries.sh
	@$(SERIES_ENV) VM=$(VM) CFGS=$(CFGS) FRAGS="$(FRAGS_$(VARIANT))" JOBS=$(JOBS) \
		STEPS="$(STEPS)" $(SERIES_DIR)/check.sh
