# The observatory as one replica: slim Python, a non-root user, a health check on /_stcore/health.
# Prepared tables are either mounted read-only at /app/observatory_data/prepared (the default: one build,
# shared by every replica) or built into the image with --build-arg BUILD_TABLES=true (downloads the pinned,
# checksummed public sources; or pass a mirror with --build-context sources=../shared/sources and
# --build-arg OBSERVATORY_SOURCES=/sources).
# An empty stage a mirror can replace: --build-context sources=../shared/sources.
FROM scratch AS sources

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY pyproject.toml constraints.txt README.md ./
COPY observatory_data ./observatory_data
COPY components ./components
COPY app_pages ./app_pages
COPY app.py ./
COPY .streamlit ./.streamlit
RUN pip install -c constraints.txt ".[build]" \
    && python -m observatory_data.serving.assets fetch \
    && useradd --create-home --uid 10001 observatory \
    && mkdir -p observatory_data/prepared \
    && chown -R observatory:observatory /app

ARG BUILD_TABLES=false
ARG OBSERVATORY_SOURCES=
RUN --mount=type=bind,from=sources,target=/sources,readonly \
    if [ "$BUILD_TABLES" = "true" ]; then \
      OBSERVATORY_SOURCES="$OBSERVATORY_SOURCES" observatory build && chown -R observatory:observatory /app; \
    fi

USER observatory
EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read().strip() != b'ok')"
CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]
