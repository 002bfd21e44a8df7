# mailorder: e-mail order intake.  One non-recursive Makefile; see README.md.
#
#   make            build build/mailorder
#   make deps       install the Debian packages that are missing (needs root)
#   make test       deps, then every unit and integration test, plain and
#                   under AddressSanitizer + UBSan (make check: the same
#                   without deps)
#   make demo       deps, build, then a loopback Dovecot with samples/ polled
#   make bench      deps and swaks, then intake throughput and memory
#                   against a raw IMAP fetch, document rendering against
#                   groff, the outbox against swaks and the bare server,
#                   the acknowledgment's latency under mailorder run
#   make accuracy   the generic reader's fields and lines right, per kind of
#                   generated document (issue 16)
#   make install    the binary, its manual, rules/, templates/ and the
#                   systemd unit under PREFIX (/usr/local), DESTDIR honoured
#   make SANITIZE=1 ... builds into build-san/ with ASan + UBSan

.DEFAULT_GOAL := all
SHELL := /bin/bash

# ---------------------------------------------------------------- packages
# Build, test and demo needs, by Debian package name.  Kept in one place:
# make deps installs exactly these (only the missing ones).
# libsasl2-modules: libetpan's SMTP AUTH goes through Cyrus SASL, whose
# PLAIN and LOGIN are there (libsasl2-2 only recommends it).
DEB_BUILD := gcc libc6-dev make pkg-config \
	libglib2.0-dev libetpan-dev libgnutls28-dev libsqlite3-dev libmagic-dev \
	libpoppler-glib-dev libhpdf-dev libyaml-dev fonts-dejavu-core ca-certificates \
	libtesseract-dev libleptonica-dev tesseract-ocr-fra tesseract-ocr-eng libsasl2-modules
DEB_TEST  := dovecot-imapd dovecot-core openssl curl perl jq sqlite3 python3 python3-aiosmtpd \
	poppler-utils procps tesseract-ocr
DEB_ALL   := $(DEB_BUILD) $(DEB_TEST)
# make bench only: swaks, the outbox's reference (one process a mail).
DEB_BENCH := swaks

# ---------------------------------------------------------------- flags
ifeq ($(SANITIZE),1)
BUILD   ?= build-san
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
HARDEN  := -fstack-protector-strong
LDSAN   := -fsanitize=address,undefined
else
BUILD   ?= build
OPT     := -O2 -g
HARDEN  := -fstack-protector-strong -D_FORTIFY_SOURCE=2
LDSAN   :=
endif

PKGS    := glib-2.0 gio-2.0 libetpan gnutls sqlite3 libmagic poppler-glib yaml-0.1 lept
# Tesseract: its header only; ocr.c loads the library at the first scan.
PKGS_HEADERS := tesseract
# Recursive (=) on purpose: pkg-config runs when a recipe needs it, so that
# "make deps all" works on a machine where pkg-config is not installed yet.
# libetpan's .pc forces a no-PIE specs file on us: dropped.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(PKGS_HEADERS) 2>/dev/null)
PKG_LIBS   = $(filter-out -specs=%,$(shell pkg-config --libs $(PKGS) 2>/dev/null))

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wwrite-strings -Wvla -fno-common
CFLAGS  ?=
# Hidden: none of our functions is exported for a library to call in
# place of its own (libarchive, under Tesseract, has an archive_free too).
CFLAGS_ALL = -std=c17 -D_GNU_SOURCE $(OPT) $(WARN) $(HARDEN) -fvisibility=hidden -MMD -MP \
	-Isrc $(PKG_CFLAGS) $(CFLAGS)
LDLIBS_ALL = $(LDSAN) $(PKG_LIBS) -lhpdf -lm $(LDFLAGS)

# The rules shipped with mailorder (rules/), used after the site's own
# (rules/ beside the config).  The build here reads them in the source
# tree; make install builds a copy of its own that reads them where it
# puts them (DATADIR below).
RULES_DIR ?= $(CURDIR)/rules
# The same for the documents' templates (templates/).
TEMPLATES_DIR ?= $(CURDIR)/templates

