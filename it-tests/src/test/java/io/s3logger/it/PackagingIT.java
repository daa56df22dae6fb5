package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3logger.bootstrap.CommandLine;
import io.s3logger.bootstrap.Settings;
import io.s3logger.bootstrap.SettingsLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile and the systemd unit against the program they package: the jar path the build
 * makes, flags and variables the program accepts, JVM options this JVM accepts, a non-root user,
 * the spool where the volume or state directory is, and a stop timeout longer than the graceful
 * stop. No Docker engine or systemd is needed: the files are read, the settings really loaded.
 */
class PackagingIT {

    private static final Path ROOT = Path.of(System.getProperty("s3logger.jar")).getParent().getParent().getParent();
    /** How long the TCP listener waits for connections to hand over their objects when it closes. */
    private static final Duration LISTENER_CLOSE_WAIT = Duration.ofSeconds(10);

    /** The fat jar's path in the repository, as the shade plugin writes it. */
    private static String builtJar() throws IOException {
        String pom = Files.readString(ROOT.resolve("bootstrap/pom.xml"));
        Matcher output = Pattern.compile("<outputFile>\\$\\{project.build.directory}/([^<]+)</outputFile>").matcher(pom);
        assertThat(output.find()).as("shade outputFile in bootstrap/pom.xml").isTrue();
        return "bootstrap/target/" + output.group(1);
    }

    private static List<String> jsonArray(String text) {
        List<String> items = new ArrayList<>();
        Matcher item = Pattern.compile("\"([^\"]*)\"").matcher(text);
        while (item.find()) {
            items.add(item.group(1));
        }
        return items;
    }

    /** Runs this JVM with the given options on the real fat jar's -version: the options must be accepted. */
    private static void assertJvmAccepts(List<String> jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(System.getProperty("s3logger.java")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", System.getProperty("s3logger.jar"), "-version"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        assertThat(output).startsWith("s3logger ");
    }

    private static Settings load(Map<String, String> environment, List<String> flags) throws Exception {
        return new SettingsLoader(environment).load(CommandLine.parse(flags));
    }

    @Test
    void dockerfileBuildsTheJarRunsItAsNonRootWithTheSpoolAsAVolume() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));

        assertThat(dockerfile).containsPattern("(?m)^FROM maven:3\\.9-eclipse-temurin-21 AS build$")
                .containsPattern("(?m)^FROM eclipse-temurin:21-jre$");
        Matcher copy = Pattern.compile("(?m)^COPY --from=build /src/(\\S+) (\\S+)$").matcher(dockerfile);
        assertThat(copy.find()).as("COPY of the jar from the build stage").isTrue();
        assertThat(copy.group(1)).isEqualTo(builtJar());
        String jarInImage = copy.group(2);

        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])$").matcher(dockerfile);
        assertThat(entrypoint.find()).isTrue();
        List<String> command = jsonArray(entrypoint.group(1));
        assertThat(command.getFirst()).isEqualTo("java");
        int jar = command.indexOf("-jar");
        assertThat(command.get(jar + 1)).isEqualTo(jarInImage);
        assertJvmAccepts(command.subList(1, jar));

        Matcher user = Pattern.compile("(?m)^USER (\\S+)$").matcher(dockerfile);
        assertThat(user.find()).isTrue();
        assertThat(user.group(1)).doesNotStartWith("root").doesNotStartWith("0");

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
    void systemdUnitIsHardenedKeepsTheSpoolInItsStateDirectoryAndWaitsForTheGracefulStop() throws Exception {
        Map<String, String> unit = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("packaging/systemd/s3logger.service"))) {
            if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("[")) {
                int equals = line.indexOf('=');
                unit.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }

        assertThat(unit).containsEntry("NoNewPrivileges", "yes").containsEntry("ProtectSystem", "strict")
                .containsEntry("DynamicUser", "yes").containsEntry("User", "s3logger")
                .containsEntry("KillSignal", "SIGTERM").containsEntry("RestartPreventExitStatus", "2");

        String javaOptions = unit.get("Environment").replaceAll("^\"JAVA_OPTS=(.*)\"$", "$1");
        List<String> execStart = new ArrayList<>(Arrays.asList(unit.get("ExecStart")
                .replace("$JAVA_OPTS", javaOptions).split("\\s+")));
        assertThat(execStart.getFirst()).endsWith("/java");
        int jar = execStart.indexOf("-jar");
        assertThat(Path.of(execStart.get(jar + 1)).getFileName()).isEqualTo(Path.of(builtJar()).getFileName());
        assertJvmAccepts(execStart.subList(1, jar));

        Map<String, String> environment = new HashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("packaging/systemd/s3logger.env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                environment.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        Settings settings = load(environment, execStart.subList(jar + 2, execStart.size()));
        assertThat(settings.spool().dir()).isEqualTo(Path.of("/var/lib", unit.get("StateDirectory")));
        assertThat(settings.store()).isInstanceOf(Settings.S3Store.class);

        Duration stopTimeout = Duration.ofSeconds(Long.parseLong(unit.get("TimeoutStopSec")));
        assertThat(stopTimeout).as("TimeoutStopSec beyond the listener's close wait plus -shutdown-timeout")
                .isGreaterThan(settings.delivery().shutdownTimeout().plus(LISTENER_CLOSE_WAIT));
    }
}
