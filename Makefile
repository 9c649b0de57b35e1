# tcplab: build, test, lab, bench and install.
#
# Every .c file under common/, server/, client/ and lab/ is picked up; a
# program's main lives in <dir>/main.c, everything else goes into that
# directory's archive so unit tests can link it.

# make's built-in default for CC is cc; gcc unless the user names another compiler.
ifeq ($(origin CC),default)
CC      := gcc
endif
PREFIX  ?= /usr/local
DESTDIR ?=
PKG_CONFIG ?= pkg-config

# SANITIZE=address,undefined builds every program and test with those sanitizers (ASan brings LeakSanitizer),
# in a build folder of its own so sanitized and plain objects never mix.
SANITIZE ?=
ifneq ($(SANITIZE),)
BUILD   ?= build-sanitize
CFLAGS  ?= -O1 -g
SAN_CFLAGS  ?= -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_LDFLAGS ?= -fsanitize=$(SANITIZE)
endif
BUILD   ?= build

# One version for the programs and run.json: the release, and the commit when built from a git checkout.
VERSION    := 0.3.0
TL_VERSION ?= $(VERSION)$(shell git rev-parse --short HEAD 2>/dev/null | sed 's/^/+g/')

# CFLAGS and LDFLAGS are the user's (make CFLAGS=-O0 keeps everything below); the project's own flags are
# TL_CFLAGS and TL_LDFLAGS, given first so the user's come last and win.
CFLAGS  ?= -O2 -g
WARN_CFLAGS := -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wformat=2 -Wshadow
TL_CFLAGS  := $(SAN_CFLAGS) -std=c11 $(WARN_CFLAGS) $(FUZZ_NOWERROR) -D_GNU_SOURCE -pthread -Icommon -MMD -MP
TL_LDFLAGS := $(SAN_LDFLAGS) -pthread

PKGS_server := libmicrohttpd
PKGS_client := libcurl
# http-parser ships no pkg-config file.
LIBS_client := -lhttp_parser
PKGS_lab    := inih jansson libcurl libmicrohttpd libpcap libbpf libxml-2.0
PKGS_capture := jansson libpcap
PKGS_delay  := jansson libnetfilter_queue libnfnetlink
PKGS_all    := $(sort $(PKGS_server) $(PKGS_client) $(PKGS_lab))

pkg_cflags = $(shell $(PKG_CONFIG) --cflags $(1))
pkg_libs   = $(shell $(PKG_CONFIG) --libs $(1))

# BPF programs (*.bpf.c) are not host C: they are built for the kernel by the BPF rules below.
srcs_in = $(shell find $(1) -name '*.c' ! -name '*.bpf.c' 2>/dev/null | sort)

COMMON_SRC := $(call srcs_in,common)
SERVER_SRC := $(filter-out server/main.c,$(call srcs_in,server))
CLIENT_SRC := $(filter-out client/main.c,$(call srcs_in,client))
LAB_SRC    := $(filter-out lab/main.c lab/agent/main.c lab/capture/main.c lab/delay/main.c,$(call srcs_in,lab))
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
PROGRAMS += $(BIN)/tcplab-capture $(BIN)/tcplab-delay
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(filter tests/unit/test_%.c,$(UNIT_SRC)))

# libFuzzer targets: every tests/fuzz/fuzz_<name>.c, seeds in tests/fuzz/corpus/<name>/, linked against
# clang-built copies of the project's archives in FUZZ_BUILD (never mixed with the gcc objects).
FUZZ_CC    ?= clang-14
FUZZ_BUILD ?= build-fuzz
FUZZ_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS  := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 10
FUZZ_LONG_SECONDS ?= 600
FUZZ_JOBS ?= 1
# FUZZ_ONLY="agent packets" runs those targets alone (fuzz-long then keeps the other targets' rows).
FUZZ_ONLY ?=
FUZZ_ONLY_OPT = $(if $(strip $(FUZZ_ONLY)),--only "$(FUZZ_ONLY)")

# The sanitizer and fuzzing builds: gcc's ASan/UBSan runtimes come with gcc; libFuzzer with clang's compiler-rt.
DEB_FUZZ_PACKAGES := clang-14 libclang-rt-14-dev
# The drop tracer: its BPF program built by clang for the bpf target, vmlinux.h and the skeleton by bpftool,
# loaded by libbpf (clang-14 comes with the fuzzing packages).
DEB_BPF_PACKAGES := llvm-14 bpftool libbpf-dev
# (Both defined before DEB_PACKAGES, which := expands at once.)
# Debian packages needed to build, test and run (make deps installs the missing ones).
DEB_PACKAGES := gcc make pkg-config libc6-dev libcurl4-openssl-dev libmicrohttpd-dev libinih-dev \
	libjansson-dev libxml2-dev libpcap-dev libhttp-parser-dev libnetfilter-queue-dev nftables iptables iproute2 curl procps gnuplot-nox chromium jq $(DEB_FUZZ_PACKAGES) \
	$(DEB_BPF_PACKAGES)
