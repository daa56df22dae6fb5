package io.s3logger.bootstrap;

import java.util.List;
import java.util.Optional;

/** Every setting of the program, in the order usage lists them. Defaults live in reference.conf. */
final class Options {

    static final String CONFIG_FLAG = "config";
    static final String HELP_TEXT = "-h, -help    print this help and exit";
    static final String VERSION_FLAG = "version";
    static final String VERSION_TEXT = "-version    print the version and exit";

    static final List<Option> ALL = List.of(
            new Option("addr", "s3logger.addr", "host:port", "address to listen on (\":8080\" listens on every interface)"),
            new Option("max-connections", "s3logger.max-connections", "int", "connections served at once; more are closed at once (0: no limit)"),
            new Option("idle-timeout", "s3logger.idle-timeout", "duration", "close a connection that sends nothing for this long (empty or 0: never)"),
            new Option("connection-memory-mb", "s3logger.connection-memory-mb", "int",
                    "megabytes all connections together may hold for objects in progress and buffers (0: a quarter of the heap less -queue-mb)"),
            new Option("tls-cert", "s3logger.tls.cert", "file", "PEM certificate chain: serve TLS instead of plain TCP (with -tls-key)"),
            new Option("tls-key", "s3logger.tls.key", "file", "PEM PKCS#8 private key of -tls-cert"),
            new Option("tls-key-password", "s3logger.tls.key-password", "password", "password of an encrypted -tls-key (better in the environment or the file)"),
            new Option("tls-keystore", "s3logger.tls.keystore", "file", "PKCS#12 keystore with key and certificate: serve TLS (instead of -tls-cert/-tls-key)"),
            new Option("tls-keystore-password", "s3logger.tls.keystore-password", "password", "password of -tls-keystore (better in the environment or the file)"),
            new Option("tls-client-ca", "s3logger.tls.client-ca", "file", "PEM CA certificates: require client certificates signed by them"),
            new Option("bucket", "s3logger.s3.bucket", "name", "S3 bucket to upload logs to"),
            new Option("dir", "s3logger.dir", "dir", "directory to keep unsent files"),
            new Option("mb", "s3logger.rotation.max-mb", "int", "megabytes of input read until a file is rotated (0 to disable)"),
            new Option("prefix", "s3logger.prefix", "string", "object name prefix (directory in the bucket or local store)"),
            new Option("t", "s3logger.rotation.max-age", "duration", "time to use a single file (min 1s; the original's min was 1m)"),
            new Option("local-store", "s3logger.local-store", "dir", "write objects as files under this directory instead of uploading to S3"),
            new Option("flush-interval", "s3logger.spool.flush-interval", "duration", "accepted objects reach the operating system at least this often"),
            new Option("compression-level", "s3logger.spool.compression-level", "int", "gzip compression level, 1 (fastest) to 9 (smallest)"),
            new Option("compression-threads", "s3logger.spool.compression-threads", "int", "threads compressing in parallel, each block a gzip member (0: one per processor)"),
            new Option("queue-mb", "s3logger.spool.queue-mb", "int", "megabytes of objects waiting to be written before connections stop being read"),
            new Option("spool-max-mb", "s3logger.spool.max-mb", "int", "megabytes of finished files waiting for upload at which ingestion pauses (0: no cap)"),
            new Option("upload-concurrency", "s3logger.delivery.concurrency", "int", "segments uploaded at once"),
            new Option("retry-initial", "s3logger.delivery.retry-initial", "duration", "first delay after a failed upload (doubles up to -retry-max)"),
            new Option("retry-max", "s3logger.delivery.retry-max", "duration", "longest delay between upload attempts"),
            new Option("alert-after", "s3logger.delivery.alert-after", "duration", "log a segment failing for longer than this at ERROR instead of WARN"),
            new Option("shutdown-timeout", "s3logger.shutdown-timeout", "duration", "the most a stop on SIGTERM/SIGINT takes (store what was received, upload pending files) before exiting"),
            new Option("metrics-addr", "s3logger.monitoring.addr", "host:port", "HTTP address of /metrics (Prometheus), /healthz and /readyz (empty: no HTTP listener)"),
            new Option("ready-max-backlog", "s3logger.monitoring.ready-max-backlog", "int", "segments waiting for upload above which /readyz reports not ready (0: no limit)"),
            new Option("store-stale-after", "s3logger.monitoring.store-stale-after", "duration", "/readyz reports not ready when uploads have failed, with no success, for this long"),
            new Option("log-level", "s3logger.log.level", "level", "least severe level logged: TRACE, DEBUG, INFO, WARN or ERROR"),
            new Option("log-format", "s3logger.log.format", "human|json", "log line format on standard error: human text or one JSON object per line"),
            new Option("status-interval", "s3logger.log.status-interval", "duration", "how often to log a status line with rates, backlog and last delivery (0: never)"),
            new Option("region", "s3logger.s3.region", "name", "S3 signing region (empty: the AWS SDK's default chain)"),
            new Option("endpoint", "s3logger.s3.endpoint", "url", "endpoint of an S3-compatible store, e.g. http://localhost:9000 (empty: AWS or AWS_ENDPOINT_URL_S3)"),
            Option.mayStandAlone("path-style", "s3logger.s3.path-style", "auto|true|false", "path-style addressing (auto: on exactly when the endpoint is custom)", "true"),
            new Option("profile", "s3logger.s3.profile", "name", "AWS profile for credentials and region (empty: the default chain, AWS_PROFILE)"),
            new Option("storage-class", "s3logger.s3.storage-class", "class", "S3 storage class, e.g. STANDARD_IA (empty: the bucket's default)"),
            new Option("sse", "s3logger.s3.sse", "mode", "server-side encryption: AES256, aws:kms or aws:kms:dsse (empty: the bucket's default)"),
            new Option("sse-kms-key-id", "s3logger.s3.sse-kms-key-id", "id", "KMS key for aws:kms (empty: the AWS managed key)"),
            new Option("multipart-threshold", "s3logger.s3.multipart-threshold", "size", "files of at least this size are uploaded in parts, e.g. 64MiB"),
            new Option("part-size", "s3logger.s3.part-size", "size", "size of each uploaded part, 5MiB to 5GiB"),
            new Option("content-type", "s3logger.s3.content-type", "type", "Content-Type of the objects"),
            new Option("content-encoding", "s3logger.s3.content-encoding", "token", "Content-Encoding of the objects (empty: none)"));

    private Options() {}

    static Optional<Option> byFlag(String flag) {
        return ALL.stream().filter(option -> option.flag().equals(flag)).findFirst();
    }

    static Optional<Option> byKey(String key) {
        return ALL.stream().filter(option -> option.key().equals(key)).findFirst();
    }
}
