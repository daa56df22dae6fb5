package io.s3logger.adapter.tcp;

import io.s3logger.domain.model.LineBatch;
import io.s3logger.domain.port.in.IngestUseCase;
import java.util.concurrent.atomic.LongAdder;

/** Fake ingest use case for load: counts lines and checks each batch ends at a line end, keeps nothing. */
final class CountingIngest implements IngestUseCase {

    private final LongAdder lines = new LongAdder();
    private final LongAdder badBatches = new LongAdder();

    @Override
    public void ingest(LineBatch batch) {
        if (batch.length() == 0 || batch.bytes()[batch.length() - 1] != '\n') {
            badBatches.increment();
        }
        lines.add(batch.lines());
    }

    long lines() {
        return lines.sum();
    }

    long badBatches() {
        return badBatches.sum();
    }
}
