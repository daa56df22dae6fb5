package io.s3logger.domain.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PluralTest {

    @Test
    void onlyExactlyOneIsSingular() {
        assertThat(Plural.of(1, "object", "objects")).isEqualTo("1 object");
        assertThat(Plural.of(0, "object", "objects")).isEqualTo("0 objects");
        assertThat(Plural.of(2, "segment", "segments")).isEqualTo("2 segments");
        assertThat(Plural.of(-1, "byte", "bytes")).isEqualTo("-1 bytes");
    }
}
