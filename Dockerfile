# syntax=docker/dockerfile:1
# s3logger container image. See docs/operations.md ("Docker") for running it.
#
#   docker build -t s3logger .
#   docker run -d --name s3logger --stop-timeout 30 -p 8080:8080 -p 127.0.0.1:9464:9464 \
#     -v s3logger-spool:/var/spool/s3logger -e S3LOGGER_S3_BUCKET=my-logs -e AWS_REGION=eu-west-1 s3logger

# Build stage: the distribution (program, jlink-trimmed runtime, launcher, and the AOT cache of a
# short training run on loopback), without running the tests (CI runs them). Pure Maven: no C
# compiler or system library.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -pl distribution -am -DskipTests package

# Run stage: the same launcher and runtime as the .tar.gz and the .deb, a numeric non-root user
# (Kubernetes runAsNonRoot can check it), the spool as a volume.
FROM debian:12-slim
RUN groupadd --system --gid 10001 s3logger \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin s3logger \
 && mkdir -p /var/spool/s3logger \
 && chown 10001:10001 /var/spool/s3logger \
 && chmod 0700 /var/spool/s3logger
COPY --from=build /src/distribution/target/s3logger /opt/s3logger
USER 10001:10001
VOLUME ["/var/spool/s3logger"]
# Inside a container the listeners must accept connections from outside it. Every setting can be
# overridden with -e S3LOGGER_... or with flags after the image name (flags win).
ENV S3LOGGER_ADDR=":8080" \
    S3LOGGER_MONITORING_ADDR=":9464" \
    S3LOGGER_DIR="/var/spool/s3logger"
# The launcher's JVM flags are the README's; the heap here is a share of the container's memory
# limit instead of its fixed -Xmx128m -Xmn40m (the JVM needs about 60-70 MB beside the heap: give the
# container at least 300 MB). ExitOnOutOfMemoryError (a launcher default) lets the
# orchestrator restart the process, which then salvages the spool.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
EXPOSE 8080 9464
# /readyz with bash's /dev/tcp: the slim image has no curl or wget, and a JVM per probe would cost
# a second of CPU and a hundred MB. Healthy while the status line says 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9464 && printf 'GET /readyz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# SIGTERM starts the graceful stop; give it more than shutdown-timeout + 10 s (docker stop -t 30).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/s3logger/bin/s3logger"]