# What the tests use to check the packet analyser independently: tcpdump records, tshark reads; and the JUnit
# files with a parser of their own (xmllint).
DEB_TEST_PACKAGES := tcpdump tshark libxml2-utils
DEB_BENCH_PACKAGES := wrk apache2-utils nginx-light valgrind
# What the Docker tests need besides docker itself: the base image builder and the results comparison.
DEB_DOCKER_PACKAGES := debootstrap jq
# The base image the Dockerfile builds on: made here by docker/build-base.sh, as no registry is reachable.
DOCKER_BASE ?= tcplab-base:bookworm

.PHONY: all test unit unit-bins test-sanitize fuzz fuzz-long fuzz-bins lab stability bench bench-lab bench-docker bench-report bench-packets bench-evidence bench-link lab-docs lab-stability-docs docs-check faults faults-quick \
	docs-check-quick install clean \
	deps check-deps bench-deps docker-deps docker-base docker-image docker-lab

# A man page per program, made from what the program's --help prints (lab/man/help2roff.sh): a page never lists
# other options than the program takes.
MAN_PAGES := $(patsubst $(BIN)/%,$(BUILD)/man/%.1,$(PROGRAMS))

all: $(PROGRAMS) $(MAN_PAGES)

$(BUILD)/man/%.1: $(BIN)/% lab/man/help2roff.sh
	@mkdir -p $(dir $@)
	lab/man/help2roff.sh $< >$@.tmp && mv $@.tmp $@

$(BUILD)/obj/server/%.o: TL_CFLAGS += $(call pkg_cflags,$(PKGS_server))
$(BUILD)/obj/client/%.o: TL_CFLAGS += $(call pkg_cflags,$(PKGS_client))
$(BUILD)/obj/lab/%.o:    TL_CFLAGS += $(call pkg_cflags,$(PKGS_lab)) -Ilab
$(BUILD)/obj/tests/%.o:  TL_CFLAGS += $(call pkg_cflags,$(PKGS_all)) -Iserver -Iclient -Ilab -Itests/fuzz/lib

# Only common/version.c sees the version; it is compiled again when the version changes (the stamp's content).
$(BUILD)/obj/common/version.o: TL_CFLAGS += -DTL_VERSION='"$(TL_VERSION)"'
$(BUILD)/obj/common/version.o: $(BUILD)/version.stamp
$(BUILD)/version.stamp: FORCE
	@mkdir -p $(@D); echo '$(TL_VERSION)' | cmp -s - $@ || echo '$(TL_VERSION)' >$@
.PHONY: FORCE
FORCE:

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(TL_CFLAGS) $(CFLAGS) -c $< -o $@

# The drop tracer's BPF side (lab/probe/drops.bpf.c), CO-RE: vmlinux.h from the running kernel's BTF, the
# object by clang for bpf whatever CC and SANITIZE say, and a skeleton header that drops.c includes (and so
# links the object into tcplab).
BPF_CLANG ?= clang-14
BPFTOOL   ?= bpftool
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
BPF_ARCH  := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
BPF_DIR   := $(BUILD)/bpf

$(BPF_DIR)/vmlinux.h:
	@mkdir -p $(dir $@)
	$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c >$@.tmp && mv $@.tmp $@

$(BPF_DIR)/%.bpf.o: lab/probe/%.bpf.c $(BPF_DIR)/vmlinux.h
	$(BPF_CLANG) -target bpf -g -O2 -D__TARGET_ARCH_$(BPF_ARCH) -MMD -MP -I$(BPF_DIR) -Ilab/probe $(call pkg_cflags,libbpf) \
		-c $< -o $@

# Kept between builds (make would remove it as an intermediate and rebuild the skeleton every time).
.PRECIOUS: $(BPF_DIR)/%.bpf.o

$(BPF_DIR)/%.skel.h: $(BPF_DIR)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $*_bpf >$@.tmp && mv $@.tmp $@

$(BUILD)/obj/lab/probe/drops.o: $(BPF_DIR)/drops.skel.h
$(BUILD)/obj/lab/probe/drops.o: TL_CFLAGS += -I$(BPF_DIR)

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
	$(CC) $(TL_LDFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_server)) -lm

