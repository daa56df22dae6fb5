package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3logger.bootstrap.CommandLine;
import io.s3logger.bootstrap.Settings;
import io.s3logger.bootstrap.SettingsLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile and the systemd unit against the program they package: the distribution the build
 * makes and its launcher, flags and variables the program accepts, JVM options its runtime accepts,
 * a non-root user, the spool where the volume or the package puts it, a health check that really
 * asks /readyz, the exit statuses of configuration errors, and a stop timeout longer than the
 * graceful stop. No Docker engine or systemd is needed: the files are read, the settings really
 * loaded, the program really run.
 */
class PackagingIT {

    private static final Path ROOT = ChildProgram.jar().getParent().getParent().getParent();
    /** The directory the distribution module makes: bin/s3logger, lib/, runtime/. */
    static final Path DISTRIBUTION = Path.of(System.getProperty("s3logger.distribution")).resolve("s3logger");
    /** How long the TCP listener waits for connections to hand over their objects when it closes. */
    private static final Duration LISTENER_CLOSE_WAIT = Duration.ofSeconds(10);
    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private static List<String> jsonArray(String text) {
        List<String> items = new ArrayList<>();
        Matcher item = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(text);
        while (item.find()) {
            items.add(item.group(1).replace("\\\\", "\\"));
        }
        return items;
    }

    /** Runs the distribution's launcher with this JAVA_OPTS; returns its exit status and output. */
    private static Run launcher(String javaOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(DISTRIBUTION.resolve("bin/s3logger").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_OPTS", javaOptions);
        return Run.of(builder);
    }

    private static Settings load(Map<String, String> environment, List<String> flags) throws Exception {
        return new SettingsLoader(environment).load(CommandLine.parse(flags));
    }

    /** KEY=value lines as systemd's EnvironmentFile and Docker's ENV read them (no quotes here). */
    static Map<String, String> environmentFile(Path file) throws IOException {
        Map<String, String> environment = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                environment.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return environment;
    }

    /** The [Service] settings of a unit file; repeated keys are joined with a space. */
    static Map<String, String> unitSettings(Path unitFile) throws IOException {
        Map<String, String> unit = new HashMap<>();
        for (String line : Files.readAllLines(unitFile)) {
            if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("[")) {
                int equals = line.indexOf('=');
                unit.merge(line.substring(0, equals), line.substring(equals + 1), (a, b) -> a + " " + b);
            }
        }
        return unit;
    }

