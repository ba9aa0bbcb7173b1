# Two commands set everything up on a fresh machine: `make start` and `make test`.
# The machine's own Node may be older than 24; scripts/node24.sh brings Node 24 into .node/ when needed
# and the rest runs with it first on PATH (npm itself comes from the machine and runs on that node).
SHELL := /bin/bash
NODE_BIN := $(shell ./scripts/node24.sh)
export PATH := $(NODE_BIN):$(PATH)

.PHONY: start test bench gen typecheck clean

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

start: node_modules/.installed
	npm start

test: node_modules/.installed
	npm run --silent gen:check
	npm run --silent typecheck
	npm test --silent

bench: node_modules/.installed
	npm run bench

gen: node_modules/.installed
	npm run gen

typecheck: node_modules/.installed
	npm run typecheck

clean:
	rm -rf node_modules .node data
