# Two commands on a fresh Debian 12 machine with the Swift toolchain: `make run` and `make test`.
export DARKROOM_HOME ?= $(CURDIR)/.darkroom
SAMPLE ?= samples/chelsea.png

.PHONY: setup build run test bench clean

setup:
	@scripts/setup

build: setup
	swift build -c release --product darkroom

# Until the HTTP server lands, the main job is a cut-out of a sample photo into out/.
run: build
	.build/release/darkroom cutout $(SAMPLE) --output out

test: setup
	swift test

bench: build
	.build/release/darkroom bench segment $(wildcard ../shared/samples/*.jpg ../shared/samples/*.png)
	.build/release/darkroom bench refine

clean:
	rm -rf .build out
