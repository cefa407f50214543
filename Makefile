# emud. The README's two commands: `make run` (the main job) and `make test` (every test).
SWIFT ?= swift
# The installed/released emud links the Swift runtime statically: it runs where no toolchain is
# installed (a server, the kernel VM) without LD_LIBRARY_PATH.
RELEASE_FLAGS = -c release --static-swift-stdlib

.PHONY: deps build release unit test run bench

# The one dependency list (scripts/deps.txt): apt-get only when a package is missing.
deps:
	scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product emud

# Unit tests and the conformance replay of fixtures (through the simulated kernel ring).
unit: deps
	$(SWIFT) test

# Everything: the unit tests, then the real-kernel scenarios in the QEMU VM (emud's column is the gate).
test: unit e2e

# emud for real: serves this machine's TCMU devices where the kernel has target_core_user;
# otherwise boots the harness VM and shows a disk, a DVD and a ZBC disk working (vm/demo.sh).
run: deps
	vm/demo.sh

# emud as a system service (scripts/install.sh): the release binary, packaging/systemd/emud.service,
# packaging/dbus/*, a default /etc/tcmu/tcmu.conf, emud(8) and shell completions generated from the
# argument parser. PREFIX (/usr/local), DESTDIR (staging root for packages), BINDIR, DATADIR, MANDIR,
# SYSTEMDUNITDIR, SYSCONFDIR (/etc), DBUSDIR (/usr/share/dbus-1).
PREFIX ?= /usr/local
INSTALL_VARS = DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" $(foreach v,BINDIR DATADIR MANDIR SYSTEMDUNITDIR SYSCONFDIR DBUSDIR,$(if $($(v)),$(v)="$($(v))"))
.PHONY: install uninstall install-check
install: release
	$(INSTALL_VARS) scripts/install.sh .build/release/emud
uninstall:
	$(INSTALL_VARS) scripts/install.sh --uninstall
# make install DESTDIR=<temp>: the file list, the unit, the man page, completions, uninstall.
install-check: release
	scripts/install-check.sh

# The README's commands on a fresh Debian 12 (debootstrap into out/fresh-root, the toolchain bound in):
# make build, make unit, make release, each installing what it needs (scripts/fresh-root-check.sh).
.PHONY: fresh-root
fresh-root:
	scripts/fresh-root-check.sh

# The ring benchmark (release build): ns/command for TEST UNIT READY, 4 KiB reads and writes, zoned scale.
bench: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product emud-ring-bench
	.build/release/emud-ring-bench

# Instructions per command of the ring benchmark under callgrind (a stripped copy of the release
# binary): independent of the machine's load, so it can be compared between builds and in CI.
# BENCH_INSTR_WORKLOADS (tur,memory,memory-write,file,file-write), BENCH_INSTR_N (3200).
BENCH_INSTR_WORKLOADS ?= tur,memory,memory-write,file,file-write
BENCH_INSTR_N ?= 3200
.PHONY: bench-instr
bench-instr: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product emud-ring-bench
	BENCH_BIN=.build/release/emud-ring-bench scripts/bench-instr.sh $(BENCH_INSTR_WORKLOADS) $(BENCH_INSTR_N)

# The rbd store against a one-node Ceph cluster on the loopback (scripts/ceph-cluster.sh, ~15 s to
# start, ~0.5 GB RSS): the RBDTests suites with EMUD_CEPH_CONF set; the cluster is stopped whatever
# the result. Not part of `make test`; .ci/run runs it after (see docs/rbd.md). The daemons are the
# [ceph] group of scripts/deps.txt, installed here only.
CEPH_DIR ?= /tmp/emud-ceph-$(shell id -u)
.PHONY: ceph-test
ceph-test:
	scripts/install-deps.sh --group ceph
	scripts/ceph-cluster.sh stop $(CEPH_DIR)
	scripts/ceph-cluster.sh start $(CEPH_DIR)
	EMUD_CEPH_CONF=$(CEPH_DIR)/ceph.conf $(SWIFT) test --no-parallel --filter RBDTests; rc=$$?; \
	  scripts/ceph-cluster.sh stop $(CEPH_DIR); exit $$rc

include vm/e2e.mk

# Conformance captures (never in CI): the jobs in vm/capture/ run in the kernel VM with
# `emud serve --capture`, then vm/collect-captures.sh copies the corpora into
# fixtures/captured/. VM_RUN may prefix the VM command (e.g. a slot wrapper).
CAPTURE_JOBS ?= sbc zbc mmc iscsi
VM_RUN ?=
.PHONY: capture
capture: release
	$(VM_RUN) vm/run.sh --columns emud --gate emud --out out/capture $(addprefix vm/capture/,$(addsuffix .sh,$(CAPTURE_JOBS)))
	vm/collect-captures.sh out/capture

# fio side by side in the kernel VM (never in CI): see vm/perf/perf.mk.
include vm/perf/perf.mk

# Fuzzing and sanitizers (issue 13). The fuzz targets are a separate package (Fuzz/, libFuzzer +
# AddressSanitizer), so `swift build`/`swift test` never build them. `make fuzz` runs each target for
# FUZZ_SECONDS (60); `make fuzz-ci` for 20 s each, two at a time (FUZZ_JOBS=2; CI). Seeds: the conformance corpora in FIXTURES and
# images made at run time (qemu-img). Results in out/fuzz/ (summary.txt, crashes/TARGET/, logs/).
FUZZ_SECONDS ?= 60
FIXTURES ?= $(firstword $(wildcard fixtures Tests/Conformance/fixtures))
.PHONY: fuzz fuzz-ci asan tsan
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FIXTURES=$(abspath $(FIXTURES)) Fuzz/run.sh
fuzz-ci:
	FUZZ_SECONDS=20 FUZZ_JOBS=2 FIXTURES=$(abspath $(FIXTURES)) Fuzz/run.sh

# The unit tests under AddressSanitizer (+ LeakSanitizer, suppressions in .sanitizers/lsan.supp) and
# ThreadSanitizer, each in its own build directory.
asan:
	LSAN_OPTIONS=suppressions=$(abspath .sanitizers/lsan.supp):print_suppressions=0 \
	  $(SWIFT) test --sanitize=address --scratch-path .build-asan
tsan:
	TSAN_OPTIONS=suppressions=$(abspath .sanitizers/tsan.supp) $(SWIFT) test --sanitize=thread --scratch-path .build-tsan
