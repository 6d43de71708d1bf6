FROM python:3.11-slim-bookworm
WORKDIR /app
# The same locked versions as `make install`: uv syncs the environment from uv.lock.
RUN pip install --no-cache-dir "uv==0.13.9"
ENV UV_PROJECT_ENVIRONMENT=/app/.venv UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 \
    PATH=/app/.venv/bin:$PATH
COPY pyproject.toml uv.lock README.md ./
COPY asta ./asta
COPY migrations ./migrations
RUN uv sync --locked --no-cache --no-editable
ENV ASTA_ENV=production
EXPOSE 8000
CMD ["asta", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-worker"]
