# make check-configs: build, without booting, the configurations that
# leave the project's features off (see FRAGS_noswapcg and FRAGS_noowner):
# the series must not break a kernel that does not enable the controller,
# with or without the memory controller.  KTAP; counted in `make test`
# when listed in HOST_CHECKS.

CHECK_CONFIG_VARIANTS ?= noswapcg noowner

.PHONY: check-configs

check-configs:
	@REPO=$(REPO) BUILD=$(B) MAKE="$(MAKE)" \
		$(VM)/check-configs.sh $(CHECK_CONFIG_VARIANTS)
