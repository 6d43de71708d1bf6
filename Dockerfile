FROM python:3.11-slim-bookworm
WORKDIR /app
COPY pyproject.toml README.md ./
COPY asta ./asta
COPY migrations ./migrations
RUN pip install --no-cache-dir -e .
ENV ASTA_ENV=production
EXPOSE 8000
CMD ["asta", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-worker"]
