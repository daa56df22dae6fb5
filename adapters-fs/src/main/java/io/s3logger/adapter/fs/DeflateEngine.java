package io.s3logger.adapter.fs;

import java.util.function.IntFunction;

/** The deflate implementations a spool can compress with; both write standard gzip members. */
enum DeflateEngine {
    LIBDEFLATE(LibdeflateMemberEncoder::new),
    ZLIB(ZlibMemberEncoder::new);

    private final IntFunction<GzipMemberEncoder> factory;

    DeflateEngine(IntFunction<GzipMemberEncoder> factory) {
        this.factory = factory;
    }

    /** libdeflate where its bundled library loads, the JDK's zlib elsewhere. */
    static DeflateEngine best() {
        return LIBDEFLATE.isAvailable() ? LIBDEFLATE : ZLIB;
    }

    /** False for libdeflate where its library is not bundled or does not load. */
    boolean isAvailable() {
        return this != LIBDEFLATE || Libdeflate.isLoaded();
    }

    GzipMemberEncoder newEncoder(int level) {
        return factory.apply(level);
    }
}
