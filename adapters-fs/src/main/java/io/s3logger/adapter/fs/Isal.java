package io.s3logger.adapter.fs;

import com.intel.gkl.compression.IntelDeflater;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * ISA-L's igzip deflate (https://github.com/intel/isa-l) as Intel's Genomics Kernel Library (GKL,
 * {@code com.intel.gkl:gkl} on Maven Central) bundles it: a JNI library for Linux and macOS
 * x86-64 inside GKL's jar, used through {@link IntelDeflater}.
 *
 * <p>The library is loaded once, on first use. GKL copies it out of the jar into a directory and
 * loads it from there; this class gives it a fresh private directory under {@code java.io.tmpdir}
 * and deletes it right after loading (the loaded library stays mapped), so nothing is left
 * behind, even after a crash. {@link #unavailableReason()} says why the library cannot be used
 * here (another system, no writable {@code java.io.tmpdir}, a loader failure); callers then
 * compress with {@link ZlibMemberEncoder}.
 */
final class Isal {

    /** Empty once loaded; otherwise why the library cannot be used here. */
    private static final Optional<String> UNAVAILABLE_REASON = load(
            System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
            Path.of(System.getProperty("java.io.tmpdir", "/tmp")), Isal::loadWithGkl);

    private Isal() {}

    static boolean isLoaded() {
        return UNAVAILABLE_REASON.isEmpty();
    }

    /** Why the library is not loaded, if it is not. */
    static Optional<String> unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    /**
     * Loads the library with {@code loader} (GKL's loader in production), which extracts it into
     * the directory it is given and returns whether it loaded.
     *
     * @return empty if loaded, otherwise why not
     */
    static Optional<String> load(String osName, String osArch, Path tempRoot, Predicate<File> loader) {
        String os = osName.toLowerCase(Locale.ROOT);
        boolean x8664 = osArch.equals("amd64") || osArch.equals("x86_64");
        if (!(os.startsWith("linux") || os.startsWith("mac")) || !x8664) {
            return Optional.of("GKL bundles ISA-L for Linux and macOS x86-64 only, not for " + osName + " " + osArch);
        }
        Path dir;
        try {
            dir = Files.createTempDirectory(tempRoot, "s3logger-isal-");
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot create a directory for ISA-L's native library in java.io.tmpdir ("
                    + tempRoot + "): " + e);
        }
        try {
            return loader.test(dir.toFile())
                    ? Optional.empty()
                    : Optional.of("GKL could not load ISA-L's native library from " + tempRoot
                            + " (see com.intel.gkl's warning; java.io.tmpdir must allow executing mapped files)");
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("loading ISA-L's native library failed: " + e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static boolean loadWithGkl(File dir) {
        IntelDeflater probe = new IntelDeflater(1, true);
        try {
            return probe.load(dir);
        } finally {
            probe.end();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // Best effort: a leftover copy of the library in the temporary directory is harmless.
        }
    }
}
