# Two commands on a fresh Debian 12 machine with the Swift toolchain: `make run` and `make test`.
export DARKROOM_HOME ?= $(CURDIR)/.darkroom

.PHONY: setup build run test bench bench-http clean

setup:
	@scripts/setup

build: setup
	swift build -c release --product darkroom

# Serves the API on http://127.0.0.1:8080 (DARKROOM_HOST / DARKROOM_PORT to change).
run: build
	.build/release/darkroom serve

test: setup
	swift test

bench: build
	.build/release/darkroom bench segment $(wildcard ../shared/samples/*.jpg ../shared/samples/*.png)
	.build/release/darkroom bench refine

bench-http: build
	scripts/bench-http

clean:
	rm -rf .build out
