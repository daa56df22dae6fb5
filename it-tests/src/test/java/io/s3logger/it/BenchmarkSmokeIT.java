package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The end-to-end benchmark works: it-tests/bench/load.sh -smoke runs the distribution's launcher
 * with a few megabytes per variant and connection count, on the local store and on S3Proxy, and
 * prints its table. Its numbers are not checked
 * (speed is measured by the full benchmark, docs/PERFORMANCE.md), but every run must deliver
 * everything, which the script itself checks.
 */
class BenchmarkSmokeIT {

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void theLoadBenchmarkRunsEndToEnd(String store) throws Exception {
        Path root = ChildProgram.jar().getParent().getParent().getParent();
        Path javaHome = ChildProgram.java().getParent().getParent();
        ProcessBuilder builder = new ProcessBuilder("bash", "it-tests/bench/load.sh", "-smoke", "-store", store)
                .directory(root.toFile())
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", javaHome.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("smoke run complete")
                .contains("store: " + store)
                .containsPattern("compact +1 conn run 1: read +[0-9.]+ MB/s, sealed +[0-9.]+ MB/s, .*cpu +[0-9.]+ s \\([0-9.]+ s/GB; [0-9.]+ after listening\\), .*"
                        + "(pigz -1 -p 2|gzip -1) +[0-9.]+ MB/s \\([0-9]+ MB, cpu [0-9.]+ s\\), ratio [0-9.]+\n")
                .containsPattern("pretty +8 conn run 1: read")
                .containsPattern("cpu by thread: .*compression [0-9.]+ s.*\n")
                .containsPattern("compact 8: [0-9.]+ .* \\| [0-9.]+ \\([0-9.]+-[0-9.]+\\) \\| [0-9.]+ \\([0-9.]+-[0-9.]+\\)\n");
    }
}
