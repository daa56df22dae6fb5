package io.s3logger.domain.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeyTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "/a", "a/", "a//b"})
    void rejectsKeysThatStartWithSlashOrContainEmptySegments(String value) {
        assertThatThrownBy(() -> new ObjectKey(value)).isInstanceOf(IllegalArgumentException.class);
    }
}
