# factoryledger: the runtime only (no pytest, hypothesis or ortools), as a non-root user.
#   docker build -t factoryledger .
#   docker run --rm -e FACTORYLEDGER_DATABASE_URL=postgresql://... factoryledger migrate
# compose.yaml runs it with PostgreSQL and an MQTT broker; docs/deploy.md explains.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY projections ./projections
COPY api ./api
COPY migrations ./migrations
# Optional extras, e.g. --build-arg EXTRAS=[planning-solver] for CP-SAT scheduling (ortools).
ARG EXTRAS=""
# A wheel of the project and of every runtime dependency; the build tools stay here.
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".${EXTRAS}"

FROM python:3.11-slim
ARG EXTRAS=""
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    FACTORYLEDGER_DATABASE_URL=sqlite:////srv/factoryledger/var/factoryledger.db
RUN useradd --system --uid 10001 --home-dir /srv/factoryledger --create-home factoryledger
COPY --from=build /wheels /wheels
# The runtime dependencies of pyproject.toml, none of its dev extras.
RUN pip install --no-cache-dir --no-index --find-links=/wheels "factoryledger${EXTRAS}" \
    && rm -rf /wheels
USER factoryledger
WORKDIR /srv/factoryledger
EXPOSE 8000
ENTRYPOINT ["factoryledger"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
