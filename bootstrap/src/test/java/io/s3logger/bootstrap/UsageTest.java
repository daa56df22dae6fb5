package io.s3logger.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageTest {

    private final Config reference = SettingsLoader.reference();

    @Test
    void listsEveryFlagWithItsDefaultKeyAndVariable() {
        String usage = Usage.text(reference);

        for (Option<?> option : Options.ALL) {
            assertThat(usage).contains("  -" + option.flag() + " " + option.valueName() + "\n");
            assertThat(usage).contains("key " + option.key() + ", env " + option.environmentVariable());
        }
        assertThat(usage).contains("(default \"localhost:8080\")").contains("(default \"5m\")")
                .contains("(default \"512\")").contains("(default \"/var/spool/s3logger\")");
    }

    @Test
    void everyKeyInReferenceConfHasAFlagAndEveryFlagAKey() {
        for (Map.Entry<String, ConfigValue> entry : reference.getConfig("s3logger").entrySet()) {
            assertThat(Options.byKey("s3logger." + entry.getKey())).as(entry.getKey()).isPresent();
        }
        for (Option<?> option : Options.ALL) {
            assertThat(reference.hasPath(option.key())).as(option.key()).isTrue();
        }
    }
}
