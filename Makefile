# emud top-level Makefile.
include vm/e2e.mk
