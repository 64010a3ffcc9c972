# make check-configs: build, without booting, the configurations that
# leave the project's features off (see FRAGS_noswapcg and FRAGS_noowner):
# the series must not break a kernel that does not enable the controller,
# with or without the memory controller.  KTAP.  Not in the default
# HOST_CHECKS: in a fresh clone the two builds add about 10 minutes to
# `make test`; run it before sending, or with
# `make test HOST_CHECKS="check-style check-docs check-configs"`.

CHECK_CONFIG_VARIANTS ?= noswapcg noowner

.PHONY: check-configs

check-configs:
	@REPO=$(REPO) BUILD=$(B) MAKE="$(MAKE)" \
		$(VM)/check-configs.sh $(CHECK_CONFIG_VARIANTS)
