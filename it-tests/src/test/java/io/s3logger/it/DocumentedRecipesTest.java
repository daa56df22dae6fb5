package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The configurations docs/clients.md and docs/scale-out.md show are the files the tests and
 * scripts use, so the docs cannot drift from what was tested.
 */
class DocumentedRecipesTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern CODE_BLOCK = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL);

    private static List<String> codeBlocks(String doc) throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = CODE_BLOCK.matcher(Files.readString(ROOT.resolve(doc)));
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    @ParameterizedTest(name = "{1} in {0}")
    @CsvSource({
        "docs/clients.md, it-tests/src/test/resources/clients/logback.xml",
        "docs/clients.md, it-tests/src/test/resources/clients/log4j2-json.xml",
        "docs/clients.md, it-tests/src/test/resources/clients/log4j2-gelf.xml",
        "docs/clients.md, it-tests/scripts/rsyslog-s3logger.conf",
        "docs/scale-out.md, it-tests/scripts/haproxy.cfg",
    })
    void theDocShowsTheTestedFileWhole(String doc, String file) throws IOException {
        String text = Files.readString(ROOT.resolve(file));
        String body = text.startsWith("<?xml") ? text.substring(text.indexOf('\n') + 1) : text;
        String expected = file.endsWith("haproxy.cfg") ? body.substring(body.indexOf("global")) : body;
        assertThat(codeBlocks(doc)).contains(expected);
    }

    @ParameterizedTest(name = "{1} in {0}")
    @CsvSource("docs/clients.md, it-tests/src/test/resources/clients/python_json_logging.py")
    void everyLineOfThePythonRecipeIsInTheTestedScript(String doc, String file) throws IOException {
        List<String> script = Files.readAllLines(ROOT.resolve(file));
        String block = codeBlocks(doc).stream().filter(b -> b.contains("class JsonSocketHandler")).findFirst().orElseThrow();
        int at = 0;
        for (String line : block.lines().toList()) {
            int found = script.subList(at, script.size()).indexOf(line);
            assertThat(found).as("line of the doc's recipe, in order in %s: %s", file, line).isNotNegative();
            at += found + 1;
        }
    }
}
