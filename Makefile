# netscope: build, run, test, bench, install. Works as root on a fresh Debian 12 with only
# the Swift toolchain: `deps` installs the system packages when they are missing.
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
CLANG ?= clang
SYSTEM_PACKAGES = libmnl-dev pkg-config zlib1g-dev iproute2 ethtool python3 procps tmux jq mandoc prometheus python3-prometheus-client
# Pinned so regenerating the pages changes them only when the CLI changes.
MAN_DATE = November 25, 2026
BIN_DIR = $(shell $(SWIFT) build --show-bin-path)
# Static Swift runtime: halves process start-up (no dynamic loading of libswiftCore & co.).
# A position-independent executable, like every binary Debian ships: netscope runs as root
# and `serve` listens on the network, so its own image is address-randomised too. It
# exports no symbols (--no-export-dynamic): dladdr() at runtime start-up then does not scan
# 16,600 of them. Its 55,600 relative relocations (witness tables, metadata pointers) are
# packed (-z pack-relative-relocs, DT_RELR: glibc 2.36, Debian 12): the loader reads 11 KB
# instead of a 1.3 MB table; `--version` went from 1.41x to 1.18x `ip -V` (medians of 500
# runs each, hyperfine). (A fixed-address link would skip them all; that trade of hardening
# for speed is not made.)
#
# libstdc++ and libgcc are linked in too: loading libstdc++.so (mapping it and resolving its
# symbol relocations) was a fifth of start-up (`--version` 2.20 to 1.79 ms, `links` on 1,001
# links 5.65 to 5.37 ms). The Swift driver passes a bare -lstdc++, so the static archive is
# offered from a search directory of its own (static-cxx), which ld reaches first.
#
# Every module (swift-argument-parser's too) names the generic types it needs by calling their
# metadata accessors, not by a mangled name the runtime demangles at first use
# (-disable-concrete-type-metadata-mangled-name-accessors): those first uses were 6% of a
# `links` run's samples, the set of an argument's names alone 1.4%. The binary grows by 0.4%;
# `routes --table 100` 2.70 to 2.47 ms, `path` 3.49 to 3.17 ms, `links` 6.94 to 6.84 ms.
#
# Laid out in the order of linker/order.txt (see linker/profile.py): every function and global
# in a section of its own (-function-sections), linked by ld.lld in the order the traced
# commands use them, so what a command runs sits together. The kernel maps code 64 KiB around
# each page first touched; scattered, `path` took 283 page faults and 9.8 MB, laid out 190 and
# 6.6 MB, and `sockets -tan` at 100k sockets peaks at 7.0 MB instead of 10.5 MB. The linker is
# called through .build/ld-as-needed, which adds --as-needed in front of the libraries: the
# -lz that swift-nio-extras asks for is then not loaded (its zlib is compiled in), one shared
# library fewer to map and relocate at every start.
STATIC_CXX = $(CURDIR)/.build/static-cxx
LD_WRAPPER = $(CURDIR)/.build/ld-as-needed
RELEASE_FLAGS = -c release --static-swift-stdlib --disable-local-rpath -Xlinker --no-export-dynamic -Xlinker -z -Xlinker pack-relative-relocs \
	-Xswiftc -Xclang-linker -Xswiftc -static-libgcc -Xlinker -L$(STATIC_CXX) \
	-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors \
	-Xswiftc -Xfrontend -Xswiftc -function-sections -Xswiftc -ld-path=$(LD_WRAPPER) \
	-Xlinker --symbol-ordering-file=$(CURDIR)/linker/order.txt -Xlinker --no-warn-symbol-ordering
