package io.s3logger.adapter.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * libdeflate (https://github.com/ebiggers/libdeflate) through the small JNI library that the
 * build compiles from {@code src/main/c} and bundles in the jar for Linux x86-64. At level 1 it
 * compresses our log data about 1.8 times as fast per core as zlib (DeflateEngineBenchmark:
 * 341 against 186 MiB/s), and about a tenth smaller.
 *
 * <p>The library is loaded once, on first use: copied from the jar to a temporary file (deleted
 * right after loading) and loaded from there. {@link #unavailableReason()} says why not where it
 * cannot be, and callers fall back to {@link ZlibMemberEncoder}.
 */
final class Libdeflate {

    private static final String RESOURCE = "/native/linux-x86_64/libs3logger_deflate.so";
    /** Empty once loaded; otherwise why the library cannot be used here. */
    private static final Optional<String> UNAVAILABLE_REASON = load();

    private Libdeflate() {}

    static boolean isLoaded() {
        return UNAVAILABLE_REASON.isEmpty();
    }

    /** Why the library is not loaded, if it is not. */
    static Optional<String> unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    private static Optional<String> load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return Optional.of("libdeflate is bundled for Linux x86-64 only, not for " + os + " " + arch);
        }
        try (InputStream library = Libdeflate.class.getResourceAsStream(RESOURCE)) {
            if (library == null) {
                return Optional.of("the jar has no " + RESOURCE);
            }
            Path file = Files.createTempFile("s3logger-deflate-", ".so");
            try {
                Files.copy(library, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toString());
            } finally {
                Files.deleteIfExists(file); // the loaded library stays mapped
            }
            return Optional.empty();
        } catch (IOException | LinkageError | SecurityException e) {
            return Optional.of("loading the bundled libdeflate failed: " + e);
        }
    }

    static native String version();

    /** A compressor for {@code level} 0..12, or 0 if out of memory. */
    static native long allocCompressor(int level);

    /** The largest member {@link #gzipCompress} can produce for {@code length} input bytes. */
    static native long gzipCompressBound(long compressor, int length);

    /**
     * Compresses {@code in[0, inLength)} into one gzip member at the start of {@code out}.
     *
     * @return the member's size, or 0 if it needs more than {@code outCapacity} bytes
     */
    static native int gzipCompress(long compressor, byte[] in, int inLength, byte[] out, int outCapacity);

    static native void freeCompressor(long compressor);
}
