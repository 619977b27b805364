# Postroom — the two quick-start commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= pipeline.json
# Release builds (`make bench`, `make install`) link the Swift runtime and Foundation into the executable:
# 10-12% less CPU on one-message v2 files than with them as shared libraries (PERFORMANCE.md, 2026-12-06 10:15).
RELEASE_FLAGS := --static-swift-stdlib
DEMO ?= demo
# System libraries the build links (Debian/Ubuntu package names).
APT_PACKAGES := libarchive-dev libsqlite3-dev nettle-dev zlib1g-dev libzstd-dev libdeflate-dev libjemalloc-dev pkg-config
# Packages that are tried but not required: `make test` adds headless Chromium for the browser test
# of `postroom serve`'s web page; where it cannot be installed that one test is skipped, saying why.
OPTIONAL_APT_PACKAGES :=
test: OPTIONAL_APT_PACKAGES += chromium systemd
# `make test` needs PostgreSQL's programs (initdb, pg_ctl): the PostgreSQL tests start a throwaway server
# of their own in a temporary folder (docs/POSTGRES.md) and, under `make test`, must not be skipped.
test: APT_PACKAGES += postgresql

.PHONY: run test test-deps build deps bench fhir-tables issue-codes clean-demo serve install fuzz

## Install the system libraries with apt when something is missing (needs root or sudo).
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@missing=""; \
	for p in $(OPTIONAL_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing (optional):$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing ) \
	    || echo "Could not install$$missing: the tests that need it are skipped."; \
	fi

build: deps
	$(SWIFT) build --product postroom

