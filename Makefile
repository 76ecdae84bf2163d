# HIPAA baseline: make targets. `make help` lists them.
#
# Node.js 22 and the AWS CDK CLI are project-local (package.json +
# package-lock.json, installed by `npm ci` into node_modules/ only when missing
# or stale) and put ahead of the machine's Node.js on PATH for every target,
# so jsii runs on a supported Node.js and nothing is installed globally.

SHELL        := /bin/bash
.SHELLFLAGS  := -eu -o pipefail -c
NODE_BIN     := $(CURDIR)/node_modules/.bin
export PATH  := $(NODE_BIN):$(PATH)
# Keep the CDK CLI offline-friendly and quiet: no telemetry, no notices fetch.
export CDK_DISABLE_CLI_TELEMETRY := true
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1

ENV          ?=
CDK          := $(NODE_BIN)/cdk --no-notices
CDK_ENV_ARG  := $(if $(ENV),-c env=$(ENV),)
TOOLCHAIN    := node_modules/.toolchain-installed
GOTEST_FLAGS ?= -timeout 45m

.DEFAULT_GOAL := help

.PHONY: help toolchain synth test lint bench golden diff createonly db-tunnel deploy-local deploy-local-test clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(TOOLCHAIN): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@# node_modules ships Go template files (aws-cdk init templates); a go.mod
	@# makes it a separate module so `go build ./...` skips it.
	@printf 'module ignore/node_modules\n' > node_modules/go.mod
	@touch $@

toolchain: $(TOOLCHAIN) ## Install Node.js 22 and the CDK CLI into node_modules (npm ci)
	@node --version | grep -q '^v22\.' || { echo "expected project-local Node.js 22 on PATH, got $$(node --version)"; exit 1; }

synth: toolchain ## Synthesize every environment (or ENV=name) into cdk.out/ and summarize
	rm -rf cdk.out
	$(CDK) synth --quiet $(CDK_ENV_ARG)
	go run ./internal/tools/synthsummary cdk.out

test: toolchain ## Template assertions, cdk-nag and cfn-lint gates, then deploy-local of dev on moto
	go test $(GOTEST_FLAGS) ./...
	$(MAKE) --no-print-directory deploy-local-test
	$(MAKE) --no-print-directory deploy-local ENV=dev

lint: synth ## gofmt check, go vet, and cfn-lint on cdk.out
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	go vet ./...
	cfn-lint --config-file .cfnlintrc -- cdk.out/*.template.json

golden: toolchain ## Rewrite the golden templates and record new stateful resources (review, then commit)
	go test $(GOTEST_FLAGS) -run 'TestGoldenTemplates|TestStatefulResourcesKeepTheirLogicalIds' ./assertions_test/ -args -update
	@git status --short -- assertions_test/testdata

diff: synth ## Review each stack's change against its golden: CDK's diff (replacements, IAM, security groups)
	scripts/cdk-diff.sh cdk.out assertions_test/testdata/golden
	go run ./internal/tools/replacements cdk.out assertions_test/testdata/golden assertions_test/testdata/stateful-resources.json assertions_test/testdata/acknowledged-replacements.json

createonly: ## Regenerate internal/review/createonly.json from cfn-lint's registry schemas (review, then commit)
	python3 scripts/review/createonly.py

db-tunnel: synth ## Print the commands that open a port-forwarding session to ENV's database (default dev)
	go run ./internal/tools/dbtunnel cdk.out $(or $(ENV),dev)

deploy-local: toolchain ## Deploy, verify, update and destroy ENV (default dev) on a local AWS emulator (moto): no AWS account
	ENV=$(or $(ENV),dev) scripts/deploy-local.sh

deploy-local-test: toolchain ## Tests of deploy-local (adaptation, emulator handlers, checks; a broken template must fail with stack and reason)
	python3 -m unittest discover -s scripts/emulator -t .

bench: toolchain ## Benchmark synthesis of the whole app
	go test -run '^$$' -bench . -benchtime 3x ./assertions_test/

clean: ## Remove cdk.out and the project-local toolchain
	rm -rf cdk.out node_modules
