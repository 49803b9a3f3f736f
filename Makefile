# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# kgx (Biolink's validator) needs older numpy than the project's environment: its own venv.
KGX    := .venv-kgx
KGX_STAMP := $(KGX)/.installed

.PHONY: demo test debs bench readme docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,docs]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p out
	$(BIN)/exokg check
	$(BIN)/exokg stats
	$(BIN)/exokg show miR-146a-5p
	$(BIN)/exokg paths BMSC osteoarthritis --asserted-only --limit 3
	$(BIN)/exokg export -f turtle -o out/exokg.ttl
	$(BIN)/exokg view -o out/graph.html
	$(BIN)/exokg view --paths BMSC osteoarthritis -o out/bm-oa.html
	@echo "Explore it in a browser: $(BIN)/exokg serve   (then open http://127.0.0.1:8000/)"

# Debian packages the tests need: headless Chromium (browser tests) and Virtuoso (a real
# SPARQL store on loopback). Installed as root on CI machines, with sudo elsewhere.
debs:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	if [ -n "$$missing" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; fi

$(KGX_STAMP):
	$(PYTHON) -m venv $(KGX)
	$(KGX)/bin/python -m pip install --quiet --upgrade pip
	$(KGX)/bin/python -m pip install --quiet 'kgx==2.6.0'
	touch $(KGX_STAMP)

# The suite runs in TEST_WORKERS processes (pytest-xdist), each test file in one of them
# (its module fixtures, servers and ports stay together); TEST_WORKERS=0 runs it in this one.
TEST_WORKERS ?= 2

test: $(STAMP) debs $(KGX_STAMP)
	$(BIN)/ruff check kg tests notebooks bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	EXOKG_KGX_PYTHON=$(CURDIR)/$(KGX)/bin/python $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# Regenerate the output blocks of README.md and docs/*.md from the real commands, and the
# command pages of docs/commands/ from each --help (a test fails when either is stale).
readme: $(STAMP)
	$(BIN)/python -m tests.readme_blocks
	$(BIN)/python -m tests.docs_pages

# The documentation site (mkdocs.yml, the default theme: nothing fetched), into out/docs;
# any warning (a broken link, a page missing from the nav) fails the build.
docs: $(STAMP)
	$(BIN)/python -m tests.docs_pages
	$(BIN)/mkdocs build --strict --site-dir out/docs

# Benchmarks (not part of the tests): the leave-one-study-out test of inferred paths
# (bench/evaluate_paths.py, a quick version is in the tests), then the timings: prints its figures and writes bench/results/latest.md,
# from which `make readme` generates the block of docs/benchmarks.md. Quick run: make bench BENCH_SIZES=10k
BENCH_SIZES  ?= 10k,100k,1M
BENCH_REPEAT ?= 3
bench: $(STAMP)
	$(BIN)/python bench/evaluate_paths.py --via-hierarchy --in-fold
	$(BIN)/python bench/run.py --sizes $(BENCH_SIZES) --repeat $(BENCH_REPEAT)
	$(BIN)/python bench/release.py --sizes $(BENCH_SIZES) --repeat $(BENCH_REPEAT)

clean:
	rm -rf $(VENV) $(KGX) out .pytest_cache .mypy_cache .ruff_cache
