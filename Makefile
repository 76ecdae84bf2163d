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
# Linters, pinned. staticcheck runs through the Go toolchain at this exact
# version (go run pkg@version: checksum-verified, cached after the first
# build) rather than as a tool directive, which would add staticcheck and its
# dependencies to the requirements of every module that imports this library.
# v0.8.x is the staticcheck series for Go 1.26; v0.8.2 its latest release.
STATICCHECK_VERSION := v0.8.2
STATICCHECK  := go run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
# pyflakes is Debian's python3-pyflakes (no PyPI here), which installs for the
# system interpreter; scripts/lint/ensure-pyflakes.sh installs it, pinned.
PYFLAKES_PYTHON := /usr/bin/python3
# Unit tests: packages whose tests never call aws-cdk-lib, so they need no
# jsii kernel (Node.js) and run in seconds. make unit runs them with a jsii
# runtime that refuses to start: a test there that reaches aws-cdk-lib fails.
# The construct packages' Test functions (resolve, with Go fakes) are unit
# tests too; their Examples synthesize, so -run '^Test' leaves them to make
# assertions, which runs those packages in full.
UNIT_PKGS    := ./internal/... ./stacks/
NO_JSII      := echo "make unit: a test started jsii (called aws-cdk-lib); it belongs in assertions_test" >&2; exit 1

CDK_OUT      ?= cdk.out

.DEFAULT_GOAL := help

.PHONY: help toolchain synth test lint lint-templates unit assertions consumer bench golden diff createonly report cost db-tunnel isolate reconnect deploy-local deploy-local-org deploy-local-test clean

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

# The phases of make test (lint, unit, assertions, consumer,
# deploy-local-test, deploy-local ENV=dev, deploy-local-org), two at a time
# from one queue (scripts/test-phases.sh), each line prefixed with its phase,
# then a table of phase times. make bench runs it with every Go test run.
test: toolchain ## Lint, unit tests, template assertions, cdk-nag and cfn-lint gates, consumer module, deploy-local of dev and the organization on moto
	scripts/test-phases.sh

unit: ## Unit tests that need no jsii: internal/, stacks/ and the constructs' resolve (seconds)
	JSII_RUNTIME='$(NO_JSII)' go test $(GOTEST_FLAGS) $(UNIT_PKGS)
	JSII_RUNTIME='$(NO_JSII)' go test $(GOTEST_FLAGS) -run '^Test' ./constructs/...

assertions: toolchain ## Every other package's tests: template assertions, cdk-nag and cfn-lint gates, goldens
	go test $(GOTEST_FLAGS) $$(comm -23 <(go list ./... | sort) <(go list $(UNIT_PKGS) | sort))

# lint needs no synth and no Node.js: templates are cfn-linted by go test
# (TestCfnLintEveryFixture lints every fixture, the whole app included).
consumer: toolchain ## The consumer module: another team's app importing the constructs by module path, with no cdk.json context
	cd consumer && go test $(GOTEST_FLAGS) ./...

lint: ## gofmt check, go vet, staticcheck, and pyflakes on the Python scripts (no synth)
	@unformatted=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	go vet ./...
	cd consumer && go vet ./...
	$(STATICCHECK) ./...
	@scripts/lint/ensure-pyflakes.sh $(PYFLAKES_PYTHON)
	$(PYFLAKES_PYTHON) -m unittest discover -s scripts/lint
	$(PYFLAKES_PYTHON) scripts/lint/pyflakes_noqa.py scripts

lint-templates: synth ## cfn-lint on cdk.out, as `make synth` wrote it
	cfn-lint --config-file .cfnlintrc -- cdk.out/*.template.json

golden: toolchain ## Rewrite the golden templates and record new stateful resources (review, then commit)
	go test $(GOTEST_FLAGS) -run 'TestGoldenTemplates|TestStatefulResourcesKeepTheirLogicalIds' ./assertions_test/ -args -update
	@git status --short -- assertions_test/testdata

diff: synth ## Review each stack's change against its golden: PHI paths, CDK's diff (replacements, IAM, security groups), replacements of stored data, cost
	go run ./internal/tools/report -compare assertions_test/testdata/golden cdk.out
	scripts/cdk-diff.sh cdk.out assertions_test/testdata/golden
	go run ./internal/tools/replacements cdk.out assertions_test/testdata/golden assertions_test/testdata/stateful-resources.json assertions_test/testdata/acknowledged-replacements.json
	go run ./internal/tools/costreport -base assertions_test/testdata/golden cdk.out

createonly: ## Regenerate internal/review/createonly.json from cfn-lint's registry schemas (review, then commit)
	python3 scripts/review/createonly.py

cost: ## Monthly estimate per environment from the templates in CDK_OUT (after make synth); writes CDK_OUT/report/cost.json
	go run ./internal/tools/costreport $(CDK_OUT)

report: ## Write cdk.out/report/<env>.md (HIPAA evidence) from CDK_OUT (default cdk.out; run make synth first)
	go run ./internal/tools/report $(or $(CDK_OUT),cdk.out)

db-tunnel: synth ## Print the commands that open a port-forwarding session to ENV's database (default dev)
	go run ./internal/tools/dbtunnel cdk.out $(or $(ENV),dev)

# make isolate / make reconnect: TIER is data, access or edge; RUN=1 starts the
# execution (with the incident-responder role's credentials) instead of only
# printing the command.
ISOLATE_ARGS = $(if $(RUN),-run,) cdk.out $(or $(ENV),dev) $(TIER)

isolate: synth ## Print (RUN=1: start) the command that isolates TIER=data|access|edge of ENV (default dev)
	@[ -n "$(TIER)" ] || { echo "make isolate: TIER=data, access or edge is required"; exit 2; }
	go run ./internal/tools/isolate $(ISOLATE_ARGS)

reconnect: synth ## Print (RUN=1: start) the command that reconnects TIER of ENV, restoring the synthesized state
	@[ -n "$(TIER)" ] || { echo "make reconnect: TIER=data, access or edge is required"; exit 2; }
	go run ./internal/tools/isolate -reconnect $(ISOLATE_ARGS)

deploy-local: toolchain ## Deploy, verify, update and destroy ENV (default dev) on a local AWS emulator (moto): no AWS account
	ENV=$(or $(ENV),dev) scripts/deploy-local.sh

deploy-local-org: toolchain ## Deploy org-guardrails to an organization on the emulator; verify the SCPs through the Organizations API; destroy
	ENV=org-guardrails scripts/deploy-local.sh

deploy-local-test: toolchain ## Tests of deploy-local (adaptation, emulator handlers, checks; a broken template must fail with stack and reason)
	python3 -m unittest discover -s scripts/emulator -t .

bench: toolchain ## Time the whole-app synth (median wall and CPU), count jsii round trips, time make test and its phases
	scripts/bench-phases.sh

clean: ## Remove cdk.out and the project-local toolchain
	rm -rf cdk.out node_modules
