# Two commands on a fresh Debian 12 machine with the Swift toolchain: `make run` and `make test`.
export DARKROOM_HOME ?= $(CURDIR)/.darkroom

PREFIX ?= /usr/local

.PHONY: setup build run install test fuzz bench bench-http bench-peer eval quantize clean

setup:
	@scripts/setup

build: setup
	swift build -c release --product darkroom

# Serves the API on http://127.0.0.1:8080 (DARKROOM_HOST / DARKROOM_PORT to change).
run: build
	.build/release/darkroom serve

# The binary in PREFIX/bin, the runtime library and models in PREFIX/share/darkroom, where the binary looks
# for them whatever its working directory. State (SQLite) goes to DARKROOM_DATA of the service.
install: build
	install -D -m 755 .build/release/darkroom $(DESTDIR)$(PREFIX)/bin/darkroom
	# The web pages' templates and scripts (SwiftPM resources) go beside the binary, where it looks for them.
	rm -rf $(DESTDIR)$(PREFIX)/bin/Darkroom_Web.resources
	cp -r .build/release/Darkroom_Web.resources $(DESTDIR)$(PREFIX)/bin/
	mkdir -p $(DESTDIR)$(PREFIX)/share/darkroom
	cp -r .build/release/*.resources $(DESTDIR)$(PREFIX)/bin/
	cp -r $(DARKROOM_HOME)/lib $(DARKROOM_HOME)/models $(DESTDIR)$(PREFIX)/share/darkroom/
	install -m 644 CHANGELOG.md $(DESTDIR)$(PREFIX)/share/darkroom/CHANGELOG.md

# The store's tests run on SQLite and on a throw-away PostgreSQL started (and stopped) here. Suites that time a
# refusal or a timeout run after the rest, on their own: beside the CPU-heavy suites, a 2-core machine can hold
# their async tasks back for seconds.
TIMING_SUITES = AdmissionTests|SystemRouteTests|WriteLockTimingTests|SessionExpiryTimingTests
test:
	@scripts/setup --test-tools
	@pg="$$(mktemp -d /tmp/darkroom-pg.XXXXXX)"; \
	trap 'scripts/test-postgres stop "$$pg"' EXIT; \
	url="$$(scripts/test-postgres start "$$pg")"; \
	DARKROOM_TEST_POSTGRES_URL="$$url" swift test --skip "$(TIMING_SUITES)" && \
	DARKROOM_TEST_POSTGRES_URL="$$url" swift test --skip-build --filter "$(TIMING_SUITES)"
	@scripts/browser-tests

# A longer, randomised version of the fuzz suite that make test runs (a new seed each time; printed).
fuzz: setup
	DARKROOM_FUZZ_SEED=$$(od -An -N4 -tu4 /dev/urandom | tr -d ' ') DARKROOM_FUZZ_PER_BASE=600 \
	  swift test --filter FuzzTests

bench: build
	.build/release/darkroom bench segment $(wildcard ../shared/samples/*.jpg ../shared/samples/*.png)
	.build/release/darkroom bench refine
	.build/release/darkroom bench background

bench-http: build
	scripts/bench-http

# Darkroom beside rembg (installed into a throw-away venv) on the same photos, models and concurrency.
bench-peer: build
	scripts/bench-peer

# Cut-out quality on real photos with human-drawn masks (scripts/truthset-real builds the set first).
eval: build
	.build/release/darkroom eval

# The int8 tier (u2net-int8, u2netp-int8), calibrated on photos scripts/truthset-real writes beside the truth set.
quantize:
	scripts/quantize

clean:
	rm -rf .build out