$(BIN)/tcplab-client: $(call obj,client/main.c) $(CLIENT_A) $(COMMON_A)
	@mkdir -p $(dir $@)
	$(CC) $(TL_LDFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_client)) $(LIBS_client) -lm

$(BIN)/tcplab: $(call obj,lab/main.c) $(LAB_A) $(COMMON_A)
	@mkdir -p $(dir $@)
	$(CC) $(TL_LDFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_lab)) -lm

$(BIN)/tcplab-agent: $(call obj,lab/agent/main.c) $(LAB_A) $(COMMON_A)
	@mkdir -p $(dir $@)
	$(CC) $(TL_LDFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_lab)) -lm

$(BIN)/tcplab-capture: $(call obj,lab/capture/main.c) $(LAB_A) $(COMMON_A)
	@mkdir -p $(dir $@)
	$(CC) $(TL_LDFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_capture)) -lm

$(BIN)/tcplab-delay: $(call obj,lab/delay/main.c) $(LAB_A) $(COMMON_A)
	@mkdir -p $(dir $@)
	$(CC) $(TL_LDFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_delay)) -lm

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LAB_A) $(SERVER_A) $(CLIENT_A) $(COMMON_A)
	@mkdir -p $(dir $@)
	$(CC) $(TL_LDFLAGS) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(PKGS_all)) $(LIBS_client) -lm

$(BUILD)/fuzz/%: $(BUILD)/obj/tests/fuzz/%.o $(BUILD)/obj/tests/fuzz/lib/input.o $(LAB_A) $(SERVER_A) $(CLIENT_A) $(COMMON_A)
	@mkdir -p $(dir $@)
	$(CC) $(TL_LDFLAGS) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(call pkg_libs,$(PKGS_all)) $(LIBS_client) -lm

# The fuzz targets, built by clang in FUZZ_BUILD (a make of its own, so CC and CFLAGS apply to every object).
# gcc's -Werror build is the one that judges warnings; clang's own (-Wsign-compare inside the kernel's
# NLMSG_OK, for one) stay warnings here.
fuzz-bins:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) SANITIZE= \
		SAN_CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" SAN_LDFLAGS="$(FUZZ_FLAGS)" FUZZ_NOWERROR=-Wno-error \
		$(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/fuzz/%,$(FUZZ_SRC))

# Unit tests, then integration tests in network namespaces (needs root).
test: check-deps
	$(MAKE) $(PROGRAMS) $(UNIT_BINS)
	tests/run.sh $(BUILD)

# test_cli_help completes tcplab's own command lines with lab/completion/tcplab.bash, so tcplab is built too,
# and reads every program's man page.
unit: $(UNIT_BINS) $(BIN)/tcplab $(MAN_PAGES)
	tests/run.sh --unit-only $(BUILD)

unit-bins: $(UNIT_BINS)

# Unit tests and the network-namespace integration tests (not the Docker ones) built with ASan, UBSan and
# LSan: any sanitizer report, from any program the tests start, fails the run.
SANITIZE_TEST ?= address,undefined
test-sanitize: check-deps
	$(MAKE) SANITIZE=$(SANITIZE_TEST) BUILD=build-sanitize all unit-bins
	tests/sanitize.sh build-sanitize

# Each fuzz target FUZZ_SECONDS seconds from its seeds; a crash, leak or sanitizer report fails.
fuzz: deps
	$(MAKE) fuzz-bins
	tests/fuzz/run.sh $(FUZZ_ONLY_OPT) $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_JOBS)

# Each fuzz target at least FUZZ_LONG_SECONDS (default 10 minutes): execs/s and result in bench/RESULTS-fuzz.md.
fuzz-long: deps
	$(MAKE) fuzz-bins
	tests/fuzz/run.sh --record bench/RESULTS-fuzz.md $(FUZZ_ONLY_OPT) $(FUZZ_BUILD) $(FUZZ_LONG_SECONDS) $(FUZZ_JOBS)

# FAULTS faults (default 100) injected into runs and comparisons at random instants (kills, interrupts, lab
# programs killed); after each, nothing is left and the host is unchanged: the table goes to docs/faults.md.
FAULTS ?= 100
faults: deps
	$(MAKE) $(PROGRAMS)
	tests/faults.sh $(BUILD) $(FAULTS) docs/faults.md

# The short fault run CI makes (no table written).
faults-quick: deps
	$(MAKE) $(PROGRAMS)
	tests/faults.sh $(BUILD) 10

