package io.s3logger.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3logger.domain.model.LineBatch;
import io.s3logger.domain.model.RotationPolicy;
import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentStats;
import io.s3logger.domain.testing.InMemorySegmentSpool;
import io.s3logger.domain.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SegmentWriterTest {

    private static final Instant START = Instant.parse("2020-01-01T23:59:58.500Z");

    private final MutableClock clock = new MutableClock(START);
    private final InMemorySegmentSpool spool = new InMemorySegmentSpool();
    private final List<SealedSegment> sealed = new ArrayList<>();

    private SegmentWriter writer(Duration maxAge, long maxBytes) {
        return new SegmentWriter(spool, new RotationPolicy(maxAge, maxBytes), Duration.ofSeconds(1), clock, clock,
                new SplittableRandom(3), sealed::add);
    }

    private static LineBatch batch(String... lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        return new LineBatch(bytes, bytes.length, lines.length);
    }

    @Test
    void createsNoSegmentWithoutObjects() throws Exception {
        SegmentWriter writer = writer(Duration.ofMinutes(5), 0);

        clock.advance(Duration.ofHours(1));
        writer.tick();
        writer.write(batch());
        writer.sealOpen();

        assertThat(spool.segments()).isEmpty();
        assertThat(sealed).isEmpty();
        assertThat(writer.timeToNextWork()).isEmpty();
    }

    @Test
    void createsSegmentLazilyNamedAfterItsCreationTime() throws Exception {
        SegmentWriter writer = writer(Duration.ofMinutes(5), 0);
        clock.advance(Duration.ofSeconds(10));

        writer.write(batch("{\"a\":1}"));

        assertThat(spool.segments()).hasSize(1);
        assertThat(spool.segments().get(0).id().createdAt()).isEqualTo(Instant.parse("2020-01-02T00:00:08Z"));
    }

    @Test
    void sealsExactlyWhenAgeReachesTheWindowWithoutFurtherInput() throws Exception {
        SegmentWriter writer = writer(Duration.ofMinutes(5), 0);
        writer.write(batch("{\"a\":1}"));
        assertThat(writer.timeToNextWork()).contains(Duration.ofSeconds(1)); // flush first

        clock.advance(Duration.ofMinutes(5).minusNanos(1));
        writer.tick();
        assertThat(sealed).isEmpty();
        assertThat(writer.timeToNextWork()).contains(Duration.ofNanos(1));

        clock.advance(Duration.ofNanos(1));
        writer.tick();
        assertThat(sealed).hasSize(1);
        assertThat(writer.timeToNextWork()).isEmpty();
    }

    @Test
    void aSealedSegmentCarriesItsCountRawBytesAndFirstAndLastArrival() throws Exception {
        SegmentWriter writer = writer(Duration.ofMinutes(5), 20);
        writer.write(batch("{\"a\":11}"));
        clock.advance(Duration.ofMillis(1500));
        // the second line reaches 16 bytes, the third 24 >= 20: sealed after it; the fourth starts the next
        writer.write(batch("{\"a\":12}", "{\"a\":13}", "{\"a\":14}"));

        assertThat(sealed).singleElement().satisfies(segment -> {
            assertThat(segment.objects()).isEqualTo(3);
            assertThat(segment.stats()).contains(new SegmentStats(3, 27, START, START.plusMillis(1500)));
        });
        clock.advance(Duration.ofMinutes(5));
        writer.tick();
        assertThat(sealed.get(1).stats()).contains(new SegmentStats(1, 9, START.plusMillis(1500), START.plusMillis(1500)));
    }

    @Test
    void sealsRightAfterTheLineThatReachesTheSizeLimit() throws Exception {
        SegmentWriter writer = writer(Duration.ofMinutes(5), 20);

        // 8 + 8 bytes: below 20, still open
        writer.write(batch("{\"a\":11}", "{\"a\":12}"));
        assertThat(sealed).isEmpty();
        // the third line brings it to 24 >= 20: sealed after it, the fourth starts a new segment
        writer.write(batch("{\"a\":13}\n{\"a\":14}".split("\n")));

        assertThat(sealed).hasSize(1);
        assertThat(spool.segments().get(0).text()).isEqualTo("{\"a\":11}\n{\"a\":12}\n{\"a\":13}\n");
        assertThat(spool.segments().get(1).text()).isEqualTo("{\"a\":14}\n");
    }

    @Test
    void sealsExactlyAtTheBoundaryNotBefore() throws Exception {
        SegmentWriter writer = writer(Duration.ofMinutes(5), 18);

        writer.write(batch("{\"a\":1}", "{\"b\":2}")); // 16 bytes
        assertThat(sealed).isEmpty();
        writer.write(batch("{}")); // 16 + 3 = 19 >= 18
        assertThat(sealed).hasSize(1);

        SegmentWriter exact = writer(Duration.ofMinutes(5), 8);
        exact.write(batch("{\"c\":3}")); // exactly 8
        assertThat(sealed).hasSize(2);
    }

    @Test
    void splitsOneBigBatchIntoSeveralSegmentsAtLineBoundaries() throws Exception {
        SegmentWriter writer = writer(Duration.ofMinutes(5), 10);
        String[] lines = new String[25];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "{\"i\":" + (100 + i) + "}"; // 10 bytes with the newline: one line per segment
        }

        writer.write(batch(lines));

        assertThat(sealed).hasSize(25);
        assertThat(spool.segments()).allSatisfy(s -> assertThat(s.text()).matches("\\{\"i\":1\\d\\d}\n"));
    }

    @Test
    void zeroSizeLimitNeverRotatesBySize() throws Exception {
        SegmentWriter writer = writer(Duration.ofMinutes(5), 0);
        String line = "{\"x\":\"" + "y".repeat(10_000) + "\"}";
        for (int i = 0; i < 100; i++) {
            writer.write(batch(line));
        }
        assertThat(sealed).isEmpty();
        assertThat(spool.segments()).hasSize(1);
    }

    @Test
    void flushesOnceTheIntervalHasPassedSinceTheFirstUnflushedLine() throws Exception {
        SegmentWriter writer = writer(Duration.ofMinutes(5), 0);
        writer.write(batch("{\"a\":1}"));
        InMemorySegmentSpool.Segment segment = spool.segments().get(0);

        clock.advance(Duration.ofMillis(999));
        writer.tick();
        assertThat(segment.flushedBytes()).isZero();

        clock.advance(Duration.ofMillis(1));
        writer.tick();
        assertThat(segment.flushedBytes()).isEqualTo(8);
        assertThat(writer.timeToNextWork()).contains(Duration.ofMinutes(5).minusSeconds(1));
    }

    @Test
    void segmentsAcrossUtcMidnightAreNamedByTheirOwnCreationTime() throws Exception {
        SegmentWriter writer = writer(Duration.ofSeconds(1), 0);
        writer.write(batch("{\"day\":1}"));
        clock.advance(Duration.ofSeconds(2)); // 2020-01-02T00:00:00.5Z
        writer.tick();
        writer.write(batch("{\"day\":2}"));
        writer.sealOpen();

        ObjectNaming naming = new ObjectNaming("");
        assertThat(sealed).extracting(s -> naming.keyFor(s.id()).value().substring(0, 29))
                .containsExactly("dt=2020-01-01/20200101T235958", "dt=2020-01-02/20200102T000000");
    }

    @Test
    void wallClockStepsBackAndForwardAnHourChangeNeitherFlushNorRotationOnlyTheNames() throws Exception {
        SegmentWriter writer = writer(Duration.ofSeconds(5), 0);
        writer.write(batch("{\"a\":1}"));
        InMemorySegmentSpool.Segment first = spool.segments().get(0);

        clock.stepWall(Duration.ofHours(-1)); // set back an hour
        clock.advance(Duration.ofSeconds(1));
        writer.tick();
        assertThat(first.flushedBytes()).as("flushed one interval after the line, as scheduled").isEqualTo(8);
        assertThat(writer.timeToNextWork()).contains(Duration.ofSeconds(4));
        clock.advance(Duration.ofSeconds(4));
        writer.tick();
        assertThat(sealed).as("sealed at 5 s of age, not an hour later").hasSize(1);

        writer.write(batch("{\"b\":2}"));
        clock.stepWall(Duration.ofHours(2)); // and forward, an hour past the start
        writer.tick();
        assertThat(sealed).as("a step forward seals nothing early").hasSize(1);
        assertThat(spool.segments().get(1).flushedBytes()).as("nor flushes early").isZero();
        clock.advance(Duration.ofSeconds(1));
        writer.tick();
        assertThat(spool.segments().get(1).flushedBytes()).isEqualTo(8);
        clock.advance(Duration.ofSeconds(4));
        writer.tick();
        assertThat(sealed).hasSize(2);

        assertThat(sealed).extracting(s -> s.id().createdAt()).as("names follow the wall clock")
                .containsExactly(START.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                        START.plusSeconds(5).minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    @Test
    void aFailedWriteResumesWhereItStoppedWithoutLosingOrDuplicatingLines() throws Exception {
        SegmentWriter writer = writer(Duration.ofMinutes(5), 10);
        LineBatch batch = batch("{\"i\":100}", "{\"i\":101}", "{\"i\":102}"); // one line per segment
        writer.write(batch("{\"x\":1}"));
        spool.failNextAppends(1);

        assertThatThrownBy(() -> writer.write(batch)).isInstanceOf(IOException.class);
        spool.failNextAppends(0);
        writer.write(batch);

        assertThat(spool.segments()).extracting(InMemorySegmentSpool.Segment::text)
                .containsExactly("{\"x\":1}\n{\"i\":100}\n", "{\"i\":101}\n", "{\"i\":102}\n");
    }

    @Test
    void aFailedSealIsRetriedWithTheSameSegment() throws Exception {
        SegmentWriter writer = writer(Duration.ofMinutes(5), 10);
        LineBatch batch = batch("{\"i\":100}", "{\"i\":101}");
        spool.failNextSeals(1);

        assertThatThrownBy(() -> writer.write(batch)).isInstanceOf(IOException.class);
        writer.write(batch);

        assertThat(sealed).hasSize(2);
        assertThat(spool.segments()).extracting(InMemorySegmentSpool.Segment::text)
                .containsExactly("{\"i\":100}\n", "{\"i\":101}\n");
    }

    @Test
    void aFailedTickSealIsRetriedOnTheNextTick() throws Exception {
        SegmentWriter writer = writer(Duration.ofSeconds(1), 0);
        writer.write(batch("{\"a\":1}"));
        clock.advance(Duration.ofSeconds(1));
        spool.failNextSeals(1);

        assertThatThrownBy(writer::tick).isInstanceOf(IOException.class);
        assertThat(sealed).isEmpty();
        writer.tick();

        assertThat(sealed).hasSize(1);
        assertThat(spool.segments()).hasSize(1);
    }

    @Test
    void whileAnAgeSealFailsNothingMoreIsAppendedToThatSegmentAndWritingResumesInANewOne() throws Exception {
        SegmentWriter writer = writer(Duration.ofSeconds(1), 0);
        writer.write(batch("{\"old\":1}"));
        clock.advance(Duration.ofSeconds(1));
        spool.failNextSeals(3);
        LineBatch next = batch("{\"new\":1}", "{\"new\":2}");

        assertThatThrownBy(writer::tick).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> writer.write(next)).as("the write pauses: the seal comes first").isInstanceOf(IOException.class);
        assertThatThrownBy(() -> writer.write(next)).isInstanceOf(IOException.class);
        assertThat(spool.segments().get(0).text()).isEqualTo("{\"old\":1}\n");
        writer.write(next); // the disk works again: the seal, then the batch in a new segment

        assertThat(sealed).hasSize(1);
        assertThat(spool.segments()).extracting(InMemorySegmentSpool.Segment::text)
                .containsExactly("{\"old\":1}\n", "{\"new\":1}\n{\"new\":2}\n");
    }

    @Test
    void countsWhatItWritesAndSealsAndTellsTheObjectCount() throws Exception {
        SegmentWriter writer = writer(Duration.ofMinutes(5), 20);

        writer.write(batch("{\"a\":11}", "{\"a\":12}", "{\"a\":13}", "{\"a\":14}"));

        assertThat(writer.status().objectsWritten()).isEqualTo(4);
        assertThat(writer.status().rawBytesWritten()).isEqualTo(36);
        assertThat(writer.status().segmentsSealed()).isEqualTo(1);
        assertThat(writer.status().compressedBytesSealed()).isEqualTo(27);
        assertThat(sealed).singleElement().extracting(SealedSegment::objects).isEqualTo(3L);
    }
}
