# Style and documentation checks (included by the top-level Makefile).
#
#   make check-style   checkpatch --strict on patches/BASE/*.patch and our new
#                      files, kernel-doc, and sparse + W=1 on the objects of
#                      our files and of the upstream files our patches touch,
#                      failing only on warnings that the stock base lacks
#   make check-docs    kernel-doc, and a Sphinx build of our documents with
#                      the kernel's conf.py, failing on new warnings
#
# Both print KTAP and exit non-zero on any finding.  check-style rebuilds
# the checked objects, with C=2 W=1, in STYLE_OBJDIR of build/BASE/src, which
# `make kernel` must have built, and in STYLE_VANILLA_OBJDIR of
# build/BASE/vanilla-src, configured here if need be.  The next normal build
# rebuilds those few objects again.

STYLE_OBJDIR         ?= out-default
STYLE_VANILLA_OBJDIR ?= out-vanilla
STYLE_PACKAGES       := sparse python3-sphinx python3-sphinx-rtd-theme
STYLE_WORK           := $(B)/style
STYLE                := $(VM)/style

.PHONY: check-style check-docs style-packages

style-packages:
	@$(VM)/install-packages.sh $(STYLE_PACKAGES)

# A stock object dir that is not configured yet gets the vanilla variant's
# configuration; the few stock objects compared are then built on demand,
# which costs far less than `make vanilla`.
check-style: style-packages place
	@if [ ! -f $(SRC)/$(STYLE_OBJDIR)/vmlinux ]; then \
		echo "error: $(SRC)/$(STYLE_OBJDIR) is not built; run 'make kernel'" \
		     "first (or set STYLE_OBJDIR)" >&2; \
		exit 1; \
	fi
	@if [ ! -f $(VANILLA_SRC)/$(STYLE_VANILLA_OBJDIR)/.config ]; then \
		if [ $(STYLE_VANILLA_OBJDIR) != out-vanilla ]; then \
			echo "error: $(VANILLA_SRC)/$(STYLE_VANILLA_OBJDIR) is not" \
			     "configured" >&2; \
			exit 1; \
		fi; \
		$(MAKE) --no-print-directory VARIANT=vanilla \
			$(VANILLA_SRC)/out-vanilla/.swapcg-config; \
	fi
	@mkdir -p $(CCACHE_DIR)
	@STYLE_CC="ccache gcc" STYLE_HOSTCC="ccache gcc" STYLE_JOBS=$(JOBS) \
		$(STYLE)/check-style.sh $(REPO) $(VANILLA_SRC) $(SRC) \
		$(STYLE_OBJDIR) $(STYLE_VANILLA_OBJDIR) $(STYLE_WORK)/style

check-docs: style-packages place
	@$(STYLE)/check-docs.sh $(REPO) $(VANILLA_SRC) $(SRC) $(STYLE_WORK)/docs