# ---------------------------------------------------------------- install
# make install [PREFIX=/usr/local] [DESTDIR=...]: the binary, its manual,
# rules/ and templates/ under DATADIR, the systemd unit.  Built apart, in
# INSTALL_BUILD, with the folders of PREFIX compiled in (never those of
# the source tree, nor DESTDIR's: it is only where the files are staged).
# Needs no root when DESTDIR (or a PREFIX of one's own) is writable.
PREFIX        ?= /usr/local
BINDIR        ?= $(PREFIX)/bin
DATADIR       ?= $(PREFIX)/share/mailorder
MANDIR        ?= $(PREFIX)/share/man
# /usr/lib/systemd/system is Debian's place for a packaged unit; a unit of
# /usr/local goes there too (systemd reads /usr/local/lib/systemd/system).
UNITDIR       ?= $(PREFIX)/lib/systemd/system
INSTALL_BUILD ?= $(BUILD)-install
INSTALL       ?= install

# ---------------------------------------------------------------- sources
# One folder per part (README, "The source tree"); objects mirror it.
SRCS     := $(wildcard src/*/*.c)
OBJS     := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRCS))

# Unit tests: tests/unit/test_X.c, each linked with only the modules it
# tests and their support (UNIT_X below).
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
UNIT_SUPPORT := lib/log lib/fsutil lib/error lib/text
UNIT_money    := lib/money
UNIT_validate := lib/validate
UNIT_csv      := lib/csv
UNIT_naming   := store/naming
UNIT_config   := lib/config lib/validate lib/money
UNIT_mime     := mail/mime lib/b64
UNIT_b64      := lib/b64
UNIT_filetype := reading/filetype
UNIT_jsonw    := lib/jsonw
UNIT_imap     := mail/imap mail/tls lib/config lib/validate lib/money
UNIT_pdf      := reading/pdf reading/page lib/crashpoint
UNIT_dates    := lib/dates
UNIT_rules    := reading/rules
UNIT_reader   := reading/reader reading/rows reading/rules reading/pdf reading/page reading/ocr lib/crashpoint lib/dates lib/guard
UNIT_match    := orders/match store/model
UNIT_order    := orders/order store/model lib/money
UNIT_confidence := orders/confidence orders/order store/model lib/money
UNIT_numbering := orders/numbering store/db
UNIT_products := orders/products store/db_catalog store/db store/model lib/money lib/validate store/naming
UNIT_page     := reading/page
UNIT_ocr      := reading/ocr reading/page lib/crashpoint lib/guard
UNIT_party    := reading/party
UNIT_text     := lib/text
UNIT_guard    := lib/guard
UNIT_terms    := orders/terms
UNIT_customer_fields := orders/customer_fields orders/terms lib/validate lib/money store/naming store/model
UNIT_ledger   := orders/ledger lib/config lib/validate lib/money store/model
UNIT_render   := documents/render documents/template documents/fontsubset documents/image lib/money
unit_objs = $(patsubst %,$(BUILD)/obj/%.o,$(sort $(UNIT_SUPPORT) $(UNIT_$(1))))

# Test and bench tools (tests/tools/*.c): standalone programs.
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOL_BINS := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRCS))

# ---------------------------------------------------------------- build
.PHONY: all deps test check unit integration demo demo-reset bench bench-deps clean tools units fuzz readme \
	install accuracy

all: $(BUILD)/mailorder $(BUILD)/mailorder.1

$(BUILD)/mailorder: $(OBJS)
	$(CC) -o $@ $^ $(LDLIBS_ALL)

# The manual, from the same texts as the help (mailorder help --man).
$(BUILD)/mailorder.1: $(BUILD)/mailorder
	ASAN_OPTIONS=detect_leaks=0 $(BUILD)/mailorder help --man >$@.tmp && mv $@.tmp $@

# README.md's reference (between its two markers), made again from the
# help's texts; a test fails when it differs from what they say.
readme: $(BUILD)/mailorder
	ASAN_OPTIONS=detect_leaks=0 $(BUILD)/mailorder help --markdown >$(BUILD)/reference.md
	awk -v ref=$(BUILD)/reference.md \
	  '/^<!-- référence : début/ { print; while ((getline l < ref) > 0) print l; skip = 1; next } \
	   /^<!-- référence : fin/ { skip = 0 } !skip' README.md >README.md.tmp && mv README.md.tmp README.md

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<
$(BUILD)/obj/reading/rules.o: CFLAGS_ALL += -DMO_RULES_SHIPPED_DIR='"$(RULES_DIR)"' 
$(BUILD)/obj/orders/filing.o: CFLAGS_ALL += -DMO_TEMPLATES_SHIPPED_DIR='"$(TEMPLATES_DIR)"'
$(BUILD)/obj/orders/mailing.o: CFLAGS_ALL += -DMO_TEMPLATES_SHIPPED_DIR='"$(TEMPLATES_DIR)"'
# Those objects are made again when the folders they name change (make
# sees files, not flags): a stamp holding them, rewritten only then.
$(BUILD)/obj/reading/rules.o $(BUILD)/obj/orders/filing.o $(BUILD)/obj/orders/mailing.o: \
	$(BUILD)/shipped-dirs
$(BUILD)/shipped-dirs: FORCE
	@mkdir -p $(@D)
	@echo '$(RULES_DIR) $(TEMPLATES_DIR)' | cmp -s - $@ || echo '$(RULES_DIR) $(TEMPLATES_DIR)' >$@
.PHONY: FORCE
FORCE:


$(BUILD)/tests/test_%.o: tests/unit/test_%.c | $(BUILD)/tests
	$(CC) $(CFLAGS_ALL) -Itests/unit -c -o $@ $<

$(BUILD)/tests/tap.o: tests/unit/tap.c | $(BUILD)/tests
	$(CC) $(CFLAGS_ALL) -Itests/unit -c -o $@ $<

.SECONDEXPANSION:
$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(BUILD)/tests/tap.o $$(call unit_objs,$$*)
	$(CC) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tools/%: tests/tools/%.c | $(BUILD)/tools
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LDLIBS_ALL)

$(BUILD)/tests $(BUILD)/tools:
	mkdir -p $@

units: $(UNIT_BINS)
tools: $(TOOL_BINS)

# The renderer's benchmark (tests/bench/render_bench.c), linked as the
# renderer's unit test is; make bench runs it.
$(BUILD)/bench/render_bench.o: tests/bench/render_bench.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/bench/render_bench: $(BUILD)/bench/render_bench.o $(call unit_objs,render)
	$(CC) -o $@ $^ $(LDLIBS_ALL)

-include $(wildcard $(BUILD)/obj/*/*.d $(BUILD)/tests/*.d $(BUILD)/tools/*.d $(BUILD)/bench/*.d)

# ---------------------------------------------------------------- install
install:
	$(MAKE) BUILD=$(INSTALL_BUILD) RULES_DIR=$(DATADIR)/rules TEMPLATES_DIR=$(DATADIR)/templates \
	  $(INSTALL_BUILD)/mailorder $(INSTALL_BUILD)/mailorder.1
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR) \
	  $(DESTDIR)$(UNITDIR)
	$(INSTALL) -m 755 $(INSTALL_BUILD)/mailorder $(DESTDIR)$(BINDIR)/mailorder
	$(INSTALL) -m 644 $(INSTALL_BUILD)/mailorder.1 $(DESTDIR)$(MANDIR)/man1/mailorder.1
	@# rules/ and templates/ as they are, folders included (templates/mails/)
	cd $(CURDIR) && find rules templates -type d -exec $(INSTALL) -d '$(DESTDIR)$(DATADIR)/{}' ';' \
	  && find rules templates -type f -exec $(INSTALL) -m 644 '{}' '$(DESTDIR)$(DATADIR)/{}' ';'
	sed 's|@BINDIR@|$(BINDIR)|g' src/mailorder.service.in >$(DESTDIR)$(UNITDIR)/mailorder.service.tmp
	chmod 644 $(DESTDIR)$(UNITDIR)/mailorder.service.tmp
	mv $(DESTDIR)$(UNITDIR)/mailorder.service.tmp $(DESTDIR)$(UNITDIR)/mailorder.service

# ---------------------------------------------------------------- set-up
# Installs only what is missing, so that it is a no-op (and needs no root)
# on a machine that has everything.  Another apt at work (a fresh VM's
# daily upgrade) is waited for, APT_LOCK_WAIT seconds at most, then said
# (apt's output is read in the C locale: its words are matched).
# $(call install_missing,TARGET,PACKAGES): the recipe that installs the
# packages not installed yet (one apt run), or says none is missing.
APT_GET        ?= apt-get
APT_LOCK_WAIT  ?= 600
APT_LOCK_RETRY ?= 10
define install_missing
	@missing=$$(for p in $(2); do \
	    dpkg-query -W -f='$${Status}\n' "$$p" 2>/dev/null | grep -q '^install ok installed' \
	      || echo "$$p"; done); \
	if [ -z "$$missing" ]; then echo "$(1) : tous les paquets sont là"; exit 0; fi; \
	echo "$(1) : installation de" $$missing; \
	if [ "$$(id -u)" != 0 ]; then echo "$(1) : à lancer en root (ou : sudo make $(1))" >&2; exit 1; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	start=$$(date +%s); \
	while :; do \
	  out=$$(LC_ALL=C.UTF-8 $(APT_GET) -o DPkg::Lock::Timeout=$(APT_LOCK_WAIT) update -q 2>&1); rc=$$?; \
	  printf '%s\n' "$$out"; \
	  [ $$rc = 0 ] && break; \
	  case "$$out" in *"Could not get lock"*|*"Unable to lock"*|*"dpkg frontend lock"*) ;; \
	    *) echo "$(1) : apt-get update a échoué (voir ci-dessus)" >&2; exit 1 ;; esac; \
	  waited=$$(( $$(date +%s) - start )); \
	  if [ $$waited -ge $(APT_LOCK_WAIT) ]; then \
	    echo "$(1) : apt est occupé depuis $$waited s par un autre programme (une installation, la mise à jour quotidienne) : relancez make $(1) quand il aura fini" >&2; \
	    exit 1; fi; \
	  echo "$(1) : apt est occupé par un autre programme : nouvel essai dans $(APT_LOCK_RETRY) s"; \
	  sleep $(APT_LOCK_RETRY); \
	done; \
	$(APT_GET) -o DPkg::Lock::Timeout=$(APT_LOCK_WAIT) install -y -q --no-install-recommends $$missing
endef

deps:
	$(call install_missing,deps,$(DEB_ALL))

# ---------------------------------------------------------------- tests
# make test: the README's test command.  Unit tests and the integration
# suite run twice: the plain build, then the ASan + UBSan build.
test: deps
	$(MAKE) check

check:
	$(MAKE) all units tools
	$(MAKE) SANITIZE=1 all units tools
	tests/run.sh build
	tests/run.sh build-san

unit: all units tools
	tests/run.sh --unit-only $(BUILD)

integration: all units tools
	tests/run.sh --integration-only $(BUILD)

# ---------------------------------------------------------------- demo, bench
demo: deps
	$(MAKE) all tools
	tests/demo.sh

# the demo's database and archive, gone: the next make demo starts afresh
demo-reset:
	rm -rf $(BUILD)/demo

bench: bench-deps
	$(MAKE) all tools $(BUILD)/bench/render_bench
	tests/bench/bench.sh

# make accuracy: the generic reader on generated documents of layouts no
# rule describes, kind by kind (tests/accuracy/run.sh says the knobs)
accuracy: deps
	$(MAKE) all tools
	tests/accuracy/run.sh

# What make test needs, and swaks; only the missing ones.
bench-deps:
	$(call install_missing,bench-deps,$(DEB_ALL) $(DEB_BENCH))

# ---------------------------------------------------------------- fuzzing
# make fuzz: coverage-guided fuzzing (clang's libFuzzer, under ASan + UBSan)
# of the readers of outside input: tests/fuzz/fuzz_mime.c (mime_parse and
# the part decoders), fuzz_csv.c (the CSV reader, fed in pieces, and
# csv_append_field read back), fuzz_config.c (config_load).  Not part of
# make test.  Each target runs FUZZ_SECONDS on build-fuzz/corpus/NAME/,
# seeded from tests/fuzz/seeds/NAME/; a crash, leak, timeout or GLib
# critical fails the run and its input is left in build-fuzz/artifacts/,
# and so does an input of tests/fuzz/repro/ that still fails (a bug not
# fixed yet).  FUZZ_TARGETS picks some of the targets; FUZZ_TIMEOUT is the
# seconds one input may take.
# libFuzzer's runtime (libclang_rt.fuzzer*.a) is in libclang-rt-14-dev,
# which clang-14 only recommends; libfuzzer-14-dev (a libFuzzer.a for other
# compilers) is not needed.  llvm-14 brings llvm-symbolizer for the traces.
DEB_FUZZ := clang-14 libclang-rt-14-dev llvm-14
FUZZ_CC      ?= clang-14
FUZZ_DIR     := build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= mime csv config
FUZZ_mime    := mail/mime lib/b64
FUZZ_csv     := lib/csv
FUZZ_config  := lib/config lib/validate lib/money
FUZZ_MAXLEN_mime   := 1048576
# csv: 64 KiB and a little, so that a field just over CSV_MAX_FIELD fits.
FUZZ_MAXLEN_csv    := 65600
FUZZ_MAXLEN_config := 65536
# No _FORTIFY_SOURCE: ASan checks the same calls, better.
FUZZ_CFLAGS   = -std=c17 -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	$(WARN) -MMD -MP -Isrc $(PKG_CFLAGS)
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# PKG_LIBS names every library of the program: keep only those used.
FUZZ_LDLIBS   = -Wl,--as-needed $(PKG_LIBS) -lm
fuzz_objs = $(patsubst %,$(FUZZ_DIR)/obj/%.o,$(sort $(UNIT_SUPPORT) $(FUZZ_$(1))))

.PHONY: fuzz-deps fuzz-build fuzz-clean
# Kept between runs (make would delete them as intermediate files).
.PRECIOUS: $(FUZZ_DIR)/obj/%.o $(FUZZ_DIR)/harness/%.o

fuzz: fuzz-deps
	$(MAKE) fuzz-build
	tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) \
	    $(foreach t,$(FUZZ_TARGETS),$(t):$(FUZZ_MAXLEN_$(t)))

fuzz-build: $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_TARGETS))

# The build packages and clang with libFuzzer, only the missing ones.
fuzz-deps:
	$(call install_missing,fuzz-deps,$(DEB_BUILD) $(DEB_FUZZ))

$(FUZZ_DIR)/obj/%.o: src/%.c | $(FUZZ_DIR)/harness
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_DIR)/harness/%.o: tests/fuzz/%.c | $(FUZZ_DIR)/harness
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/harness/fuzz_%.o $$(call fuzz_objs,$$*)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^ $(FUZZ_LDLIBS)

# The folder ignores itself, so that git status stays clean.
$(FUZZ_DIR)/obj $(FUZZ_DIR)/harness:
	mkdir -p $@
	echo '*' >$(FUZZ_DIR)/.gitignore

fuzz-clean:
	rm -rf $(FUZZ_DIR)

-include $(wildcard $(FUZZ_DIR)/obj/*/*.d $(FUZZ_DIR)/harness/*.d)

clean:
	rm -rf build build-san build-install build-san-install
