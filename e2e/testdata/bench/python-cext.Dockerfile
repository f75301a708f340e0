# Single-stage build of e2e/cases/python-cext, for TestImageQuality: the
# same base image, packages and pip commands as wharf's builder stage, then
# the runner's user and command, all in one stage (compiler included).
FROM python:3.11-slim-bookworm AS runner
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_BUILD_ISOLATION=0 \
    PIP_NO_INDEX=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install --no-cache-dir .
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER 10001:10001
CMD ["python3", "-m", "cext_demo"]
