package io.s3logger.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's flags table and docs/configuration.md must say what -h says (Options + reference.conf). */
class DocumentationTest {

    private static final Path ROOT = Path.of("..");
    private final Config reference = SettingsLoader.reference();

    private static List<String> tableRows(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(line -> line.startsWith("| `-")).toList();
    }

    private String defaultCell(Option<?> option) {
        String value = reference.getString(option.key());
        return value.isEmpty() ? "" : "`" + value + "`";
    }

    private static String escaped(String text) {
        return text.replace("|", "\\|");
    }

    @Test
    void readmeFlagsTableListsEveryFlagWithItsDefaultAndMeaning() throws Exception {
        List<String> rows = tableRows(ROOT.resolve("README.md"));

        List<String> expected = new java.util.ArrayList<>(List.of(
                "| `-config file` |  | HOCON file with settings |",
                "| `-h` |  | print usage and exit |",
                "| `-version` |  | print the version and exit |"));
        for (Option<?> option : Options.ALL) {
            expected.add("| `-" + option.flag() + " " + escaped(option.valueName()) + "` | " + defaultCell(option)
                    + " | " + escaped(option.help()) + " |");
        }
        assertThat(rows).containsExactlyElementsOf(expected);
    }

    @Test
    void configurationReferenceListsEveryKeyWithFlagVariableDefaultAndMeaning() throws Exception {
        List<String> rows = tableRows(ROOT.resolve("docs/configuration.md"));

        List<String> expected = Options.ALL.stream()
                .map(option -> "| `-" + option.flag() + "` | `" + option.key() + "` | `" + option.environmentVariable()
                        + "` | " + defaultCell(option) + " | " + escaped(option.help()) + " |")
                .toList();
        assertThat(rows).containsExactlyElementsOf(expected);
    }
}
