package io.s3logger.adapter.fs;

import java.util.Optional;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The deflate implementations a spool can compress with; all write standard gzip members. */
enum DeflateEngine {
    /** ISA-L's igzip through Intel's GKL: levels 1 and 2, Linux and macOS x86-64. */
    ISAL("ISA-L (Intel GKL)", IsalMemberEncoder::new),
    /** The JDK's {@link java.util.zip.Deflater}: every level, everywhere. */
    ZLIB("the JDK's zlib", ZlibMemberEncoder::new);

    private final String displayName;
    private final IntFunction<GzipMemberEncoder> factory;

    DeflateEngine(String displayName, IntFunction<GzipMemberEncoder> factory) {
        this.displayName = displayName;
        this.factory = factory;
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeflateEngine.class);

    /** {@link #choose} with this process's ISA-L, logging here. */
    static DeflateEngine best(int level) {
        return choose(level, Isal.unavailableReason(), LOG);
    }

    /**
     * The engine for {@code level}: ISA-L at levels 1 and 2 where {@code isalUnavailable} is
     * empty, otherwise the JDK's zlib. Logs one WARN if ISA-L would serve the level but its
     * library did not load (it needs several times less CPU than zlib).
     */
    static DeflateEngine choose(int level, Optional<String> isalUnavailable, Logger log) {
        if (!ISAL.supports(level)) {
            return ZLIB;
        }
        if (isalUnavailable.isPresent()) {
            log.warn("Compressing with the JDK's zlib, which needs about 4 times the CPU of ISA-L: {}",
                    isalUnavailable.get());
            return ZLIB;
        }
        return ISAL;
    }

    /** False for a native engine whose library is not bundled or does not load here. */
    boolean isAvailable() {
        return this != ISAL || Isal.isLoaded();
    }

    boolean supports(int level) {
        return this == ISAL ? level == 1 || level == 2 : level >= 0 && level <= 9;
    }

    /** How the start line names it, e.g. "ISA-L (Intel GKL)". */
    String displayName() {
        return displayName;
    }

    GzipMemberEncoder newEncoder(int level) {
        return factory.apply(level);
    }
}
