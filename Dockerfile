# syntax=docker/dockerfile:1
# s3logger container image. See docs/operations.md ("Docker") for running it.
#
#   docker build -t s3logger .
#   docker run -d --name s3logger --stop-timeout 30 -p 8080:8080 -p 127.0.0.1:9464:9464 \
#     -v s3logger-spool:/var/spool/s3logger -e S3LOGGER_S3_BUCKET=my-logs -e AWS_REGION=eu-west-1 s3logger

# Build stage: the fat jar, without running the tests (CI runs them).
FROM maven:3.9-eclipse-temurin-21 AS build
# gcc and libdeflate-dev: the spool's libdeflate binding is compiled and linked into the jar.
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev libdeflate-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -pl bootstrap -am -DskipTests package

# Run stage: a JRE, the jar, a non-root user, the spool as a volume.
FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 s3logger \
 && useradd --system --uid 10001 --gid s3logger --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin s3logger \
 && mkdir -p /opt/s3logger /var/spool/s3logger \
 && chown s3logger:s3logger /var/spool/s3logger \
 && chmod 0700 /var/spool/s3logger
COPY --from=build /src/bootstrap/target/s3logger.jar /opt/s3logger/s3logger.jar
USER s3logger:s3logger
VOLUME ["/var/spool/s3logger"]
# Inside a container the listeners must accept connections from outside it. Every setting can be
# overridden with -e S3LOGGER_... or with flags after the image name (flags win).
ENV S3LOGGER_ADDR=":8080" \
    S3LOGGER_MONITORING_ADDR=":9464" \
    S3LOGGER_DIR="/var/spool/s3logger"
EXPOSE 8080 9464
# SIGTERM starts the graceful stop; give it more than shutdown-timeout + 10 s (docker stop -t 30).
STOPSIGNAL SIGTERM
# Heap as a share of the container's memory limit; exit on OutOfMemoryError so the orchestrator
# restarts the process, which then salvages the spool.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/s3logger/s3logger.jar"]
