# mlpivot for a cohort: the app from this checkout, its exact locked dependencies, no dev tools.
FROM python:3.11-slim
COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /usr/local/bin/uv
WORKDIR /app
COPY pyproject.toml uv.lock README.md LICENSE NOTICE ./
COPY src ./src
RUN uv sync --locked --no-dev --compile-bytecode
ENV PATH=/app/.venv/bin:$PATH MLPIVOT_DATA_DIR=/data
RUN useradd --create-home mlpivot && mkdir /data && chown mlpivot /data
USER mlpivot
EXPOSE 8000
CMD ["mlpivot", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
