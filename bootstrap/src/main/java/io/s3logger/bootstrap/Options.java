package io.s3logger.bootstrap;

import static io.s3logger.bootstrap.SettingsReader.choice;
import static io.s3logger.bootstrap.SettingsReader.ints;

import io.s3logger.adapter.tcp.ConnectionMemoryBudget;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * Every setting of the program, each declared once with its parser; usage, the docs check and
 * {@link SettingsLoader} derive from these. Defaults live in reference.conf.
 */
final class Options {

    static final String CONFIG_FLAG = "config";
    static final String HELP_TEXT = "-h, -help    print this help and exit";
    static final String VERSION_FLAG = "version";
    static final String VERSION_TEXT = "-version    print the version and exit";

    static final Option<InetSocketAddress> ADDR = new Option<>("addr", "s3logger.addr", "host:port", "address to listen on (\":8080\" listens on every interface)",
            SettingsReader::hostPort);
    static final Option<Integer> MAX_CONNECTIONS = new Option<>("max-connections", "s3logger.max-connections", "int", "connections served at once; more are closed at once (0: no limit)",
            ints(0, Integer.MAX_VALUE, "a whole number, 0 for no limit"));
    static final Option<Optional<Duration>> IDLE_TIMEOUT = new Option<>("idle-timeout", "s3logger.idle-timeout", "duration", "close a connection that sends nothing for this long (empty or 0: never)",
            SettingsReader::optionalDuration);
    static final Option<Integer> CONNECTION_MEMORY_MB = new Option<>("connection-memory-mb", "s3logger.connection-memory-mb", "int",
            "megabytes all connections together may hold for objects in progress and buffers (0: a quarter of the heap less -queue-mb)",
            ints(0, 1_048_576, "a whole number of MiB from " + ConnectionMemoryBudget.MIN_CAPACITY_BYTES / SettingsLoader.MIB
                    + " to 1048576, or 0 for a quarter of the heap less the queue"));
    static final Option<Optional<Path>> TLS_CERT = new Option<>("tls-cert", "s3logger.tls.cert", "file", "PEM certificate chain: serve TLS instead of plain TCP (with -tls-key)",
            SettingsReader::optionalPath);
    static final Option<Optional<Path>> TLS_KEY = new Option<>("tls-key", "s3logger.tls.key", "file", "PEM PKCS#8 private key of -tls-cert",
            SettingsReader::optionalPath);
    static final Option<Optional<String>> TLS_KEY_PASSWORD = Option.secret("tls-key-password", "s3logger.tls.key-password", "password", "password of an encrypted -tls-key (better in the environment or the file)",
            SettingsReader::optionalString);
    static final Option<Optional<Path>> TLS_KEYSTORE = new Option<>("tls-keystore", "s3logger.tls.keystore", "file", "PKCS#12 keystore with key and certificate: serve TLS (instead of -tls-cert/-tls-key)",
            SettingsReader::optionalPath);
    static final Option<Optional<String>> TLS_KEYSTORE_PASSWORD = Option.secret("tls-keystore-password", "s3logger.tls.keystore-password", "password", "password of -tls-keystore (better in the environment or the file)",
            SettingsReader::optionalString);
    static final Option<Optional<Path>> TLS_CLIENT_CA = new Option<>("tls-client-ca", "s3logger.tls.client-ca", "file", "PEM CA certificates: require client certificates signed by them",
            SettingsReader::optionalPath);
    static final Option<String> S3_BUCKET = new Option<>("bucket", "s3logger.s3.bucket", "name", "S3 bucket to upload logs to",
            SettingsReader::string);
    static final Option<Path> DIR = new Option<>("dir", "s3logger.dir", "dir", "directory to keep unsent files",
            SettingsReader::path);
    static final Option<Integer> ROTATION_MAX_MB = new Option<>("mb", "s3logger.rotation.max-mb", "int", "megabytes of input read until a file is rotated (0 to disable)",
            ints(0, Integer.MAX_VALUE, "a whole number of MiB, 0 to disable"));
    static final Option<String> PREFIX = new Option<>("prefix", "s3logger.prefix", "string", "object name prefix (directory in the bucket or local store)",
            SettingsReader::string);
    static final Option<Duration> ROTATION_MAX_AGE = new Option<>("t", "s3logger.rotation.max-age", "duration", "time to use a single file (min 1s; the original's min was 1m)",
            SettingsReader::duration);
    static final Option<String> LOCAL_STORE = new Option<>("local-store", "s3logger.local-store", "dir", "write objects as files under this directory instead of uploading to S3",
            SettingsReader::string);
    static final Option<Duration> SPOOL_FLUSH_INTERVAL = new Option<>("flush-interval", "s3logger.spool.flush-interval", "duration", "accepted objects reach the operating system at least this often",
            SettingsReader::positiveDuration);
    static final Option<Integer> SPOOL_COMPRESSION_LEVEL = new Option<>("compression-level", "s3logger.spool.compression-level", "int", "gzip compression level, 1 (fastest) to 9 (smallest)",
            ints(1, 9, "a gzip level from 1 to 9"));
    static final Option<Integer> SPOOL_COMPRESSION_THREADS = new Option<>("compression-threads", "s3logger.spool.compression-threads", "int", "threads compressing in parallel, each block a gzip member (0: one per processor)",
            ints(0, 256, "a whole number of threads from 1 to 256, or 0 for one per processor"));
    static final Option<Integer> SPOOL_QUEUE_MB = new Option<>("queue-mb", "s3logger.spool.queue-mb", "int", "megabytes of objects waiting to be written before connections stop being read",
            ints(1, 65_536, "a whole number of MiB from 1 to 65536"));
    static final Option<Integer> SPOOL_MAX_MB = new Option<>("spool-max-mb", "s3logger.spool.max-mb", "int", "megabytes of finished files waiting for upload at which ingestion pauses (0: no cap)",
            ints(0, Integer.MAX_VALUE, "a whole number of MiB, 0 for no cap"));
    static final Option<Integer> DELIVERY_CONCURRENCY = new Option<>("upload-concurrency", "s3logger.delivery.concurrency", "int", "segments uploaded at once",
            ints(1, 64, "a whole number from 1 to 64"));
    static final Option<Duration> DELIVERY_RETRY_INITIAL = new Option<>("retry-initial", "s3logger.delivery.retry-initial", "duration", "first delay after a failed upload (doubles up to -retry-max)",
            SettingsReader::positiveDuration);
    static final Option<Duration> DELIVERY_RETRY_MAX = new Option<>("retry-max", "s3logger.delivery.retry-max", "duration", "longest delay between upload attempts",
            SettingsReader::positiveDuration);
    static final Option<Duration> DELIVERY_ALERT_AFTER = new Option<>("alert-after", "s3logger.delivery.alert-after", "duration", "log a segment failing for longer than this at ERROR instead of WARN",
            SettingsReader::positiveDuration);
    static final Option<Duration> SHUTDOWN_TIMEOUT = new Option<>("shutdown-timeout", "s3logger.shutdown-timeout", "duration", "the most a stop on SIGTERM/SIGINT takes (store what was received, upload pending files) before exiting",
            SettingsReader::duration);
    static final Option<Optional<InetSocketAddress>> MONITORING_ADDR = new Option<>("metrics-addr", "s3logger.monitoring.addr", "host:port", "HTTP address of /metrics (Prometheus), /healthz and /readyz (empty: no HTTP listener)",
            SettingsReader::optionalHostPort);
    static final Option<Integer> MONITORING_READY_MAX_BACKLOG = new Option<>("ready-max-backlog", "s3logger.monitoring.ready-max-backlog", "int", "segments waiting for upload above which /readyz reports not ready (0: no limit)",
            ints(0, Integer.MAX_VALUE, "a whole number of segments, 0 for no limit"));
    static final Option<Duration> MONITORING_STORE_STALE_AFTER = new Option<>("store-stale-after", "s3logger.monitoring.store-stale-after", "duration", "/readyz reports not ready when uploads have failed, with no success, for this long",
            SettingsReader::positiveDuration);
    static final Option<Level> LOG_LEVEL = new Option<>("log-level", "s3logger.log.level", "level", "least severe level logged: TRACE, DEBUG, INFO, WARN or ERROR",
            choice(Level.class));
    static final Option<Settings.LogFormat> LOG_FORMAT = new Option<>("log-format", "s3logger.log.format", "human|json", "log line format on standard error: human text or one JSON object per line",
            choice(Settings.LogFormat.class));
    static final Option<Duration> LOG_STATUS_INTERVAL = new Option<>("status-interval", "s3logger.log.status-interval", "duration", "how often to log a status line with rates, backlog and last delivery (0: never)",
            SettingsReader::duration);
    static final Option<Optional<String>> S3_REGION = new Option<>("region", "s3logger.s3.region", "name", "S3 signing region (empty: the AWS SDK's default chain)",
            SettingsReader::optionalString);
    static final Option<Optional<URI>> S3_ENDPOINT = new Option<>("endpoint", "s3logger.s3.endpoint", "url", "endpoint of an S3-compatible store, e.g. http://localhost:9000 (empty: AWS or AWS_ENDPOINT_URL_S3)",
            SettingsReader::endpoint);
    static final Option<Optional<Boolean>> S3_PATH_STYLE = Option.mayStandAlone("path-style", "s3logger.s3.path-style", "auto|true|false", "path-style addressing (auto: on exactly when the endpoint is custom)", "true",
            SettingsReader::autoBoolean);
    static final Option<Optional<String>> S3_PROFILE = new Option<>("profile", "s3logger.s3.profile", "name", "AWS profile for credentials and region (empty: the default chain, AWS_PROFILE)",
            SettingsReader::optionalString);
    static final Option<Optional<String>> S3_STORAGE_CLASS = new Option<>("storage-class", "s3logger.s3.storage-class", "class", "S3 storage class, e.g. STANDARD_IA (empty: the bucket's default)",
            SettingsReader::optionalString);
    static final Option<Optional<String>> S3_SSE = new Option<>("sse", "s3logger.s3.sse", "mode", "server-side encryption: AES256, aws:kms or aws:kms:dsse (empty: the bucket's default)",
            SettingsReader::optionalString);
    static final Option<Optional<String>> S3_SSE_KMS_KEY_ID = new Option<>("sse-kms-key-id", "s3logger.s3.sse-kms-key-id", "id", "KMS key for aws:kms (empty: the AWS managed key)",
            SettingsReader::optionalString);
    static final Option<Long> S3_MULTIPART_THRESHOLD = new Option<>("multipart-threshold", "s3logger.s3.multipart-threshold", "size", "files of at least this size are uploaded in parts, e.g. 64MiB",
            SettingsReader::bytes);
    static final Option<Long> S3_PART_SIZE = new Option<>("part-size", "s3logger.s3.part-size", "size", "size of each uploaded part, 5MiB to 5GiB",
            SettingsReader::bytes);
    static final Option<String> S3_CONTENT_TYPE = new Option<>("content-type", "s3logger.s3.content-type", "type", "Content-Type of the objects",
            SettingsReader::string);
    static final Option<Optional<String>> S3_CONTENT_ENCODING = new Option<>("content-encoding", "s3logger.s3.content-encoding", "token", "Content-Encoding of the objects (empty: none)",
            SettingsReader::optionalString);