# The classroom suite: every scenario in lab/scenarios, one line each, then one per lab.
# LAB="syn-drop 4 never-accept" replays only those labs (page names or numbers) or scenarios.
# JUNIT=FILE also writes every scenario's verdicts into one JUnit XML file, for CI (docs/ci.md).
LAB ?=
JUNIT ?=
lab: deps
	$(MAKE) $(PROGRAMS)
	JUNIT='$(subst ','\'',$(JUNIT))' lab/run-suite.sh $(BUILD) $(LAB)

# Every scenario RUNS times (default 20, as docs/labs/README.md records it): the stability table.
RUNS ?= 20
stability: deps
	$(MAKE) $(PROGRAMS)
	lab/stability.sh $(BUILD) $(RUNS)

# tcplab-client against wrk and ab, tcplab-server against nginx, a 50 000-connection hold, the seed-000 grid
# and callgrind profiles: bench/RESULTS.md. BENCH_PARTS="client grid" runs some of them (the others' results
# stay as recorded).
BENCH_PARTS ?=
bench: deps bench-deps
	$(MAKE) $(PROGRAMS)
	bench/run.sh $(BUILD) $(BENCH_PARTS)

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

# tcplab packets on 1 M generated packets (one file, then a client and a server file): bench/RESULTS-packets.md.
bench-packets: deps
	$(MAKE) $(PROGRAMS)
	bench/packets.sh $(BUILD)

# What packet capture and drop tracing cost the seed-000 grid: bench/RESULTS-evidence.md.
bench-evidence: deps
	$(MAKE) $(PROGRAMS)
	bench/evidence.sh $(BUILD)

# What the [link] delay line costs per packet at the rate the lab carries (bench/RESULTS-link.md).
bench-link: deps
	$(MAKE) $(PROGRAMS)
	bench/link.sh $(BUILD)

# Rewrite the real-run excerpts of docs/labs/*.md from fresh runs on this machine.
lab-docs: deps
	$(MAKE) $(PROGRAMS)
	docs/labs/regen.sh $(BUILD)

# Replay every scenario 20 times and write the stability table into docs/labs/README.md.
lab-stability-docs: deps
	$(MAKE) $(PROGRAMS)
	docs/labs/regen.sh --stability 20 $(BUILD)

# Every command README.md, docs/ and docs/labs/ show in blocks marked runnable, and every figure they quote
# checked against the range they state (docs/check.sh); the table of pages goes into docs/labs/README.md.
docs-check: deps
	$(MAKE) $(PROGRAMS)
	docs/check.sh --record

# The part of docs-check CI runs: the blocks marked quick (at least one command per page).
docs-check-quick: deps
	$(MAKE) $(PROGRAMS)
	docs/check.sh --quick

# Install the missing Debian packages (needs root and apt-get); a no-op when all are there. tshark's package
# asks whether non-root users may capture: answered "no" beforehand, so the install never stops to ask.
deps: docker-deps
	@missing=$$(for p in $(DEB_PACKAGES) $(DEB_TEST_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections && \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# What make test needs, checked without installing anything: one line naming what is missing and make deps.
check-deps:
	@missing=$$(for p in $(DEB_PACKAGES) $(DEB_TEST_PACKAGES) $(DEB_DOCKER_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done; \
		command -v docker >/dev/null || echo docker; \
		command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || echo docker-compose); \
	if [ -n "$$missing" ]; then \
		echo "make test: missing" $$missing "- run make deps (as root) first" >&2; exit 2; \
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

bench-deps: docker-deps
	@missing=$$(for p in $(DEB_BENCH_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Programs in bin/, scenarios and profiles in share/tcplab/ (where tcplab looks beside its bin/), the man pages
# in share/man/man1/, the bash completion where bash-completion loads it on first use.
install: $(PROGRAMS) $(MAN_PAGES)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/tcplab/lab/scenarios $(DESTDIR)$(PREFIX)/share/tcplab/sysctl \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 lab/scenarios/*.conf $(DESTDIR)$(PREFIX)/share/tcplab/lab/scenarios/
	install -m 0644 sysctl/*.conf $(DESTDIR)$(PREFIX)/share/tcplab/sysctl/
	install -m 0644 $(MAN_PAGES) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 lab/completion/tcplab.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/tcplab

clean:
	rm -rf $(BUILD) build-sanitize $(FUZZ_BUILD)

-include $(shell find $(BUILD)/obj $(BUILD)/bpf -name '*.d' 2>/dev/null)
