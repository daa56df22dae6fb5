package io.s3logger.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/** The fat jar as a child process, with its output collected line by line. */
final class ChildProgram implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on \\S*:(\\d+)");
    private static final Pattern SERVING = Pattern.compile("Serving /metrics.* on http://([^:\\s]+):(\\d+)");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread pump;

    private ChildProgram(Process process) {
        this.process = process;
        this.pump = Thread.ofPlatform().daemon().start(this::pumpOutput);
    }

    static Path jar() {
        return Path.of(System.getProperty("s3logger.jar"));
    }

    /** The java of the JDK the build selected (its toolchain), which runs these tests too. */
    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static ChildProgram start(Map<String, String> environment, String... flags) throws IOException {
        return start(environment, List.of(), flags);
    }

    /** With JVM options before {@code -jar}, such as {@code -Xmx256m}. */
    static ChildProgram start(Map<String, String> environment, List<String> jvmOptions, String... flags) throws IOException {
        List<String> command = new ArrayList<>(List.of(java().toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return start(builder);
    }

    /** Any command that runs the program (a launcher, a unit's ExecStart), its output collected the same way. */
    static ChildProgram start(ProcessBuilder builder) throws IOException {
        // A taken -metrics-addr stops the program: unless a test chooses one, a free port, so that
        // programs of tests running side by side (or anything else on localhost:9464) don't collide.
        builder.environment().putIfAbsent("S3LOGGER_MONITORING_ADDR", "127.0.0.1:0");
        return new ChildProgram(builder.redirectErrorStream(true).start());
    }

    static ChildProgram start(String... flags) throws IOException {
        return start(Map.of(), flags);
    }

    /** Waits for the start-up line and returns the address the program listens on. */
    InetSocketAddress awaitListening() {
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .failFast("program exited:\n" + String.join("\n", output), () -> !process.isAlive())
                .until(() -> output.stream().anyMatch(line -> LISTENING.matcher(line).find()));
        for (String line : output) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                return new InetSocketAddress("127.0.0.1", Integer.parseInt(matcher.group(1)));
            }
        }
        throw new AssertionError("unreachable");
    }

    /** The monitoring listener named in the start-up lines (after {@link #awaitListening()}). */
    MetricsEndpoint metrics() {
        Matcher serving = SERVING.matcher(outputText());
        if (!serving.find()) {
            throw new AssertionError("no monitoring listener in:\n" + outputText());
        }
        return new MetricsEndpoint(new InetSocketAddress(serving.group(1), Integer.parseInt(serving.group(2))));
    }

    /** Waits until the program has received this many objects: a SIGTERM then stores them. */
    void awaitReceived(long objects) {
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .failFast("program exited:\n" + String.join("\n", output), () -> !process.isAlive())
                .until(() -> MetricsEndpoint.value(metrics().scrape(), "s3logger_objects_received_total") == objects);
    }

    /**
     * Sends SIGTERM and returns the exit status. Through the process handle: Process.destroy
     * would also close our end of the child's output, losing its last lines.
     */
    int terminate(Duration atMost) throws InterruptedException {
        process.toHandle().destroy();
        return awaitExit(atMost);
    }

    int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("program did not exit within " + atMost + ":\n" + String.join("\n", output));
        }
        pump.join(Duration.ofSeconds(10));
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs; returns once the process is gone. */
    void kill(Duration atMost) throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("program did not die within " + atMost);
        }
        pump.join(Duration.ofSeconds(10));
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> output() {
        return List.copyOf(output);
    }

    String outputText() {
        return String.join("\n", output);
    }

    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException e) {
            output.add("(output closed: " + e + ")");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