    /** Every setting, in the order usage and the docs list them. */
    static final List<Option<?>> ALL = List.of(
            ADDR,
            MAX_CONNECTIONS,
            IDLE_TIMEOUT,
            CONNECTION_MEMORY_MB,
            TLS_CERT,
            TLS_KEY,
            TLS_KEY_PASSWORD,
            TLS_KEYSTORE,
            TLS_KEYSTORE_PASSWORD,
            TLS_CLIENT_CA,
            S3_BUCKET,
            DIR,
            ROTATION_MAX_MB,
            PREFIX,
            ROTATION_MAX_AGE,
            LOCAL_STORE,
            SPOOL_FLUSH_INTERVAL,
            SPOOL_COMPRESSION_LEVEL,
            SPOOL_COMPRESSION_THREADS,
            SPOOL_QUEUE_MB,
            SPOOL_MAX_MB,
            DELIVERY_CONCURRENCY,
            DELIVERY_RETRY_INITIAL,
            DELIVERY_RETRY_MAX,
            DELIVERY_ALERT_AFTER,
            SHUTDOWN_TIMEOUT,
            MONITORING_ADDR,
            MONITORING_READY_MAX_BACKLOG,
            MONITORING_STORE_STALE_AFTER,
            LOG_LEVEL,
            LOG_FORMAT,
            LOG_STATUS_INTERVAL,
            S3_REGION,
            S3_ENDPOINT,
            S3_PATH_STYLE,
            S3_PROFILE,
            S3_STORAGE_CLASS,
            S3_SSE,
            S3_SSE_KMS_KEY_ID,
            S3_MULTIPART_THRESHOLD,
            S3_PART_SIZE,
            S3_CONTENT_TYPE,
            S3_CONTENT_ENCODING);

    private Options() {}

    static Optional<Option<?>> byFlag(String flag) {
        return ALL.stream().filter(option -> option.flag().equals(flag)).findFirst();
    }

    static Optional<Option<?>> byKey(String key) {
        return ALL.stream().filter(option -> option.key().equals(key)).findFirst();
    }
}