## Copy inbox-sample/ into the demo's inboxes, run `postroom run --once`, print the summary.
## The sample holds rejects on purpose: exit code 65 (some input rejected) counts as success here.
run: build
	@# Oldest first is the rule (mtime, then name): copy in name order, markers last.
	@for ch in inbox-sample/*/; do \
	  name=$$(basename $$ch); mkdir -p $(DEMO)/inbox/$$name; \
	  for f in $$(ls $$ch | grep -v -E '\.(done|ok)$$'); do cp $$ch/$$f $(DEMO)/inbox/$$name/; done; \
	  for f in $$(ls $$ch | grep -E '\.(done|ok)$$'); do cp $$ch/$$f $(DEMO)/inbox/$$name/; done; \
	done
	@echo "Copied inbox-sample/ into $(DEMO)/inbox/; running postroom run --once --config $(CONFIG)"
	@rc=0; $$($(SWIFT) build --show-bin-path)/postroom run --once --config $(CONFIG) --quiet || rc=$$?; \
	if [ $$rc -ne 0 ] && [ $$rc -ne 65 ]; then exit $$rc; fi; \
	echo; echo "Exit code $$rc (0: all accepted, 65: some input rejected, as the sample intends)."

## An independent HL7 v2 parser (python-hl7) that the tests use to read Postroom's ACKs, when pip can get it.
test-deps:
	@python3 -c "import hl7" 2>/dev/null || python3 -m pip install --quiet hl7==0.4.5 2>/dev/null || \
	  echo "python-hl7 not available: the ACK check with an independent parser will be skipped"

## Serve the demo's data: the FHIR API, the web page (/ui, token demo-token) and /metrics on 127.0.0.1:8080.
serve: build
	$$($(SWIFT) build --show-bin-path)/postroom serve --config $(CONFIG)

## Build and run every test (Swift Testing), then the end-to-end suite again with the state in PostgreSQL.
test: deps test-deps
	$(SWIFT) build --build-tests
	POSTROOM_REQUIRE_POSTGRES=1 $(SWIFT) test --skip-build --disable-xctest
	POSTROOM_REQUIRE_POSTGRES=1 POSTROOM_E2E_STORE=postgres $(SWIFT) test --skip-build --disable-xctest --filter PostroomEndToEndTests

## Install the binary and the service files (contrib/): `make install PREFIX=/usr/local CONFIG_PATH=/etc/postroom/pipeline.json
## DATA_DIR=/var/lib/postroom`. DESTDIR stages the files elsewhere; INSTALL_BUILD=debug installs the debug build,
## INSTALL_BIN=<path> an executable already built.
PREFIX ?= /usr/local
CONFIG_PATH ?= /etc/postroom/pipeline.json
DATA_DIR ?= /var/lib/postroom
LOG_DIR ?= /var/log/postroom
INSTALL_BUILD ?= release
INSTALL_BIN ?=
INSTALL_FLAGS = $(if $(filter release,$(INSTALL_BUILD)),$(RELEASE_FLAGS),)
install: deps
	@if [ -z "$(INSTALL_BIN)" ]; then $(SWIFT) build -c $(INSTALL_BUILD) $(INSTALL_FLAGS) --product postroom; fi
	install -D -m 0755 "$${INSTALL_BIN:-$$($(SWIFT) build -c $(INSTALL_BUILD) $(INSTALL_FLAGS) --show-bin-path)/postroom}" "$(DESTDIR)$(PREFIX)/bin/postroom"
	install -D -m 0644 README.md "$(DESTDIR)$(PREFIX)/share/doc/postroom/README.md"
	@for f in systemd/postroom-watch.service systemd/postroom-serve.service systemd/postroom-run.service systemd/postroom-run.timer \
	          cron/postroom logrotate/postroom; do \
	  case $$f in systemd/*) dst="$(DESTDIR)$(PREFIX)/lib/systemd/system/$$(basename $$f)";; \
	              *) dst="$(DESTDIR)$(PREFIX)/share/postroom/$$(dirname $$f)/$$(basename $$f)";; esac; \
	  mkdir -p "$$(dirname $$dst)"; \
	  sed -e 's|@BINDIR@|$(PREFIX)/bin|g' -e 's|@CONFIG@|$(CONFIG_PATH)|g' -e 's|@DATA@|$(DATA_DIR)|g' \
	      -e 's|@LOGDIR@|$(LOG_DIR)|g' -e 's|@DOCDIR@|$(PREFIX)/share/doc/postroom|g' contrib/$$f > "$$dst"; \
	  chmod 0644 "$$dst"; echo "installed $$dst"; \
	done

## Fuzz each parser with libFuzzer (seeded from ../shared/corpus and the kept regressions), FUZZ_SECONDS each
## (default 600): no crash, no input over 1 s, no memory growth past 2 GiB. A finding is written to
## fuzz-out/<target>/ and copied to Tests/PostroomArchiveTests/FuzzRegressions/<target>/ (replayed by make test).
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= hl7v2 fhir cda archive
SHARED ?= ../shared
fuzz: deps
	$(SWIFT) build -c release --product postroom-fuzz --scratch-path .build-fuzz \
	  -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -DFUZZING
	@set -e; bin=$$($(SWIFT) build -c release --scratch-path .build-fuzz --show-bin-path)/postroom-fuzz; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz-out/$$t/corpus fuzz-out/$$t/seeds; \
	  case $$t in hl7v2) src=v2;; fhir) src=fhir;; cda) src=cda;; *) src=;; esac; \
	  if [ -n "$$src" ] && [ -d $(SHARED)/corpus/$$src ]; then cp $(SHARED)/corpus/$$src/* fuzz-out/$$t/seeds/ 2>/dev/null || true; fi; \
	  cp Tests/PostroomArchiveTests/FuzzRegressions/$$t/* fuzz-out/$$t/seeds/ 2>/dev/null || true; \
	  echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  rc=0; POSTROOM_FUZZ_TARGET=$$t $$bin -max_total_time=$(FUZZ_SECONDS) -timeout=1 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=fuzz-out/$$t/ fuzz-out/$$t/corpus fuzz-out/$$t/seeds > fuzz-out/$$t/log.txt 2>&1 || rc=$$?; \
	  tail -n 12 fuzz-out/$$t/log.txt | grep -E "stat::|Done|ERROR|SUMMARY" || true; \
	  for a in fuzz-out/$$t/crash-* fuzz-out/$$t/timeout-* fuzz-out/$$t/oom-* fuzz-out/$$t/leak-*; do \
	    [ -e "$$a" ] && cp "$$a" Tests/PostroomArchiveTests/FuzzRegressions/$$t/ && echo "finding kept: $$a"; done; \
	  if [ $$rc -ne 0 ]; then echo "fuzzer $$t found a problem (exit $$rc): see fuzz-out/$$t/log.txt"; exit $$rc; fi; \
	done

## Regenerate the FHIR R4 validation tables from the official core package (committed; a build needs no download).
FHIR_PACKAGE ?= ../shared/fhir/hl7.fhir.r4.core-4.0.1.tgz
fhir-tables:
	@tmp=$$(mktemp -d); tar xzf $(FHIR_PACKAGE) -C $$tmp && \
	$(SWIFT) run -c release postroom-fhir-gen $$tmp/package Sources/PostroomCore/FHIR/Generated/FHIRR4Spec+Data.swift; \
	rc=$$?; rm -rf $$tmp; exit $$rc

## Regenerate docs/issue-codes.md from the issue-code catalogue (IssueCode.all in Sources/PostroomCore/IssueCodes);
## a test fails while the committed file differs from what the catalogue generates.
issue-codes:
	$(SWIFT) build --product postroom
	@mkdir -p docs; tmp=$$(mktemp); \
	$$($(SWIFT) build --show-bin-path)/postroom explain --markdown > $$tmp && mv $$tmp docs/issue-codes.md && chmod 0644 docs/issue-codes.md \
	  && echo "wrote docs/issue-codes.md"

## Benchmark in a release build: seeded loads through `postroom run --once`, a table and bench-out/bench.json
## (README "Benchmark"). `make bench COMPARE=1` also runs the floor and the Python peer of ../shared/bench
## (GNU make cannot take `make bench --compare`); BENCH_ARGS passes options, e.g. BENCH_ARGS="--scale 0.05 --runs 1".
## `make bench STORE=postgres` (or BENCH_ARGS="--store postgres") runs Postroom on PostgreSQL, one and two nodes,
## on a throwaway server of its own (Debian's postgresql installed when missing).
## `--product` is given once per build: SwiftPM keeps only the last one.
BENCH_ARGS ?=
bench: OPTIONAL_APT_PACKAGES += $(if $(COMPARE),python3-venv,)
bench: APT_PACKAGES += $(if $(filter postgres,$(STORE)),postgresql,)
# The floor of ../shared/bench is built against libcrypto.
bench: APT_PACKAGES += $(if $(COMPARE),libssl-dev,)
bench: deps
	$(SWIFT) build -c release $(RELEASE_FLAGS) --product postroom
	$(SWIFT) build -c release $(RELEASE_FLAGS) --product postroom-bench
	$$($(SWIFT) build -c release $(RELEASE_FLAGS) --show-bin-path)/postroom-bench $(if $(COMPARE),--compare,) $(if $(STORE),--store $(STORE),) $(BENCH_ARGS)

clean-demo:
	rm -rf $(DEMO)
