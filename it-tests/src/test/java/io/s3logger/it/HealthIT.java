package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

import io.s3logger.bootstrap.S3Logger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** /healthz and /readyz of the program in-process, with an in-memory store the test takes down. */
class HealthIT {

    @TempDir
    Path spool;

    @RegisterExtension
    final InProcessPrograms programs = new InProcessPrograms();

    private S3Logger s3logger;

    private InMemoryStoreApplication start(String... flags) throws Exception {
        return programs.start(create(flags));
    }

    /** The program assembled, not started: the test may take the store down before the start-up check. */
    private InMemoryStoreApplication create(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("-metrics-addr", "127.0.0.1:0", "-t", "1s",
                "-retry-initial", "100ms", "-retry-max", "200ms", "-shutdown-timeout", "1s", "-status-interval", "0"));
        args.addAll(List.of(flags));
        InMemoryStoreApplication app = programs.create(spool, args.toArray(String[]::new));
        s3logger = app.s3logger();
        return app;
    }

    private MetricsEndpoint endpoint() {
        return new MetricsEndpoint(s3logger.monitoringAddress().orElseThrow());
    }

    @Test
    void aliveAndReadyWithEveryCheckOk() throws Exception {
        start();

        HttpResponse<String> alive = endpoint().get("/healthz");
        HttpResponse<String> ready = endpoint().get("/readyz");

        assertThat(alive.statusCode()).isEqualTo(200);
        assertThat(alive.body()).startsWith("{\"status\":\"alive\"");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo(
                "{\"status\":\"ready\",\"checks\":{\"listener\":\"ok\",\"spool\":\"ok\",\"store\":\"ok\",\"backlog\":\"ok\"}}\n");
        assertThat(ready.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void notReadyWhileTheStoreFailsLongerThanStoreStaleAfterAndReadyAgainWhenItWorks() throws Exception {
        InMemoryStoreApplication app = start("-store-stale-after", "1s", "-ready-max-backlog", "0");
        app.store().setDown(true);
        JsonClient.send(s3logger.address(), 1, 10, JsonClient.Shape.COMPACT_LINES);

        await().atMost(Duration.ofSeconds(20)).until(() -> endpoint().get("/readyz").statusCode() == 503);
        String body = endpoint().get("/readyz").body();
        assertThat(body).startsWith("{\"status\":\"not ready\"")
                .contains("\"store\":\"uploads failing with no success for")
                .contains("\"backlog\":\"ok\"");
        assertThat(endpoint().get("/healthz").statusCode()).as("alive all the same").isEqualTo(200);

        app.store().setDown(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> endpoint().get("/readyz").statusCode() == 200);
    }

    @Test
    void aStoreThatDoesNotAnswerTheStartUpCheckHoldsNothingBack() throws Exception {
        InMemoryStoreApplication app = create();
        app.store().holdChecks();
        try {
            // Before, start() waited for the check as long as the store did: here, for ever.
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> programs.start(app));

            assertThat(endpoint().get("/metrics").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = endpoint().get("/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"store\":\"the start-up check has not had an answer from the store yet\"");
            JsonClient.send(s3logger.address(), 1, 10, JsonClient.Shape.COMPACT_LINES);
        } finally {
            app.store().answerChecks();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> endpoint().get("/readyz").statusCode() == 200);
        await().atMost(Duration.ofSeconds(20)).until(() -> !app.store().objects().isEmpty());
    }

    @Test
    void reportsWhatTheStartUpCheckFoundUntilAnUploadSucceeds() throws Exception {
        InMemoryStoreApplication app = create("-store-stale-after", "1h");
        app.store().setDown(true);
        programs.start(app);

        HttpResponse<String> ready = endpoint().get("/readyz");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains(
                "\"store\":\"the start-up check failed and no upload has succeeded since: store is down\"");
        app.store().setDown(false);
        JsonClient.send(s3logger.address(), 1, 10, JsonClient.Shape.COMPACT_LINES);
        await().atMost(Duration.ofSeconds(20)).until(() -> endpoint().get("/readyz").statusCode() == 200);
    }

    @Test
    void notReadyWhileTheBacklogIsOverTheThreshold() throws Exception {
        InMemoryStoreApplication app = start("-ready-max-backlog", "1", "-store-stale-after", "1h");
        app.store().setDown(true);
        MetricsEndpoint endpoint = endpoint();
        for (int segment = 0; segment < 2; segment++) {
            long sealed = MetricsEndpoint.value(endpoint.scrape(), "s3logger_segments_sealed_total");
            JsonClient.send(s3logger.address(), segment, 10, JsonClient.Shape.COMPACT_LINES);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> MetricsEndpoint.value(endpoint.scrape(), "s3logger_segments_sealed_total") > sealed);
        }

        HttpResponse<String> ready = endpoint.get("/readyz");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"backlog\":\"2 segments wait for upload (more than 1)\"")
                .contains("\"store\":\"ok\"");
        app.store().setDown(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> endpoint.get("/readyz").statusCode() == 200);
    }
}
