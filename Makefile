# tcplab: build, test, lab, bench and install.
#
# Every .c file under common/, server/, client/ and lab/ is picked up; a
# program's main lives in <dir>/main.c, everything else goes into that
# directory's archive so unit tests can link it.

CC      ?= gcc
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
PKG_CONFIG ?= pkg-config

CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -pthread -Icommon -MMD -MP
LDFLAGS += -pthread

PKGS_server := libmicrohttpd
PKGS_client := libcurl
PKGS_lab    := inih jansson libcurl libmicrohttpd
PKGS_all    := $(sort $(PKGS_server) $(PKGS_client) $(PKGS_lab))

pkg_cflags = $(shell $(PKG_CONFIG) --cflags $(1))
pkg_libs   = $(shell $(PKG_CONFIG) --libs $(1))

srcs_in = $(shell find $(1) -name '*.c' 2>/dev/null | sort)

COMMON_SRC := $(call srcs_in,common)
SERVER_SRC := $(filter-out server/main.c,$(call srcs_in,server))
CLIENT_SRC := $(filter-out client/main.c,$(call srcs_in,client))
LAB_SRC    := $(filter-out lab/main.c lab/agent/main.c,$(call srcs_in,lab))
UNIT_SRC   := $(call srcs_in,tests/unit)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

COMMON_A := $(BUILD)/libcommon.a
SERVER_A := $(BUILD)/libserver.a
CLIENT_A := $(BUILD)/libclient.a
LAB_A    := $(BUILD)/liblab.a

BIN := $(BUILD)/bin
PROGRAMS := $(BIN)/tcplab-server $(BIN)/tcplab-client
ifneq ($(wildcard lab/main.c),)
PROGRAMS += $(BIN)/tcplab
endif
ifneq ($(wildcard lab/agent/main.c),)
PROGRAMS += $(BIN)/tcplab-agent
endif
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(filter tests/unit/test_%.c,$(UNIT_SRC)))

# Debian packages needed to build, test and run (make deps installs the missing ones).
DEB_PACKAGES := gcc make pkg-config libc6-dev libcurl4-openssl-dev libmicrohttpd-dev libinih-dev \
	libjansson-dev iproute2 curl procps gnuplot-nox chromium jq
DEB_BENCH_PACKAGES := wrk apache2-utils
# What the Docker tests need besides docker itself: the base image builder and the results comparison.
DEB_DOCKER_PACKAGES := debootstrap jq
# The base image the Dockerfile builds on: made here by docker/build-base.sh, as no registry is reachable.
DOCKER_BASE ?= tcplab-base:bookworm

.PHONY: all test unit lab stability bench bench-lab bench-docker bench-report lab-docs lab-stability-docs install clean \
	deps bench-deps docker-deps docker-base docker-image docker-lab

all: $(PROGRAMS)

$(BUILD)/obj/server/%.o: CFLAGS += $(call pkg_cflags,$(PKGS_server))
$(BUILD)/obj/client/%.o: CFLAGS += $(call pkg_cflags,$(PKGS_client))
$(BUILD)/obj/lab/%.o:    CFLAGS += $(call pkg_cflags,$(PKGS_lab)) -Ilab
$(BUILD)/obj/tests/%.o:  CFLAGS += $(call pkg_cflags,$(PKGS_all)) -Iserver -Iclient -Ilab

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(COMMON_A): $(call obj,$(COMMON_SRC))
$(SERVER_A): $(call obj,$(SERVER_SRC))
$(CLIENT_A): $(call obj,$(CLIENT_SRC))
$(LAB_A):    $(call obj,$(LAB_SRC))
$(BUILD)/lib%.a:
	@mkdir -p $(dir $@)
	rm -f $@
	$(if $^,ar rcs $@ $^,ar rcs $@)

$(BIN)/tcplab-server: $(call obj,server/main.c) $(SERVER_A) $(COMMON_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_server)) -lm

$(BIN)/tcplab-client: $(call obj,client/main.c) $(CLIENT_A) $(COMMON_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_client)) -lm

