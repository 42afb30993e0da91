# Shortcuts for developers; the README's commands work without make.
.PHONY: setup demo test lint dev
setup:
	bash scripts/setup.sh
demo: setup
	.venv/bin/policy-history demo
test:
	bash scripts/test.sh
lint:
	.venv/bin/ruff check pipelines assets tests bench && .venv/bin/ruff format --check pipelines assets tests bench
dev: setup
	DAGSTER_HOME=$(CURDIR) .venv/bin/dagster dev
