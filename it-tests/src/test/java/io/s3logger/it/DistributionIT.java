package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained distribution as users get it: the .tar.gz unpacked, its launcher run through a
 * symlink with only an old JDK on PATH or no java at all, the README's JVM flags, a runtime
 * holding every module the program needs, and its AOT caches used wherever it is unpacked.
 */
class DistributionIT {

    private static final Duration EXIT = Duration.ofSeconds(60);
    /** An installed JDK older than the program needs, where the machine has one. */
    private static final Path OLD_JDK_BIN = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin");

    @TempDir
    Path work;

    static Path built(String glob) throws IOException {
        Path target = PackagingIT.DISTRIBUTION.getParent();
        try (Stream<Path> files = Files.list(target)) {
            List<Path> matches = files.filter(target.getFileSystem().getPathMatcher("glob:" + target + "/" + glob)::matches)
                    .toList();
            assertThat(matches).as(glob + " in " + target).hasSize(1);
            return matches.getFirst();
        }
    }

    /** The tarball unpacked with tar, as users do; returns the s3logger directory. */
    private Path unpackTarball() throws Exception {
        Path into = Files.createDirectories(work.resolve("opt"));
        PackagingIT.Run tar = PackagingIT.Run.of(new ProcessBuilder("tar", "-xzf", built("s3logger-*.tar.gz").toString(),
                "-C", into.toString()).redirectErrorStream(true));
        assertThat(tar.status()).as(tar.output()).isZero();
        return into.resolve("s3logger");
    }

