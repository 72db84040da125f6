# Newsroom: `make run` serves the demo site, `make test` runs every test.
VENV   := .venv
PY     := $(VENV)/bin/python
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
            command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
            && { command -v $$p; break; }; done)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test test-postgres serve-prod lint format bench bench-postgres migrate demo clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3 -V)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# The task worker (webhooks, purges, suggestions) runs beside the dev server; Ctrl-C stops both.
run: demo
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/, API: /api/v1/docs/)"
	@$(PY) manage.py db_worker --no-startup-delay --no-reload -v 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# The same suite on a throwaway PostgreSQL + Redis on loopback (.ci/services.sh; needs the
# postgresql and redis-server Debian packages). PostgreSQL-only tests run here, not in `make test`.
test-postgres: install
	.ci/with-services.sh $(PY) -m pytest $(PYTEST_ARGS)

# The production configuration, locally: PostgreSQL + Redis on loopback (data kept in
# SERVE_PROD_DIR), hashed static files, demo content, gunicorn. Plain http, so the HTTPS redirect
# and Secure cookies are switched off here, and gunicorn serves media (docs/deployment.md). The RQ
# worker runs beside gunicorn; Ctrl-C stops both.
SERVE_PROD_DIR ?= /tmp/newsroom-serve-prod
# The production task worker: RQ on the project's Redis (docs/deployment.md).
RQ_WORKER := rqworker default --with-scheduler --job-class django_tasks_rq.backend.Job
serve-prod: install
	@echo "Serving production settings on http://$(HOST):$(PORT)/ (Ctrl-C stops gunicorn, PostgreSQL and Redis)"
	NEWSROOM_SERVICES_DIR=$(SERVE_PROD_DIR) .ci/with-services.sh env \
	  DJANGO_SETTINGS_MODULE=newsroom.settings.production \
	  DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	  DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false NEWSROOM_SERVE_MEDIA=true \
	  MEDIA_ROOT=$(SERVE_PROD_DIR)/media NEWSROOM_PRIVATE_MEDIA_ROOT=$(SERVE_PROD_DIR)/private-media \
	  GUNICORN_WORKERS=$${GUNICORN_WORKERS:-3} \
	  sh -c '$(PY) manage.py migrate --noinput -v 0 && $(PY) manage.py collectstatic --noinput -v 0 \
	    && $(PY) manage.py seed_demo \
	    && { $(PY) manage.py $(RQ_WORKER) & } \
	    && exec $(VENV)/bin/gunicorn -c newsroom/gunicorn.conf.py --bind $(HOST):$(PORT)'

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) -m bench $(BENCH_ARGS)
	$(PY) -m bench.plot

# The in-process benchmarks on a throwaway PostgreSQL (.ci/services.sh), e.g. the million-story
# scaling run: SCALING_SIZES=1000,1000000 make bench-postgres BENCH_ARGS=scaling
bench-postgres: install
	$(PY) -m pip install --quiet -e '.[test,bench]'
	.ci/with-services.sh sh -c 'BENCH_DATABASE_URL="$$DATABASE_URL" $(PY) -m bench $(BENCH_ARGS)'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
