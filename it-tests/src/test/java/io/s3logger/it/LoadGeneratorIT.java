package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3logger.domain.testing.LogEventGenerator;
import io.s3logger.it.bench.LoadGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Smoke run of the benchmark's load generator: it works, and what it sends is stored exactly. No timing is asserted. */
class LoadGeneratorIT {

    @TempDir
    Path spool;

    @RegisterExtension
    final InProcessPrograms programs = new InProcessPrograms();

    @Test
    void everyGeneratedObjectIsStoredOnce() throws Exception {
        InMemoryStoreApplication app = programs.start(spool);
        LogEventGenerator.Sample sample = LogEventGenerator.generate(1_000_000, 1);

        Instant before = Instant.now();
        LoadGenerator.Result result = LoadGenerator.run(app.s3logger().address(), 3, sample, 2);
        Instant after = Instant.now();
        programs.stop(app);

        List<String> sampleLines = new String(sample.bytes(), StandardCharsets.UTF_8).lines().toList();
        List<String> stored = StoredObjects.allLines(app.store().objects().values());
        assertThat(result.objects()).isEqualTo(6L * sampleLines.size());
        assertThat(stored).hasSize((int) result.objects());
        assertThat(stored.stream().distinct().sorted().toList()).isEqualTo(sampleLines.stream().distinct().sorted().toList());
        assertThat(sample.bytes().length).isBetween(1_000_000, 1_001_000);
        assertThat(sampleLines).allSatisfy(line -> assertThat(line.length()).isBetween(150, 900));
        // load.sh times the sealed interval from start_epoch_ns: the wall-clock instant the sending began
        assertThat(result.startEpochNanos()).isBetween(epochNanos(before), epochNanos(after));
        assertThat(result.toString()).contains(" bytes=" + result.bytes() + " ", " objects=" + result.objects() + " ")
                .endsWith(" start_epoch_ns=" + result.startEpochNanos());
    }

    @Test
    void aPacedRunSendsEverythingAndNoFasterThanItsRate() throws Exception {
        InMemoryStoreApplication app = programs.start(spool);
        LogEventGenerator.Sample sample = LogEventGenerator.generate(1_000_000, 1);
        double bytesPerSecond = 4e6;

        LoadGenerator.Result result = LoadGenerator.run(app.s3logger().address(), 2, sample, 2, bytesPerSecond);
        programs.stop(app);

        assertThat(StoredObjects.allLines(app.store().objects().values())).hasSize((int) result.objects());
        // Each connection sends its first 64 KiB chunk at once, the rest on schedule.
        double scheduledSeconds = (result.bytes() - 2 * 64 * 1024) / bytesPerSecond;
        assertThat(result.elapsed().toNanos() / 1e9).isGreaterThanOrEqualTo(scheduledSeconds);
    }

    private static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