    private static ProcessBuilder withPath(ProcessBuilder builder, String path) {
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("JAVA") || name.startsWith("JDK_"));
        environment.put("PATH", path);
        return builder.redirectErrorStream(true);
    }

    /** Whether the bundled runtime is one the build makes an AOT cache for (JDK 25+, TrainingRun). */
    static boolean runtimeHasAotCache(Path distribution) throws IOException {
        return Files.readString(distribution.resolve("runtime/release")).matches("(?s).*JAVA_VERSION=\"(2[5-9]|[3-9][0-9]).*");
    }

    /**
     * Runs the launcher (or a command ending with it) with {@code -version} after these flags, with
     * these JAVA_OPTS and the JVM's class-loading log, and returns that log. It must hold nothing
     * else the JVM printed about the cache.
     */
    static String classLoading(List<String> launcher, List<String> flags, String... javaOptions) throws Exception {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(flags);
        command.add("-version");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("S3LOGGER_LOCAL_STORE");
        builder.environment().put("JAVA_OPTS", String.join(" ", javaOptions) + " -Xlog:class+load");
        PackagingIT.Run run = PackagingIT.Run.of(builder);
        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).as("nothing about the cache unless asked").doesNotContain("[aot]").doesNotContain("[cds]")
                .doesNotContain("[error");
        return run.output();
    }

    /** Where the program's main class came from: "shared objects file" (the AOT cache) or the jar's URL. */
    static String mainClassSource(String classLoading) {
        Matcher main = Pattern.compile("(?m)\\] io\\.s3logger\\.bootstrap\\.Main source: (.*)$").matcher(classLoading);
        assertThat(main.find()).as(classLoading).isTrue();
        return main.group(1);
    }

    /** Whether the S3 client's classes came from the cache, which the S3 store's cache loads at start. */
    static boolean s3ClientLoaded(String classLoading) {
        return classLoading.contains("] software.amazon.awssdk.services.s3.S3Client source: shared objects file");
    }

    @Test
    void theUnpackedDistributionStartsFromItsAotCachesWhereverItIsAndWithoutThemWhenTheJarWasTouched() throws Exception {
        Path unpacked = unpackTarball();
        if (!runtimeHasAotCache(unpacked)) {
            System.out.println("DistributionIT: the bundled runtime is older than JDK 25: no AOT cache to check");
            assertThat(unpacked.resolve("lib/s3logger.aot")).doesNotExist();
            assertThat(unpacked.resolve("lib/s3logger-local.aot")).doesNotExist();
            return;
        }
        assertThat(unpacked.resolve("lib/s3logger.aot")).isNotEmptyFile();
        assertThat(unpacked.resolve("lib/s3logger-local.aot")).isNotEmptyFile();
        // Moved after unpacking, under a name with a space: not where the build trained it.
        Path moved = Files.move(unpacked, Files.createDirectories(work.resolve("another place")).resolve("s3logger"));
        List<String> launcher = List.of(moved.resolve("bin/s3logger").toString());
        String s3 = classLoading(launcher, List.of());
        assertThat(mainClassSource(s3)).isEqualTo("shared objects file");
        assertThat(s3ClientLoaded(s3)).as("the S3 store's cache").isTrue();
        String local = classLoading(launcher, List.of("-local-store", work.resolve("objects").toString()));
        assertThat(mainClassSource(local)).isEqualTo("shared objects file");
        assertThat(s3ClientLoaded(local)).as("the local store's cache").isFalse();

        // A copy that did not keep the jar's time (cp without -p): the JVM cannot trust the cache,
        // and the program starts from the jar, quietly.
        Path jar = moved.resolve("lib/s3logger.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        assertThat(mainClassSource(classLoading(launcher, List.of()))).startsWith("file:").endsWith("/lib/s3logger.jar");
    }

    /** A PATH with the few tools the launcher uses and no java. */
    private String pathWithoutJava() throws IOException {
        Path tools = work.resolve("tools");
        if (!Files.isDirectory(tools)) {
            Files.createDirectories(tools);
            for (String tool : List.of("dirname", "readlink", "sed")) {
                Path found = Stream.of("/usr/bin", "/bin").map(dir -> Path.of(dir, tool)).filter(Files::isExecutable)
                        .findFirst().orElseThrow();
                Files.createSymbolicLink(tools.resolve(tool), found);
            }
        }
        return tools.toString();
    }

    /** The machine's own PATH with an old JDK first, where there is one, as on a fresh Debian 12. */
    private static String pathWithOldJava() {
        String system = "/usr/local/bin:/usr/bin:/bin";
        return Files.isExecutable(OLD_JDK_BIN.resolve("java")) ? OLD_JDK_BIN + ":" + system : system;
    }

    @Test
    void theLauncherRunsTheBundledRuntimeWhateverJavaIsOnPath() throws Exception {
        Path distribution = unpackTarball();
        Path launcher = distribution.resolve("bin/s3logger");
        assertThat(Files.getPosixFilePermissions(launcher)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        if (!Files.isExecutable(OLD_JDK_BIN.resolve("java"))) {
            System.out.println("DistributionIT: no JDK 17 at " + OLD_JDK_BIN + "; PATH has the machine's java, if any");
        }

        String expectedRuntime = "(Java " + Runtime.version().feature() + ".";
        for (String path : List.of(pathWithoutJava(), pathWithOldJava())) {
            PackagingIT.Run version = PackagingIT.Run.of(withPath(new ProcessBuilder(launcher.toString(), "-version"), path));
            assertThat(version.status()).as(path + ": " + version.output()).isZero();
            assertThat(version.output()).as("PATH=" + path).startsWith("s3logger ").contains(expectedRuntime);
        }
    }

    @Test
    void theUnpackedDistributionStoresAnObjectThroughASymlinkedLauncherAndExitsZeroOnSigterm() throws Exception {
        Path distribution = unpackTarball();
        Path link = Files.createSymbolicLink(Files.createDirectories(work.resolve("usr-local-bin")).resolve("s3logger"),
                distribution.resolve("bin/s3logger"));
        Path objects = work.resolve("objects");
        ProcessBuilder builder = withPath(new ProcessBuilder(link.toString(), "-local-store", objects.toString(),
                "-dir", work.resolve("spool").toString(), "-addr", "127.0.0.1:0", "-metrics-addr", "127.0.0.1:0"), pathWithOldJava())
                .directory(work.toFile());

        try (ChildProgram program = ChildProgram.start(builder)) {
            InetSocketAddress address = program.awaitListening();
            try (Socket socket = new Socket(address.getAddress(), address.getPort());
                    OutputStream out = socket.getOutputStream()) {
                out.write("{\"hello\":\"distribution\"}\n".getBytes(StandardCharsets.UTF_8));
            }
            program.awaitReceived(1);
            assertThat(program.terminate(EXIT)).as(program.outputText()).isZero();
        }
        List<Path> stored;
        try (Stream<Path> files = Files.walk(objects)) {
            stored = files.filter(Files::isRegularFile).toList();
        }
        assertThat(stored).singleElement().satisfies(file -> assertThat(gunzip(file)).isEqualTo("{\"hello\":\"distribution\"}\n"));
    }

    static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theLauncherPassesTheReadmesJvmFlagsThenJavaOpts() throws Exception {
        // The launcher next to a stand-in java that prints its arguments, one per line.
        Path distribution = Files.createDirectories(work.resolve("s3logger"));
        Files.createDirectories(distribution.resolve("bin"));
        Files.copy(PackagingIT.DISTRIBUTION.resolve("bin/s3logger"), distribution.resolve("bin/s3logger"));
        Files.createDirectories(distribution.resolve("runtime/bin"));
        Files.copy(PackagingIT.DISTRIBUTION.resolve("runtime/release"), distribution.resolve("runtime/release"));
        Path java = Files.writeString(distribution.resolve("runtime/bin/java"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        String readme = Files.readString(PackagingIT.DISTRIBUTION.getParent().getParent().getParent().resolve("README.md"));
        Matcher flags = Pattern.compile("(?m)^java (.*) -jar distribution/target/s3logger/lib/s3logger\\.jar").matcher(readme);
        assertThat(flags.find()).as("README's java command with its JVM flags").isTrue();
        List<String> readmeFlags = Arrays.asList(flags.group(1).split(" "));

        ProcessBuilder builder = withPath(new ProcessBuilder(distribution.resolve("bin/s3logger").toString(), "-bucket", "a b"),
                pathWithoutJava());
        builder.environment().put("JAVA_OPTS", "-Dx=1 -Xmx1g");
        PackagingIT.Run run = PackagingIT.Run.of(builder);
        assertThat(run.status()).as(run.output()).isZero();
        List<String> expected = new ArrayList<>(readmeFlags);
        expected.addAll(List.of("-Dx=1", "-Xmx1g", "-jar", distribution.toRealPath().resolve("lib/s3logger.jar").toString(),
                "-bucket", "a b"));
        expected.removeAll(List.of("-Xmx128m", "-Xmn40m"));
        if (!Files.readString(distribution.resolve("runtime/release")).matches("(?s).*JAVA_VERSION=\"(2[5-9]|[3-9][0-9]).*")) {
            // The README's flag for JDK 25+; the launcher leaves it out on an older runtime.
            readmeFlags = readmeFlags.stream().filter(flag -> !flag.startsWith("-XX:UserThreadWaitAttemptsAtExit")).toList();
            expected.remove("-XX:UserThreadWaitAttemptsAtExit=0");
        }
        assertThat(run.output().lines().toList()).as("JAVA_OPTS with a heap replaces the default one").isEqualTo(expected);

        builder.environment().put("JAVA_OPTS", "-Dx=1");
        assertThat(PackagingIT.Run.of(builder).output().lines().toList()).startsWith(readmeFlags.toArray(String[]::new))
                .contains("-Dx=1");

        // With the AOT caches beside the jar: the S3 store's, or the local store's when the flags or
        // the environment choose it; and, unless asked, quiet about it; before JAVA_OPTS.
        Files.createDirectories(distribution.resolve("lib"));
        Files.writeString(distribution.resolve("lib/s3logger.aot"), "");
        Files.writeString(distribution.resolve("lib/s3logger-local.aot"), "");
        Path home = distribution.toRealPath();
        assertThat(PackagingIT.Run.of(builder).output().lines().toList())
                .startsWith(withCache(readmeFlags, home.resolve("lib/s3logger.aot")));
        ProcessBuilder local = withPath(new ProcessBuilder(distribution.resolve("bin/s3logger").toString(), "-local-store", "o"),
                pathWithoutJava());
        local.environment().put("JAVA_OPTS", "-Dx=1");
        assertThat(PackagingIT.Run.of(local).output().lines().toList())
                .startsWith(withCache(readmeFlags, home.resolve("lib/s3logger-local.aot")));
        builder.environment().put("S3LOGGER_LOCAL_STORE", "o");
        assertThat(PackagingIT.Run.of(builder).output().lines().toList())
                .startsWith(withCache(readmeFlags, home.resolve("lib/s3logger-local.aot")));
        builder.environment().remove("S3LOGGER_LOCAL_STORE");
        for (String own : List.of("-XX:AOTCache=other.aot", "-XX:AOTCacheOutput=other.aot", "-XX:AOTMode=off", "-Xshare:off")) {
            builder.environment().put("JAVA_OPTS", own);
            assertThat(PackagingIT.Run.of(builder).output().lines().toList()).as("JAVA_OPTS=" + own + " chooses")
                    .contains(own).noneMatch(flag -> flag.contains("s3logger.aot") || flag.equals("-Xlog:aot=off"));
        }
    }

    private static String[] withCache(List<String> readmeFlags, Path cache) {
        List<String> flags = new ArrayList<>(readmeFlags);
        flags.addAll(List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Dx=1", "-jar"));
        return flags.toArray(String[]::new);
    }

    @Test
    void theRuntimeHoldsEveryModuleTheProgramNeeds() throws Exception {
        Path jdeps = ChildProgram.java().resolveSibling("jdeps");
        PackagingIT.Run needed = PackagingIT.Run.of(new ProcessBuilder(jdeps.toString(), "--multi-release",
                Integer.toString(Runtime.version().feature()), "--ignore-missing-deps", "--print-module-deps",
                ChildProgram.jar().toString()));
        assertThat(needed.status()).as(needed.output()).isZero();
        PackagingIT.Run present = PackagingIT.Run.of(new ProcessBuilder(
                PackagingIT.DISTRIBUTION.resolve("runtime/bin/java").toString(), "--list-modules"));
        assertThat(present.status()).isZero();
        List<String> modules = present.output().lines().map(line -> line.replaceAll("@.*", "")).toList();

        assertThat(modules).containsAll(Arrays.asList(needed.output().strip().split(",")))
                .as("providers jdeps cannot see: elliptic-curve TLS, DNS").contains("jdk.naming.dns")
                .doesNotContain("jdk.compiler", "java.sql", "jdk.jshell");
    }
}
