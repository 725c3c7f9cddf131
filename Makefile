# trawl: one flat Makefile. `make deps` installs what the build needs;
# `make demo`, `make check`, `make bench`, `make fuzz`, `make install`.
# V=1 shows the commands; SAN=address (ASan+UBSan) or SAN=thread builds
# instrumented binaries in their own folder. `make fuzz` builds the libFuzzer
# harnesses with clang in build-fuzz/ and runs each for FUZZ_SECONDS.
# SPDX-License-Identifier: GPL-3.0-or-later

PREFIX   ?= /usr/local
CC       ?= cc
CXX      ?= c++
OPT      ?= -O2 -g
SAN      ?=

# pkg-config modules and the Debian packages that provide them.
# PCRE2 and protobuf: the phone detector reads libphonenumber's own metadata and
# matches the plans of the countries it asks about most itself (detectors/phonelib.cc).
# libcrypto: SHA-256 of every message with the CPU's SHA extensions (util/buf.c).
PKGS      := gmime-3.0 libarchive xapian-core libmagic libxml-2.0 glib-2.0 libpff libbfio poppler-glib libhs \
             libpcre2-8 protobuf libcrypto
TEST_PKGS := criterion
DEB_PKGS  := pkg-config libgmime-3.0-dev libarchive-dev libxapian-dev libmagic-dev \
             libxml2-dev libglib2.0-dev libcriterion-dev libpff-dev libbfio-dev libphonenumber-dev libicu-dev \
             libpoppler-glib-dev libvectorscan-dev libpcre2-dev libprotobuf-dev libssl-dev libjemalloc-dev
# Checked by file rather than pkg-config (no .pc file shipped by Debian).
DEB_FILES := /usr/include/phonenumbers/phonenumberutil.h /usr/include/jemalloc/jemalloc.h
# libphonenumber and its geocoder (area codes), which uses ICU for locales.
EXTRA_LIBS := -lgeocoding -lphonenumber -licuuc
# jemalloc as the trawl binary's malloc: records are built on the workers and
# freed on the thread that owns the index, which glibc's per-thread arenas
# pay for in locks and consolidation (malloc was a fifth of a worker's
# samples); scan of the bench's 200 MB 15-20% faster, peak RSS +25 MB. Not in
# the sanitizer builds, which bring their own allocator, nor in the tests.
ALLOC_LIBS := $(if $(SAN),,-ljemalloc)

ifeq ($(V),1)
Q :=
else
Q := @
endif

ifeq ($(SAN),address)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else ifeq ($(SAN),thread)
SANFLAGS := -fsanitize=thread
else
SANFLAGS :=
endif

B := build$(if $(SAN),-$(SAN))

# pkg-config runs once, on first use, after `deps` had its chance.
PKG_CFLAGS = $(eval PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(shell pkg-config --libs $(PKGS)))$(PKG_LIBS)
TEST_CFLAGS = $(eval TEST_CFLAGS := $(shell pkg-config --cflags $(TEST_PKGS)))$(TEST_CFLAGS)
TEST_LIBS   = $(eval TEST_LIBS := $(shell pkg-config --libs $(TEST_PKGS)))$(TEST_LIBS)

# Where the built-in rules live: the source tree for a build, the shared
# data folder for an installed trawl (make install sets it).
RULES_DIR ?= $(CURDIR)/rules
CPPFLAGS += -DTRAWL_RULES_DIR='"$(RULES_DIR)"'

WARN     := -Wall -Wextra -Wno-unused-parameter
CWARN    := $(WARN) -Werror=implicit-function-declaration
CPPFLAGS += -Iinclude -I. -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D_GNU_SOURCE -MD -MP
ALL_CFLAGS   = -std=c11 $(CWARN) $(OPT) $(SANFLAGS) -pthread $(PKG_CFLAGS) $(CFLAGS)
ALL_CXXFLAGS = -std=c++17 $(WARN) $(OPT) $(SANFLAGS) -pthread $(PKG_CFLAGS) $(CXXFLAGS)
ALL_LDFLAGS  = $(SANFLAGS) -pthread $(LDFLAGS)

