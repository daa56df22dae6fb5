package io.s3logger.adapter.fs;

import java.nio.file.Path;

/** Run in a child JVM by the lock test: holds a spool's lock until its standard input ends. */
public final class HoldSpoolLock {

    static final String READY = "locked";

    private HoldSpoolLock() {}

    public static void main(String[] args) throws Exception {
        GzipSegmentSpool spool = GzipSegmentSpool.open(Path.of(args[0]), 1);
        try {
            System.out.println(READY);
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        } finally {
            spool.close();
        }
    }
}
