package io.s3logger.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void quotesAndEscapesWhatJsonRequires() {
        assertThat(JsonText.quote("plain /var/spool")).isEqualTo("\"plain /var/spool\"");
        assertThat(JsonText.quote("a \"b\" c\\d")).isEqualTo("\"a \\\"b\\\" c\\\\d\"");
        assertThat(JsonText.quote("line\nnext\ttab\u0001")).isEqualTo("\"line\\nnext\\u0009tab\\u0001\"");
        assertThat(JsonText.quote("café ü")).isEqualTo("\"café ü\"");
    }
}
