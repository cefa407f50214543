# emud. The README's two commands: `make run` (the main job) and `make test` (every test).
SWIFT ?= swift

.PHONY: build release unit test run bench

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --product emud

# Unit tests and the conformance replay of Tests/Conformance/fixtures (through the simulated kernel ring).
unit:
	$(SWIFT) test

# Everything: the unit tests, then the real-kernel scenarios in the QEMU VM (emud's column is the gate).
test: unit e2e

# emud for real: serves this machine's TCMU devices where the kernel has target_core_user;
# otherwise boots the harness VM and shows a disk, a DVD and a ZBC disk working (vm/demo.sh).
run:
	vm/demo.sh

# The ring benchmark (release build): ns/command for TEST UNIT READY, 4 KiB reads and writes, zoned scale.
bench:
	$(SWIFT) build -c release --product emud-ring-bench
	.build/release/emud-ring-bench

include vm/e2e.mk
include vm/perf/perf.mk