    @Test
    void dockerfileRunsTheDistributionsLauncherAsANumericNonRootUserWithTheSpoolAsAVolume() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));

        assertThat(dockerfile).as("the build needs no C compiler or system library")
                .doesNotContain("gcc").doesNotContain("libdeflate").doesNotContain("apt-get");
        Matcher build = Pattern.compile("(?m)^FROM maven:3\\.9-eclipse-temurin-(\\d+) AS build$").matcher(dockerfile);
        assertThat(build.find()).isTrue();
        assertThat(Integer.parseInt(build.group(1))).as("a JDK the build accepts").isGreaterThanOrEqualTo(21);
        assertThat(dockerfile).containsPattern("(?m)^RUN .*mvn -B .*-pl distribution -am .*package$");

        Matcher copy = Pattern.compile("(?m)^COPY --from=build /src/(\\S+) (\\S+)$").matcher(dockerfile);
        assertThat(copy.find()).as("COPY of the distribution from the build stage").isTrue();
        assertThat(ROOT.resolve(copy.group(1)).toRealPath()).isEqualTo(DISTRIBUTION.toRealPath());
        String distributionInImage = copy.group(2);
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])$").matcher(dockerfile);
        assertThat(entrypoint.find()).isTrue();
        assertThat(jsonArray(entrypoint.group(1))).containsExactly(distributionInImage + "/bin/s3logger");

        Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(dockerfile);
        assertThat(user.find()).as("USER uid:gid, numeric for runAsNonRoot").isTrue();
        assertThat(Integer.parseInt(user.group(1))).isPositive();

        // The image's JAVA_OPTS replace the launcher's fixed heap with a share of the memory limit.
        Matcher javaOptions = Pattern.compile("(?m)^ENV JAVA_OPTS=\"([^\"]*)\"$").matcher(dockerfile);
        assertThat(javaOptions.find()).isTrue();
        Run run = launcher(javaOptions.group(1) + " -XX:+PrintCommandLineFlags", "-version");
        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("s3logger ").contains("-XX:MaxRAMPercentage=75")
                .contains("-XX:+UseSerialGC").contains("-XX:+ExitOnOutOfMemoryError")
                .as("no -Xmx128m -Xmn40m").doesNotContain("-XX:MaxHeapSize=134217728").doesNotContain("-XX:MaxNewSize=41943040");
        if (DistributionIT.runtimeHasAotCache(DISTRIBUTION)) {
            // The image copies the directory with the AOT cache; its heap setting keeps the cache usable.
            assertThat(DistributionIT.mainClassSource(DistributionIT.classLoading(
                    List.of(DISTRIBUTION.resolve("bin/s3logger").toString()), List.of(), javaOptions.group(1))))
                    .isEqualTo("shared objects file");
        }

        Map<String, String> environment = new HashMap<>();
        Matcher env = Pattern.compile("(S3LOGGER_\\w+)=\"([^\"]*)\"").matcher(dockerfile);
        while (env.find()) {
            environment.put(env.group(1), env.group(2));
        }
        Settings settings = load(environment, List.of("-bucket", "b"));
        assertThat(settings.listen().host()).as("listens beyond the container").isEqualTo("0.0.0.0");
        assertThat(settings.listen().port()).isEqualTo(8080);
        assertThat(settings.monitoring().address()).contains(InetSocketAddress.createUnresolved("0.0.0.0", 9464));
        assertThat(dockerfile).containsPattern("(?m)^EXPOSE 8080 9464$")
                .containsPattern("(?m)^VOLUME \\[\"" + Pattern.quote(settings.spool().dir().toString()) + "\"]$");
        assertThat(load(environment, List.of("-bucket", "b", "-addr", "127.0.0.1:9000")).listen().port())
                .as("the listener address is overridable").isEqualTo(9000);
    }

    @Test
    void dockerHealthCheckAsksReadyzOnTheMonitoringPort() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        Matcher healthcheck = Pattern.compile("(?m)^ +CMD (\\[.*])$").matcher(
                dockerfile.substring(dockerfile.indexOf("\nHEALTHCHECK ")));
        assertThat(healthcheck.find()).isTrue();
        List<String> command = jsonArray(healthcheck.group(1));
        assertThat(command.getFirst()).isEqualTo("bash");
        String script = command.getLast();
        assertThat(script).contains("/dev/tcp/127.0.0.1/9464").contains("GET /readyz ");

        // The same command against the real program's monitoring port, then against a closed port.
        try (ChildProgram program = ChildProgram.start("-addr", "127.0.0.1:0", "-metrics-addr", "127.0.0.1:0",
                "-dir", work.resolve("spool").toString(), "-local-store", work.resolve("objects").toString())) {
            program.awaitListening();
            int monitoringPort = program.metrics().port();
            List<String> probe = new ArrayList<>(command);
            probe.set(probe.size() - 1, script.replace("/9464", "/" + monitoringPort));
            Run healthy = Run.of(new ProcessBuilder(probe).redirectErrorStream(true));
            assertThat(healthy.status()).as(healthy.output()).isZero();
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        List<String> probe = new ArrayList<>(command);
        probe.set(probe.size() - 1, script.replace("/9464", "/" + closedPort));
        assertThat(Run.of(new ProcessBuilder(probe).redirectErrorStream(true)).status()).isNotZero();
    }

    @Test
    void systemdUnitRunsTheLauncherAsTheSystemUserWithTheSpoolWritableAndWaitsForTheGracefulStop() throws Exception {
        Map<String, String> unit = unitSettings(ROOT.resolve("packaging/systemd/s3logger.service"));

        assertThat(unit).containsEntry("NoNewPrivileges", "yes").containsEntry("ProtectSystem", "strict")
                .containsEntry("User", "s3logger").containsEntry("Group", "s3logger")
                .containsEntry("KillSignal", "SIGTERM").doesNotContainKey("DynamicUser");

        List<String> execStart = Arrays.asList(unit.get("ExecStart").split("\\s+"));
        Path launcher = Path.of(execStart.getFirst());
        assertThat(launcher.startsWith("/opt/s3logger")).as("the launcher in the package's directory: " + launcher).isTrue();
        assertThat(DISTRIBUTION.resolve(Path.of("/opt/s3logger").relativize(launcher))).isExecutable();
        assertThat(Path.of(unit.get("EnvironmentFile")).getFileName().toString()).isEqualTo("s3logger.env");

        Map<String, String> environment = environmentFile(ROOT.resolve("packaging/systemd/s3logger.env"));
        List<String> flags = new ArrayList<>(execStart.subList(1, execStart.size()));
        flags.addAll(List.of("-bucket", "b"));
        Settings settings = load(environment, flags);
        assertThat(settings.spool().dir()).isEqualTo(Path.of("/var/spool/s3logger"));
        assertThat(unit.get("ReadWritePaths").split(" ")).contains(settings.spool().dir().toString());
        assertThat(settings.store()).isInstanceOf(Settings.S3Store.class);

        Duration stopTimeout = Duration.ofSeconds(Long.parseLong(unit.get("TimeoutStopSec")));
        assertThat(stopTimeout).as("TimeoutStopSec beyond the listener's close wait plus -shutdown-timeout")
                .isGreaterThan(settings.delivery().shutdownTimeout().plus(LISTENER_CLOSE_WAIT));
    }

    @Test
    void restartPreventExitStatusCoversEveryConfigurationErrorAndNotATakenPort() throws Exception {
        Map<String, String> unit = unitSettings(ROOT.resolve("packaging/systemd/s3logger.service"));
        Set<Integer> preventRestart = new HashSet<>();
        for (String status : unit.get("RestartPreventExitStatus").split("\\s+")) {
            preventRestart.add(Integer.parseInt(status));
        }
        List<String> execStart = Arrays.asList(unit.get("ExecStart").split("\\s+"));
        List<String> unitFlags = new ArrayList<>(execStart.subList(1, execStart.size()));
        unitFlags.replaceAll(flag -> flag.equals("/var/spool/s3logger") ? work.resolve("spool").toString() : flag);
        Map<String, String> shipped = environmentFile(ROOT.resolve("packaging/systemd/s3logger.env"));
        shipped.put("S3LOGGER_ADDR", "127.0.0.1:0");
        shipped.put("S3LOGGER_MONITORING_ADDR", "");
        Path notPem = Files.writeString(work.resolve("not.pem"), "not a certificate\n");
        String objects = work.resolve("objects").toString();

        Map<String, List<String>> configurationErrors = Map.of(
                "the package's settings before a store is chosen", List.of(),
                "a bad duration", List.of("-local-store", objects, "-t", "5 minutes"),
                "an unknown flag", List.of("-local-store", objects, "-no-such-flag", "1"),
                "an unreadable TLS certificate", List.of("-local-store", objects, "-tls-cert", notPem.toString(),
                        "-tls-key", notPem.toString()));
        for (Map.Entry<String, List<String>> error : configurationErrors.entrySet()) {
            List<String> flags = new ArrayList<>(unitFlags);
            flags.addAll(error.getValue());
            try (ChildProgram program = ChildProgram.start(shipped, flags.toArray(String[]::new))) {
                int status = program.awaitExit(EXIT);
                assertThat(status).as(error.getKey() + ": " + program.outputText()).isNotZero();
                assertThat(preventRestart).as(error.getKey() + " exits " + status + ": no restart").contains(status);
            }
        }

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> flags = new ArrayList<>(unitFlags);
            flags.addAll(List.of("-local-store", objects, "-addr", "127.0.0.1:" + taken.getLocalPort()));
            try (ChildProgram program = ChildProgram.start(shipped, flags.toArray(String[]::new))) {
                int status = program.awaitExit(EXIT);
                assertThat(status).as(program.outputText()).isNotZero();
                assertThat(preventRestart).as("a taken port may free up: systemd restarts").doesNotContain(status);
            }
        }
    }

    @Test
    void readmesFirstCommandsAreTheTestCommandCiRunsAndTheDistributionsLauncher() throws Exception {
        Matcher block = Pattern.compile("(?s)```sh\n(.*?)\n```").matcher(Files.readString(ROOT.resolve("README.md")));
        assertThat(block.find()).isTrue();
        String testCommand = block.group(1);
        assertThat(testCommand).isEqualTo("mvn -B verify");
        assertThat(block.find()).isTrue();
        List<String> runCommand = Arrays.asList(block.group(1).split(" "));
        assertThat(ROOT.resolve(runCommand.getFirst()).toRealPath()).isEqualTo(DISTRIBUTION.resolve("bin/s3logger").toRealPath());
        assertThat(load(Map.of(), runCommand.subList(1, runCommand.size())).store()).isInstanceOf(Settings.LocalStore.class);

        List<String> ciCommands = Files.readAllLines(ROOT.resolve(".ci/run")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertThat(ciCommands).containsExactly("set -euo pipefail", "cd \"$(dirname \"$0\")/..\"", testCommand);
    }

    /** A finished process's exit status and output. */
    record Run(int status, String output) {

        static Run of(ProcessBuilder builder) throws IOException, InterruptedException {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", builder.command())).isTrue();
            return new Run(process.exitValue(), output);
        }
    }
}
