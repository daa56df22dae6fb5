package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb: its metadata and contents, and, where this runs as root with dpkg, a real install, a
 * run exactly as its own unit's ExecStart line says (as the unit's user, with its environment
 * file; systemd need not run), a stop with SIGTERM and a purge that leaves nothing behind.
 */
class DebianPackageIT {

    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final Path UNIT = Path.of("/lib/systemd/system/s3logger.service");
    private static final Path SPOOL = Path.of("/var/spool/s3logger");
    private static final Path CONFIGURATION = Path.of("/etc/s3logger");

    @TempDir
    Path work;

    private static PackagingIT.Run run(String... command) throws Exception {
        return PackagingIT.Run.of(new ProcessBuilder(command).redirectErrorStream(true));
    }

    private static boolean onPath(String tool) {
        return Stream.of("/usr/bin", "/bin", "/usr/sbin", "/sbin").anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    private static void assumeTool(String tool) {
        if (!onPath(tool)) {
            System.out.println("DebianPackageIT: skipped, no " + tool + " on this machine");
        }
        Assumptions.assumeTrue(onPath(tool), "no " + tool);
    }

    @Test
    void thePackageHasItsMetadataTheDistributionTheUnitAndTheConffile() throws Exception {
        assumeTool("dpkg-deb");
        Path deb = DistributionIT.built("s3logger_*.deb");

        PackagingIT.Run info = run("dpkg-deb", "-I", deb.toString());
        assertThat(info.status()).as(info.output()).isZero();
        assertThat(info.output()).containsPattern("(?m)^ Package: s3logger$")
                .containsPattern("(?m)^ Architecture: " + ("aarch64".equals(System.getProperty("os.arch")) ? "arm64" : "amd64") + "$")
                .containsPattern("(?m)^ Version: \\d+\\.\\d+\\.\\d+")
                .containsPattern("(?m)^ Depends: adduser$")
                .containsPattern("(?m)^ Installed-Size: \\d+$")
                .contains("postinst").contains("prerm").contains("postrm").contains("conffiles");
        PackagingIT.Run listedConffiles = run("sh", "-c", "dpkg-deb --ctrl-tarfile '" + deb + "' | tar -xOf - ./conffiles");
        assertThat(listedConffiles.output().lines()).containsExactly("/etc/s3logger/s3logger.env");

        PackagingIT.Run contents = run("dpkg-deb", "-c", deb.toString());
        assertThat(contents.status()).as(contents.output()).isZero();
        String unitLauncher = PackagingIT.unitSettings(PackagingIT.DISTRIBUTION.getParent().getParent().getParent()
                .resolve("packaging/systemd/s3logger.service")).get("ExecStart").split(" ")[0];
        assertThat(contents.output())
                .containsPattern("(?m)^-rwxr-xr-x root/root .* \\." + unitLauncher + "$")
                .containsPattern("(?m)^-rwxr-xr-x root/root .* \\./opt/s3logger/runtime/bin/java$")
                .containsPattern("(?m)^-rw-r--r-- root/root .* \\./opt/s3logger/lib/s3logger\\.jar$")
                .containsPattern("(?m)^-rw-r--r-- root/root .* \\./opt/s3logger/runtime/lib/modules$")
                .containsPattern("(?m)^-rw-r--r-- root/root .* \\./lib/systemd/system/s3logger\\.service$")
                .containsPattern("(?m)^-rw------- root/root .* \\./etc/s3logger/s3logger\\.env$")
                .doesNotContain("/var/spool/s3logger");
    }

    @Test
    void theUnpackedPackageStartsFromItsAotCache() throws Exception {
        assumeTool("dpkg-deb");
        boolean cache = DistributionIT.runtimeHasAotCache(PackagingIT.DISTRIBUTION);
        if (!cache) {
            System.out.println("DebianPackageIT: cache test skipped, the bundled runtime is older than JDK 25 (no AOT cache)");
        }
        Assumptions.assumeTrue(cache, "runtime older than JDK 25");
        PackagingIT.Run contents = run("dpkg-deb", "-c", DistributionIT.built("s3logger_*.deb").toString());
        assertThat(contents.output()).containsPattern("(?m)^-rw-r--r-- root/root .* \\./opt/s3logger/lib/s3logger\\.aot$")
                .containsPattern("(?m)^-rw-r--r-- root/root .* \\./opt/s3logger/lib/s3logger-local\\.aot$");
        // dpkg gives the files the times the package holds, which the cache must agree with.
        PackagingIT.Run unpack = run("dpkg-deb", "-x", DistributionIT.built("s3logger_*.deb").toString(), work.toString());
        assertThat(unpack.status()).as(unpack.output()).isZero();
        List<String> launcher = List.of(work.resolve("opt/s3logger/bin/s3logger").toString());
        assertThat(DistributionIT.mainClassSource(DistributionIT.classLoading(launcher, List.of()))).isEqualTo("shared objects file");
        assertThat(DistributionIT.mainClassSource(DistributionIT.classLoading(launcher, List.of("-local-store", "objects"))))
                .isEqualTo("shared objects file");
    }

    @Test
    void installsRunsFromItsOwnUnitAsItsUserStopsOnSigtermAndPurgesWithoutATrace() throws Exception {
        assumeTool("dpkg");
        assumeTool("setpriv");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            System.out.println("DebianPackageIT: install test skipped, not running as root");
        }
        Assumptions.assumeTrue(root, "not root");
        boolean clean = run("dpkg-query", "-W", "s3logger").status() != 0 && run("getent", "passwd", "s3logger").status() != 0
                && run("getent", "group", "s3logger").status() != 0 && !Files.exists(SPOOL) && !Files.exists(CONFIGURATION);
        if (!clean) {
            System.out.println("DebianPackageIT: install test skipped, this machine already has an s3logger package, user or directory");
        }
        Assumptions.assumeTrue(clean, "s3logger already present");

        Path deb = DistributionIT.built("s3logger_*.deb");
        try {
            PackagingIT.Run install = run("dpkg", "-i", deb.toString());
            assertThat(install.status()).as(install.output()).isZero();
            assertInstalled();
            if (DistributionIT.runtimeHasAotCache(PackagingIT.DISTRIBUTION)) {
                assertThat(DistributionIT.mainClassSource(DistributionIT.classLoading(List.of("setpriv", "--reuid=s3logger",
                        "--regid=s3logger", "--init-groups", "--", "/opt/s3logger/bin/s3logger"), List.of())))
                        .as("as the unit's user").isEqualTo("shared objects file");
            }
            runAsTheUnitSays();
        } finally {
            PackagingIT.Run purge = run("dpkg", "--purge", "s3logger");
            assertThat(purge.status()).as(purge.output()).isZero();
        }
        assertThat(run("getent", "passwd", "s3logger").status()).as("user removed").isNotZero();
        assertThat(run("getent", "group", "s3logger").status()).as("group removed").isNotZero();
        assertThat(run("dpkg-query", "-W", "-f", "${db:Status-Status}", "s3logger").output()).doesNotContain("installed");
        for (Path gone : List.of(SPOOL, CONFIGURATION, Path.of("/opt/s3logger"), UNIT)) {
            assertThat(gone).as("purged").doesNotExist();
        }
    }