RELEASE_BIN_DIR = $(shell $(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)

.PHONY: all deps build release static-cxx ld-wrapper link-order run test test-unprivileged bench soak deb deb-check fuzz fuzz-build fuzz-smoke install uninstall man completions clean

all: build

deps:
	@if ! pkg-config --exists libmnl 2>/dev/null || ! pkg-config --exists zlib 2>/dev/null || ! command -v ip >/dev/null 2>&1 || ! command -v ethtool >/dev/null 2>&1 \
		|| ! command -v python3 >/dev/null 2>&1 || ! command -v sysctl >/dev/null 2>&1 \
		|| ! command -v tmux >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1 || ! command -v mandoc >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1 \
		|| ! /usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1; then \
		echo "installing $(SYSTEM_PACKAGES)"; \
		SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q $(SYSTEM_PACKAGES); \
	fi

build: deps
	$(SWIFT) build

# ld.lld writes its output through mmap, which leaves the file in the page cache as single
# pages; the kernel's fault-around then maps less per fault than for a file written with
# write(), as `make install` and dpkg write it (`path`: 190 page faults instead of 175, 7–9% of
# its time). The binary is rewritten once so what `make bench` measures is what an install runs.
# SwiftPM does not know the order file is an input of the link: a newer one removes the binary.
# One shell line, so the bin path (a `swift build --show-bin-path` of its own) is asked once.
release: deps static-cxx ld-wrapper
	@bin="$(RELEASE_BIN_DIR)/netscope"; \
	if [ -e "$$bin" ] && [ linker/order.txt -nt "$$bin" ]; then rm -f "$$bin"; fi; \
	echo "$(SWIFT) build $(RELEASE_FLAGS)" && $(SWIFT) build $(RELEASE_FLAGS) && \
	cp "$$bin" "$$bin.tmp" && mv "$$bin.tmp" "$$bin"

# The toolchain's ld.lld (clang finds it beside itself), with --as-needed first (see RELEASE_FLAGS).
ld-wrapper:
	@mkdir -p $(dir $(LD_WRAPPER))
	@lld="$$($(CLANG) -print-prog-name=ld.lld)"; \
	printf '#!/bin/sh\nexec "%s" --as-needed "$$@"\n' "$$lld" > $(LD_WRAPPER).tmp && chmod +x $(LD_WRAPPER).tmp && mv $(LD_WRAPPER).tmp $(LD_WRAPPER)

# Trace the commands of linker/profile.py under valgrind and write linker/order.txt, the layout
# of the release binary. Root; run it again when a command's code changes a lot.
link-order: release
	python3 linker/profile.py --bin $(RELEASE_BIN_DIR)/netscope --out linker/order.txt

# The directory that holds only libstdc++.a (see RELEASE_FLAGS). Without the archive the
# link falls back to libstdc++.so, with a warning.
static-cxx:
	@mkdir -p $(STATIC_CXX)
	@archive="$$($(CLANG) -print-file-name=libstdc++.a 2>/dev/null)"; \
	if [ -f "$$archive" ]; then ln -sf "$$archive" $(STATIC_CXX)/libstdc++.a; \
	else rm -f $(STATIC_CXX)/libstdc++.a; echo "warning: no libstdc++.a, libstdc++ stays a shared library" >&2; fi

# The main job: one screen about the whole stack.
run: build
	$(BIN_DIR)/netscope overview

# Unit, fixture and live tests (live tests need root, python3, sysctl from procps, tmux, ethtool,
# prometheus/promtool and Debian's python3-prometheus-client;
# under CI=true they never skip).
test: build
	$(SWIFT) build --build-tests
	NETSCOPE_BIN=$(BIN_DIR)/netscope $(SWIFT) test

# The suite again as nobody (no capabilities, no root-owned files): everything that needs
# no privileges must pass, and the live tests skip, each with its reason. Needs a checkout
# and build nobody can read.
test-unprivileged: build
	$(SWIFT) build --build-tests
	cd / && setpriv --reuid=nobody --regid=nogroup --clear-groups env -u CI HOME=/tmp NETSCOPE_BIN=$(BIN_DIR)/netscope \
		$(BIN_DIR)/netscopePackageTests.xctest --testing-library swift-testing

bench: release
	@command -v prometheus-node-exporter >/dev/null 2>&1 || apt-get install -y -q prometheus-node-exporter
	@command -v netstat >/dev/null 2>&1 || apt-get install -y -q net-tools
	python3 bench/run.py --bin $(RELEASE_BIN_DIR)/netscope --out BENCHMARKS.md

# Hours of serve and watch under churn, compressed: serve scraped SOAK_RATE times a second for
# SOAK_MINUTES while a namespace churns routes, links, connections and namespaces; RSS and open
# fds every minute; fails if either grows by more than 10% after the first five minutes or a
# scrape fails. Not in CI's run (30 minutes); the table goes into BENCHMARKS.md.
SOAK_MINUTES ?= 30
SOAK_RATE ?= 10
soak: release
	python3 bench/soak.py --bin $(RELEASE_BIN_DIR)/netscope --minutes $(SOAK_MINUTES) --rate $(SOAK_RATE) --out BENCHMARKS.md

# The Debian package (dpkg-deb, from the static-runtime release binary): .build/deb/netscope_VERSION_ARCH.deb.
# `deb-check` installs it here, checks it as an operator would (lintian errors fail) and
# removes it again; CI runs it.
deb: release
	@command -v dpkg-shlibdeps >/dev/null 2>&1 || apt-get install -y -q dpkg-dev
	packaging/build-deb.sh $(RELEASE_BIN_DIR)/netscope .build/deb

deb-check: deb
	@command -v lintian >/dev/null 2>&1 || apt-get install -y -q lintian
	@command -v man >/dev/null 2>&1 || apt-get install -y -q man-db
	packaging/check-deb.sh .build/deb/netscope_$$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' Sources/BuildInfo/BuildInfo.swift)_$$(dpkg --print-architecture).deb

# libFuzzer with AddressSanitizer (Fuzz/), seeded from the committed fixtures: one target per
# parser of untrusted bytes (Fuzz/Sources/fuzz-netscope/Fuzz.swift), each run for
# FUZZ_SECONDS, FUZZ_JOBS at a time; crashes land in Fuzz/crashes/. `make fuzz-smoke` is the
# short run CI does.
FUZZ_TARGETS = attr link addr route rule neigh tc ntable ethtool inet tcpinfo unix packet \
	snmp snmp6 sockstat dev softnet stattable procsockets namespaces filter json http
FUZZ_SECONDS ?= 600
FUZZ_JOBS ?= $(shell nproc)
# swiftc honours only the last of several -sanitize= flags, and SwiftPM passes --sanitize
# values as separate flags in no fixed order: Swift code came out with coverage but no ASan,
# or ASan but no coverage. The combined flag goes last; clang (C targets such as NIO's HTTP
# parser) adds up its -fsanitize flags, so --sanitize stays for those. The check after the
# build fails loudly if a Swift object lacks either instrumentation.
fuzz-build: deps
	cd Fuzz && $(SWIFT) build -c debug --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address
	@for o in Fuzz/.build/debug/Netlink.build/Attributes.swift.o Fuzz/.build/debug/SockDiag.build/Filter.swift.o; do \
		readelf -S -W $$o | grep -q __sancov_cntrs || { echo "fuzz-build: $$o has no coverage instrumentation" >&2; exit 1; }; \
		nm $$o | grep -q __asan_ || { echo "fuzz-build: $$o has no AddressSanitizer instrumentation" >&2; exit 1; }; \
	done
	rm -rf Fuzz/.build/seeds && python3 Fuzz/seeds.py Fuzz/.build/seeds >/dev/null

fuzz: fuzz-build
	@rm -f Fuzz/.build/results/*
	@printf '%s\n' $(FUZZ_TARGETS) | xargs -P $(FUZZ_JOBS) -n 1 Fuzz/run.sh $(FUZZ_SECONDS) >/dev/null; \
		status=$$?; echo "fuzzing, $(FUZZ_SECONDS) s per target:"; \
		for t in $(FUZZ_TARGETS); do cat Fuzz/.build/results/$$t 2>/dev/null || echo "$$t: did not run"; done; \
		exit $$status

# Proves the harness: every target builds, loads its seeds and runs, both CPUs busy. Finding
# bugs is `make fuzz`'s work (ten minutes a target), not CI's.
fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=3

man: build
	rm -f Man/*.1
	$(SWIFT) package --allow-writing-to-package-directory generate-manual --multi-page -o Man
	sed -i 's/^\.Dd .*/.Dd $(MAN_DATE)/' Man/*.1
	# ENVIRONMENT and the real EXIT STATUS (0, 1, 64) instead of the generated ".Ex -std".
	sed -i -e '/^\.Sh "EXIT STATUS"$$/d' -e '/^\.Ex -std$$/{r Man/status.mdoc' -e 'd}' Man/*.1
	# The page's own name (netscope.top) beside "netscope top" in NAME: man-db's lexgrog cannot
	# index a quoted two-word name alone, so whatis/apropos (and lintian) would miss the page.
	for f in Man/netscope.*.1; do n=$$(basename "$$f" .1); \
		sed -i "0,/^\.Nm \"netscope [^\"]*\"/s//& ,\n.Nm $$n/" "$$f"; done
	# Hand-written EXAMPLES, after the generated sections.
	sed -i -e '$$a\' Man/*.1
	for f in Man/examples/*.mdoc; do cat "$$f" >> "Man/$$(basename "$$f" .mdoc).1"; done

# The completion scripts, and the start-up parser's table (Sources/netscope/Options/
# CommandTable.swift), both generated from ArgumentParser's description of the commands.
completions: build
	$(BIN_DIR)/netscope --experimental-dump-help > .build/dump-help.json
	python3 .ci/command-table.py .build/dump-help.json Sources/netscope Sources/netscope/Options/CommandTable.swift
	$(BIN_DIR)/netscope --generate-completion-script bash > Completions/netscope.bash
	$(BIN_DIR)/netscope --generate-completion-script zsh > Completions/_netscope
	$(BIN_DIR)/netscope --generate-completion-script fish > Completions/netscope.fish

install: release
	install -D -m 0755 $(RELEASE_BIN_DIR)/netscope $(DESTDIR)$(PREFIX)/bin/netscope
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0644 Man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -D -m 0644 Completions/netscope.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/netscope
	install -D -m 0644 Completions/_netscope $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_netscope
	install -D -m 0644 Completions/netscope.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/netscope.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/netscope
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/netscope.1 $(DESTDIR)$(PREFIX)/share/man/man1/netscope.*.1
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/netscope
	rm -f $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_netscope
	rm -f $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/netscope.fish

clean:
	rm -rf .build