$(BIN)/tcplab: $(call obj,lab/main.c) $(LAB_A) $(COMMON_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_lab)) -lm

$(BIN)/tcplab-agent: $(call obj,lab/agent/main.c) $(LAB_A) $(COMMON_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_lab)) -lm

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LAB_A) $(SERVER_A) $(CLIENT_A) $(COMMON_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_all)) -lm

# Unit tests, then integration tests in network namespaces (needs root).
test: deps docker-deps
	$(MAKE) $(PROGRAMS) $(UNIT_BINS)
	tests/run.sh $(BUILD)

unit: $(UNIT_BINS)
	tests/run.sh --unit-only $(BUILD)

# The classroom suite: every scenario in lab/scenarios, one line each, then one per lab.
# LAB="syn-drop 4 never-accept" replays only those labs (page names or numbers) or scenarios.
LAB ?=
lab: deps
	$(MAKE) $(PROGRAMS)
	lab/run-suite.sh $(BUILD) $(LAB)

# Every scenario RUNS times (default 20, as docs/labs/README.md records it): the stability table.
RUNS ?= 20
stability: deps
	$(MAKE) $(PROGRAMS)
	lab/stability.sh $(BUILD) $(RUNS)

# tcplab-client against wrk and ab, and the seed-000 grid: bench/RESULTS.md.
bench: deps bench-deps
	$(MAKE) $(PROGRAMS)
	bench/run.sh $(BUILD)

# Lab set-up and tear-down against Mininet, the sampler's cost against ss: bench/RESULTS-lab.md.
bench-lab: deps
	$(MAKE) $(PROGRAMS) $(LAB_A) $(COMMON_A)
	bench/lab.sh $(BUILD)

# docker-compose up to the first scenario's first connect, beside network namespaces: bench/RESULTS-docker.md.
bench-docker: docker-image
	$(MAKE) $(PROGRAMS)
	bench/docker.sh $(BUILD)

# report.html for a run of 50 000 connections: build time and size, bench/RESULTS-report.md.
bench-report: deps
	$(MAKE) $(PROGRAMS)
	bench/report.sh $(BUILD)

# Rewrite the real-run excerpts of docs/labs/*.md from fresh runs on this machine.
lab-docs: deps
	$(MAKE) $(PROGRAMS)
	docs/labs/regen.sh $(BUILD)

# Replay every scenario 20 times and write the stability table into docs/labs/README.md.
lab-stability-docs: deps
	$(MAKE) $(PROGRAMS)
	docs/labs/regen.sh --stability 20 $(BUILD)

# Install the missing Debian packages (needs root and apt-get); a no-op when all are there.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Docker tests: debootstrap and jq, and docker.io / docker-compose unless docker and compose are already there.
docker-deps:
	@missing=$$(for p in $(DEB_DOCKER_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done; \
		command -v docker >/dev/null || echo docker.io; \
		command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || echo docker-compose); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The base image from Debian's mirror (debootstrap), then the lab image on it, then every lab in containers.
docker-base: docker-deps
	docker/build-base.sh $(DOCKER_BASE)

docker-image: docker-base
	docker build --network=host --build-arg BASE=$(DOCKER_BASE) -t tcplab:latest .

docker-lab: docker-image
	TCPLAB_BASE=$(DOCKER_BASE) docker-compose up --no-build --exit-code-from lab; status=$$?; \
		docker-compose down -v; exit $$status

bench-deps:
	@command -v wrk >/dev/null && command -v ab >/dev/null || \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEB_BENCH_PACKAGES)

# Programs in bin/, scenarios and profiles in share/tcplab/ (where tcplab looks beside its bin/).
install: $(PROGRAMS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/tcplab/lab/scenarios $(DESTDIR)$(PREFIX)/share/tcplab/sysctl
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 lab/scenarios/*.conf $(DESTDIR)$(PREFIX)/share/tcplab/lab/scenarios/
	install -m 0644 sysctl/*.conf $(DESTDIR)$(PREFIX)/share/tcplab/sysctl/

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