LIB_C   := $(wildcard util/*.c scanner/*.c detectors/*.c index/*.c)
LIB_CXX := $(wildcard util/*.cc scanner/*.cc detectors/*.cc index/*.cc)
CLI_C   := $(wildcard cli/*.c)
TEST_C  := $(wildcard tests/test_*.c)

# The fuzz harnesses are linked into the tests too (without libFuzzer's
# main), so that tests/test_regressions.c runs every kept crasher through
# the very entry point that found it.
FUZZ_C  := $(wildcard fuzz/*.c)

LIB_OBJ  := $(LIB_C:%.c=$(B)/%.o) $(LIB_CXX:%.cc=$(B)/%.o)
CLI_OBJ  := $(CLI_C:%.c=$(B)/%.o)
TEST_OBJ := $(TEST_C:%.c=$(B)/%.o) $(FUZZ_C:%.c=$(B)/%.o)

.PHONY: all deps deps-test fuzz-deps demo check check-plain-tests bench fuzz install clean

all: $(B)/trawl

deps:
	@missing=""; \
	for p in $(PKGS) $(TEST_PKGS); do pkg-config --exists $$p 2>/dev/null || missing=1; done; \
	for f in $(DEB_FILES); do [ -e $$f ] || missing=1; done; \
	command -v pkg-config >/dev/null || missing=1; \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing $(DEB_PKGS)"; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(DEB_PKGS); \
	fi

# What `make check` needs besides: a browser for the end-to-end test of the
# HTML access report (tests/test_html.c). Debian's chromium, some 100 MB.
TEST_DEB_PKGS := chromium
TEST_CMDS     := chromium

deps-test: deps
	@missing=""; \
	for c in $(TEST_CMDS); do command -v $$c >/dev/null 2>&1 || missing=1; done; \
	if [ -n "$$missing" ]; then \
		echo "make deps-test: installing $(TEST_DEB_PKGS)"; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(TEST_DEB_PKGS); \
	fi

$(B)/.deps-ok: | deps
	@mkdir -p $(B) && touch $@

$(B)/%.o: %.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(B)/%.o: %.cc $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX     $<")
	$(Q)$(CXX) $(CPPFLAGS) $(ALL_CXXFLAGS) -c -o $@ $<

$(B)/tests/%.o: tests/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

# FUZZ_MAIN=1 (the fuzz build) keeps libFuzzer's LLVMFuzzerTestOneInput.
$(B)/fuzz/%.o: fuzz/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(if $(FUZZ_MAIN),,-DTRAWL_FUZZ_NO_MAIN) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libtrawl.a: $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/trawl: $(CLI_OBJ) $(B)/libtrawl.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(B)/libtrawl.a $(PKG_LIBS) $(EXTRA_LIBS) $(ALLOC_LIBS)

$(B)/trawl-tests: $(TEST_OBJ) $(B)/libtrawl.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $(TEST_OBJ) $(B)/libtrawl.a $(PKG_LIBS) $(EXTRA_LIBS) $(TEST_LIBS)

# The sample archive in fixtures/sample, and an access report for one person in it.
DEMO_INDEX := $(B)/demo-index
demo: $(B)/trawl
	@rm -rf $(DEMO_INDEX)
	$(B)/trawl scan --quiet --index $(DEMO_INDEX) fixtures/sample
	$(B)/trawl stats --index $(DEMO_INDEX)
	$(B)/trawl access --index $(DEMO_INDEX) --email "erika.mustermann@kontor-demo.de" --name "Erika Mustermann" --format json

# Every test: Criterion unit tests and the end-to-end tests (which run the
# built trawl binary; TRAWL_BIN tells them where it is).
#
# SAN=address: leaks inside libraries trawl cannot free are suppressed
# (tests/lsan.supp names each). SAN=thread: Criterion cannot start under
# ThreadSanitizer (its sandbox arena finds no room beside TSan's shadow
# memory, Snaipe/Criterion#274), so the tests are the plain build's and
# every end-to-end and fault test drives the TSan-built trawl; what TSan
# reports goes to $(B)/tsan/ and fails the check (tests/tsan.supp says
# what is not ours to fix).
PLAIN_B ?= build
ifeq ($(SAN),thread)
CHECK_TESTS := $(PLAIN_B)/trawl-tests
CHECK_ENV   := TSAN_OPTIONS='suppressions=$(CURDIR)/tests/tsan.supp log_path=$(abspath $(B))/tsan/report exitcode=0' \
               G_SLICE=always-malloc
else
CHECK_TESTS := $(B)/trawl-tests
CHECK_ENV   := $(if $(filter address,$(SAN)),LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp)
endif

check: deps-test $(B)/trawl $(if $(filter thread,$(SAN)),check-plain-tests,$(CHECK_TESTS))
	@rm -rf $(B)/tsan $(if $(filter thread,$(SAN)),&& mkdir -p $(B)/tsan)
	$(CHECK_ENV) TRAWL_BIN=$(abspath $(B)/trawl) TRAWL_SRC=$(CURDIR) $(CHECK_TESTS) $(CHECK_ARGS)
	@if ls $(B)/tsan/report.* >/dev/null 2>&1; then \
		cat $(B)/tsan/report.*; echo "make check: ThreadSanitizer reported the races above" >&2; exit 1; \
	fi

# The plain test binary, for SAN=thread.
check-plain-tests:
	$(MAKE) SAN= B=$(PLAIN_B) $(PLAIN_B)/trawl-tests

# Speed on a generated mail store (bench/README.md): BENCH_SIZE=50M for a short
# run, BENCH_FLAT=1 for the peak-RSS flatness check on a 2G mbox.
bench: $(B)/trawl
	bench/run.sh $(B)/trawl

# Fuzzing (fuzz/README.md): clang and its sanitizer runtimes, installed
# like `make deps` does when clang cannot link a libFuzzer target; the
# project's objects built with clang, -fsanitize=fuzzer-no-link,address,
# undefined in build-fuzz/; every harness run FUZZ_SECONDS on its seeds.
FUZZ_SECONDS ?= 60
FUZZ_DEB     := clang libclang-rt-14-dev
FUZZ_SAN     := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=undefined
FUZZ_NAMES   := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FZ           := build-fuzz

fuzz-deps: deps
	@if ! command -v clang >/dev/null || ! command -v clang++ >/dev/null || \
	    ! printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' | \
	      clang -x c -fsanitize=fuzzer,address,undefined -o /dev/null - 2>/dev/null; then \
		echo "make fuzz-deps: installing $(FUZZ_DEB)"; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(FUZZ_DEB); \
	fi

$(B)/fuzz_%: $(B)/fuzz/fuzz_%.o $(B)/fuzz/common.o $(B)/libtrawl.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CXX) $(subst fuzzer-no-link,fuzzer,$(ALL_LDFLAGS)) -o $@ $^ $(PKG_LIBS) $(EXTRA_LIBS)

fuzz: fuzz-deps
	$(MAKE) B=$(FZ) FUZZ_MAIN=1 CC=clang CXX=clang++ OPT='-O1 -g' SANFLAGS='$(FUZZ_SAN)' \
		$(FUZZ_NAMES:%=$(FZ)/fuzz_%)
	FZ=$(FZ) FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh $(FUZZ_ONLY)

# The installed binary reads its rules from $(PREFIX)/share/trawl/rules:
# build it in its own folder with that path compiled in.
install:
	$(MAKE) B=build-install RULES_DIR=$(PREFIX)/share/trawl/rules build-install/trawl
	install -D -m 0755 build-install/trawl $(DESTDIR)$(PREFIX)/bin/trawl
	install -D -m 0644 trawl.1 $(DESTDIR)$(PREFIX)/share/man/man1/trawl.1
	mkdir -p $(DESTDIR)$(PREFIX)/share/trawl
	cp -R rules $(DESTDIR)$(PREFIX)/share/trawl/

clean:
	rm -rf build build-address build-thread build-install build-fuzz

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
