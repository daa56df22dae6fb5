package io.s3logger.adapter.fs;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.port.out.SegmentSpool;
import io.s3logger.domain.port.out.SegmentSpoolContract;

/** The gzip spool on a real directory, with failures injected under it at every step. */
class GzipSegmentSpoolContractTest extends SegmentSpoolContract {

    private final FaultySpoolFileSystem fs = new FaultySpoolFileSystem();

    @Override
    protected SegmentSpool newSpool() throws Exception {
        return GzipSegmentSpool.open(work.resolve("spool"), 1, 1, DeflateEngine.best(1), fs);
    }

    @Override
    protected byte[] content(SealedSegment segment) throws Exception {
        return GzipFiles.gunzip(segment.file());
    }

    @Override
    protected void breakAt(Step step) {
        fs.breakAt(step);
    }

    @Override
    protected void heal() {
        fs.heal();
    }

    /** More than the blocks one compression thread may have in flight: the append itself writes members. */
    @Override
    protected int largeAppendBytes() {
        return 3 * BlockCompressor.BLOCK_BYTES;
    }
}
