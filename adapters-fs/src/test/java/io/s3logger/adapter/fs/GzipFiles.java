package io.s3logger.adapter.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/** Reading test results back with independent gzip readers, and test lines. */
final class GzipFiles {

    private GzipFiles() {}

    /** {@code count} distinct lines starting at number {@code first}. */
    static List<String> lines(int first, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            lines.add("{\"n\":" + i + ",\"msg\":\"line " + i + "\"}\n");
        }
        return lines;
    }

    static byte[] bytes(List<String> lines) {
        return String.join("", lines).getBytes(StandardCharsets.UTF_8);
    }

    /** The whole file through {@link GZIPInputStream}, which reads every member. */
    static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    /** The file through the real {@code gzip -dc}, or empty if there is no gzip on the PATH. */
    static Optional<byte[]> gzipCommand(Path file) throws IOException, InterruptedException {
        if (!onPath("gzip")) {
            return Optional.empty();
        }
        Process gzip = new ProcessBuilder("gzip", "-dc", file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = gzip.getInputStream()) {
            in.transferTo(out);
        }
        assertThat(gzip.waitFor(30, TimeUnit.SECONDS)).as("gzip finished").isTrue();
        assertThat(gzip.exitValue()).as("gzip -dc exit status").isZero();
        return Optional.of(out.toByteArray());
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
