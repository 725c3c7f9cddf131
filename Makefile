# trawl: one flat Makefile. `make deps` installs what the build needs;
# `make demo`, `make check`, `make bench`, `make fuzz`, `make install`.
# V=1 shows the commands; SAN=address (ASan+UBSan) or SAN=thread builds
# instrumented binaries in their own folder.
# SPDX-License-Identifier: GPL-3.0-or-later

PREFIX   ?= /usr/local
CC       ?= cc
CXX      ?= c++
OPT      ?= -O2 -g
SAN      ?=

# pkg-config modules and the Debian packages that provide them.
PKGS      := gmime-3.0 libarchive xapian-core libmagic libxml-2.0 glib-2.0 libpff libbfio poppler-glib libhs
TEST_PKGS := criterion
DEB_PKGS  := pkg-config libgmime-3.0-dev libarchive-dev libxapian-dev libmagic-dev \
             libxml2-dev libglib2.0-dev libcriterion-dev libpff-dev libbfio-dev libphonenumber-dev libicu-dev \
             libpoppler-glib-dev libvectorscan-dev
# Checked by file rather than pkg-config (no .pc file shipped by Debian).
DEB_FILES := /usr/include/phonenumbers/phonenumberutil.h
# libphonenumber and its geocoder (area codes), which uses ICU for locales.
EXTRA_LIBS := -lgeocoding -lphonenumber -licuuc

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

LIB_OBJ  := $(LIB_C:%.c=$(B)/%.o) $(LIB_CXX:%.cc=$(B)/%.o)
CLI_OBJ  := $(CLI_C:%.c=$(B)/%.o)
TEST_OBJ := $(TEST_C:%.c=$(B)/%.o)

.PHONY: all deps deps-test demo check bench fuzz install clean

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

$(B)/libtrawl.a: $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/trawl: $(CLI_OBJ) $(B)/libtrawl.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(B)/libtrawl.a $(PKG_LIBS) $(EXTRA_LIBS)

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
check: deps-test $(B)/trawl $(B)/trawl-tests
	TRAWL_BIN=$(abspath $(B)/trawl) TRAWL_SRC=$(CURDIR) $(B)/trawl-tests $(CHECK_ARGS)

# Speed on a generated mail store (bench/README.md): BENCH_SIZE=50M for a short
# run, BENCH_FLAT=1 for the peak-RSS flatness check on a 2G mbox.
bench: $(B)/trawl
	bench/run.sh $(B)/trawl

# The installed binary reads its rules from $(PREFIX)/share/trawl/rules:
# build it in its own folder with that path compiled in.
install:
	$(MAKE) B=build-install RULES_DIR=$(PREFIX)/share/trawl/rules build-install/trawl
	install -D -m 0755 build-install/trawl $(DESTDIR)$(PREFIX)/bin/trawl
	install -D -m 0644 trawl.1 $(DESTDIR)$(PREFIX)/share/man/man1/trawl.1
	mkdir -p $(DESTDIR)$(PREFIX)/share/trawl
	cp -R rules $(DESTDIR)$(PREFIX)/share/trawl/

clean:
	rm -rf build build-address build-thread build-install

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
