package io.s3logger.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3logger.domain.model.SegmentId;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectNamingTest {

    private static final SegmentId ID = new SegmentId(Instant.parse("2018-02-09T21:38:03Z"), 0xdf718a7818e53243L);

    @Test
    void keyWithoutPrefixMatchesTheOriginal() {
        assertThat(new ObjectNaming("").keyFor(ID).value())
                .isEqualTo("dt=2018-02-09/20180209T213803_df718a7818e53243.json.gz");
    }

    @ParameterizedTest
    @CsvSource({
        "logs, logs/dt=2018-02-09/20180209T213803_df718a7818e53243.json.gz",
        "/logs/, logs/dt=2018-02-09/20180209T213803_df718a7818e53243.json.gz",
        "/a//b/, a/b/dt=2018-02-09/20180209T213803_df718a7818e53243.json.gz",
        "//, dt=2018-02-09/20180209T213803_df718a7818e53243.json.gz",
    })
    void prefixIsNormalised(String prefix, String key) {
        assertThat(new ObjectNaming(prefix).keyFor(ID).value()).isEqualTo(key);
    }

    @Test
    void dateIsUtcAcrossMidnight() {
        ObjectNaming naming = new ObjectNaming("p");
        SegmentId beforeMidnight = new SegmentId(Instant.parse("2019-12-31T23:59:59.999Z"), 1);
        SegmentId atMidnight = new SegmentId(Instant.parse("2020-01-01T00:00:00Z"), 1);

        assertThat(naming.keyFor(beforeMidnight).value())
                .isEqualTo("p/dt=2019-12-31/20191231T235959_0000000000000001.json.gz");
        assertThat(naming.keyFor(atMidnight).value())
                .isEqualTo("p/dt=2020-01-01/20200101T000000_0000000000000001.json.gz");
    }

    @Test
    void utcEvenWhenTheDefaultZoneIsElsewhere() {
        // 2020-01-01T00:30Z is still Dec 31 in New York; the key must not follow the JVM zone.
        SegmentId id = new SegmentId(Instant.parse("2020-01-01T00:30:00Z"), 2);
        java.util.TimeZone saved = java.util.TimeZone.getDefault();
        try {
            java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/New_York"));
            assertThat(new ObjectNaming("").keyFor(id).value()).startsWith("dt=2020-01-01/20200101T003000_");
        } finally {
            java.util.TimeZone.setDefault(saved);
        }
    }
}