    private static void assertInstalled() throws Exception {
        PackagingIT.Run user = run("getent", "passwd", "s3logger");
        assertThat(user.status()).isZero();
        String[] passwd = user.output().strip().split(":");
        assertThat(Integer.parseInt(passwd[2])).as("a system user").isBetween(1, 999);
        assertThat(passwd[6]).endsWith("nologin");

        PosixFileAttributes spool = Files.readAttributes(SPOOL, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(spool.owner().getName()).isEqualTo("s3logger");
        assertThat(spool.group().getName()).isEqualTo("s3logger");
        assertThat(spool.permissions()).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        PosixFileAttributes environment = Files.readAttributes(CONFIGURATION.resolve("s3logger.env"), PosixFileAttributes.class);
        assertThat(environment.owner().getName()).isEqualTo("root");
        assertThat(environment.permissions()).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        PackagingIT.Run conffiles = run("dpkg-query", "-W", "-f", "${Conffiles}", "s3logger");
        assertThat(conffiles.output()).contains("/etc/s3logger/s3logger.env");
        assertThat(UNIT).isRegularFile();
        try (Stream<Path> wants = Files.exists(Path.of("/etc/systemd/system"))
                ? Files.walk(Path.of("/etc/systemd/system")) : Stream.empty()) {
            assertThat(wants.map(Path::getFileName).map(Path::toString)).as("not enabled").doesNotContain("s3logger.service");
        }
    }

    /** The installed unit's ExecStart as its User and Group, with its EnvironmentFile, as systemd would. */
    private void runAsTheUnitSays() throws Exception {
        Map<String, String> unit = PackagingIT.unitSettings(UNIT);
        Path objects = Files.createDirectories(work.resolve("objects"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        UserPrincipal s3logger = work.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(unit.get("User"));
        Files.setOwner(objects, s3logger);

        // The administrator's part: a store and local addresses in the conffile.
        Path environmentFile = Path.of(unit.get("EnvironmentFile"));
        Files.writeString(environmentFile, Files.readString(environmentFile)
                .replace("S3LOGGER_ADDR=0.0.0.0:8080", "S3LOGGER_ADDR=127.0.0.1:0")
                .replace("S3LOGGER_MONITORING_ADDR=localhost:9464", "S3LOGGER_MONITORING_ADDR=127.0.0.1:0")
                + "S3LOGGER_LOCAL_STORE=" + objects + "\n");

        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + unit.get("User"), "--regid=" + unit.get("Group"),
                "--init-groups", "--"));
        command.addAll(Arrays.asList(unit.get("ExecStart").split("\\s+")));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("/").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        builder.environment().putAll(PackagingIT.environmentFile(environmentFile));

        String output;
        try (ChildProgram program = ChildProgram.start(builder)) {
            InetSocketAddress address = program.awaitListening();
            assertThat(program.outputText()).contains("spool /var/spool/s3logger");
            try (Socket socket = new Socket(address.getAddress(), address.getPort());
                    OutputStream out = socket.getOutputStream()) {
                out.write("{\"hello\":\"deb\"}\n".getBytes(StandardCharsets.UTF_8));
            }
            program.awaitReceived(1);
            assertThat(program.terminate(EXIT)).as(program.outputText()).isZero();
            output = program.outputText();
        }
        List<Path> stored;
        try (Stream<Path> files = Files.walk(objects)) {
            stored = files.filter(Files::isRegularFile).toList();
        }
        assertThat(stored).as(output).singleElement().satisfies(file -> {
            assertThat(DistributionIT.gunzip(file)).isEqualTo("{\"hello\":\"deb\"}\n");
            assertThat(Files.getOwner(file)).isEqualTo(s3logger);
        });
    }
}
