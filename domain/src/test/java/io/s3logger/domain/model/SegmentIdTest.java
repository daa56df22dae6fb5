package io.s3logger.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SegmentIdTest {

    @Test
    void baseNameIsUtcSecondsAndSixteenLowercaseHexDigits() {
        SegmentId id = new SegmentId(Instant.parse("2018-02-09T21:38:03.999Z"), 0xdf718a7818e53243L);

        assertThat(id.baseName()).isEqualTo("20180209T213803_df718a7818e53243");
    }

    @Test
    void smallRandomValuesArePaddedToSixteenDigits() {
        assertThat(new SegmentId(Instant.parse("2018-02-09T21:38:03Z"), 255).baseName())
                .isEqualTo("20180209T213803_00000000000000ff");
    }

    @Test
    void parseIsTheInverseOfBaseName() {
        SegmentId id = new SegmentId(Instant.parse("1999-12-31T23:59:59Z"), -1L);

        assertThat(SegmentId.parse(id.baseName())).isEqualTo(id);
    }

    @Test
    void parseRejectsOtherNames() {
        assertThatThrownBy(() -> SegmentId.parse("20180209T213803_DF718A7818E53243"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SegmentId.parse("20181309T213803_df718a7818e53243"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SegmentId.parse("x.json.gz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersOldestFirst() {
        SegmentId older = new SegmentId(Instant.parse("2020-01-01T00:00:00Z"), -1L);
        SegmentId newer = new SegmentId(Instant.parse("2020-01-01T00:00:01Z"), 0);

        assertThat(older).isLessThan(newer);
    }
}
