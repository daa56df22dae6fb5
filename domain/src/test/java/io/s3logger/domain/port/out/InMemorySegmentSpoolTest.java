package io.s3logger.domain.port.out;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.testing.InMemorySegmentSpool;
import java.nio.charset.StandardCharsets;

/** Keeps the fake honest: it must satisfy the same contract as the gzip spool. */
class InMemorySegmentSpoolTest extends SegmentSpoolContract {

    private InMemorySegmentSpool current;

    @Override
    protected SegmentSpool newSpool() {
        current = new InMemorySegmentSpool();
        return current;
    }

    @Override
    protected byte[] content(SealedSegment segment) {
        return current.segment(segment.id()).orElseThrow().text().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void breakAt(Step step) {
        current.breakAt(step);
    }

    @Override
    protected void heal() {
        current.heal();
    }
}
