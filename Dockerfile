# Dispute Sandbox image: serves the default scenario on $SANDBOX_HOST:$SANDBOX_PORT (0.0.0.0:8000).
# Bound beyond loopback without a control token it serves the providers with /_sandbox locked (docs/security.md):
#   docker run -p 127.0.0.1:8000:8000 -e SANDBOX_CONTROL_TOKEN=secret IMAGE
#   docker run -p 127.0.0.1:8000:8000 -e SANDBOX_ALLOW_OPEN_CONTROL=1 IMAGE   # waived: a laptop only
#   docker run IMAGE validate /scenarios/x.yaml        # exit 0, or 2 with one line per problem
# BASE_IMAGE lets a machine without a registry build from a local Python 3.11 base (any Debian-like
# image with python3 and its venv module); everyone else gets python:3.11-slim.
ARG BASE_IMAGE=python:3.11-slim

# ---- build: a self-contained venv with the package and its runtime dependencies only ----
FROM ${BASE_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONDONTWRITEBYTECODE=1
# strip (binutils) shrinks the compiled wheels ~15 MB (uvloop ships with debug symbols); build stage only
RUN command -v strip >/dev/null \
    || (apt-get update -qq && apt-get install -y -qq --no-install-recommends binutils >/dev/null \
        && rm -rf /var/lib/apt/lists/*)
# venv in every case: Debian's own python3 refuses system-wide pip installs
RUN python3 -m venv /opt/venv
# dependencies first, so editing the source does not reinstall them
COPY pyproject.toml /src/pyproject.toml
RUN /opt/venv/bin/python -c "import tomllib; print('\n'.join(tomllib.load(open('/src/pyproject.toml', 'rb'))['project']['dependencies']))" >/tmp/requirements.txt \
    && /opt/venv/bin/pip install -q -r /tmp/requirements.txt
COPY README.md /src/README.md
COPY sandbox /src/sandbox
COPY scenarios /src/scenarios
# the wheel carries scenarios/ inside the package (pyproject force-include)
RUN /opt/venv/bin/pip install -q --no-deps /src
# Trim: no pip/setuptools at run time, nor uvicorn's --reload watcher (watchfiles) and WebSocket
# library (websockets), which the sandbox never uses; strip the package .so files (not auditwheel's vendored
# *.libs, which stripping can break); drop numpy's own test suites and f2py (about 20 MB; the
# sandbox uses numpy's arrays and random only). Faker is not installed: its pools ship as data.
RUN set -eu; \
    /opt/venv/bin/python -m pip uninstall -q -y watchfiles websockets; \
    /opt/venv/bin/python -m pip uninstall -q -y pip setuptools wheel 2>/dev/null || true; \
    site=$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'); \
    find "$site" -name '*.so' -not -path '*.libs/*' -exec strip --strip-unneeded {} +; \
    rm -rf "$site"/numpy/tests "$site"/numpy/*/tests "$site"/numpy/f2py "$site"/numpy/_pyinstaller; \
    cd /; \
    /opt/venv/bin/python -c "import uvicorn, uvloop, httptools, yaml._yaml, pydantic_core, orjson, numpy, sandbox.app, sandbox.cli"

# ---- runtime: the base image plus the venv, run as a non-root user ----
FROM ${BASE_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SANDBOX_HOST=0.0.0.0 \
    SANDBOX_PORT=8000
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin sandbox \
    && mkdir -p /scenarios
COPY --from=build /opt/venv /opt/venv
USER 10001:10001
WORKDIR /scenarios
EXPOSE 8000
# /_sandbox/health needs no control token; it asks the address the server binds (SANDBOX_HOST)
HEALTHCHECK --interval=2s --timeout=2s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('SANDBOX_HOST') or '0.0.0.0'; h = {'0.0.0.0': '127.0.0.1', '::': '[::1]'}.get(h, '[%s]' % h if ':' in h else h); u.urlopen('http://%s:%s/_sandbox/health' % (h, os.environ.get('SANDBOX_PORT', '8000')), timeout=2)"]
# exec form: the server is PID 1 and gets SIGTERM itself (graceful shutdown capped at 1 s, exit 0).
# No --host here: SANDBOX_HOST (above, or -e) decides.
ENTRYPOINT ["dispute-sandbox"]
CMD ["serve"]
