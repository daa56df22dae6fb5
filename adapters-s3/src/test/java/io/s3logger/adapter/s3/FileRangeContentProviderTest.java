package io.s3logger.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRangeContentProviderTest {

    @TempDir
    Path dir;

    private Path fileWith(byte[] content) throws IOException {
        return Files.write(dir.resolve("segment.json.gz"), content);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    @Test
    void eachStreamReadsExactlyTheRangeFromItsStart() throws Exception {
        byte[] content = random(300_000);
        Path file = fileWith(content);

        try (FileRangeContentProvider provider = new FileRangeContentProvider(file, 100_000, 150_000)) {
            InputStream first = provider.newStream();
            first.readNBytes(1234);
            InputStream second = provider.newStream();

            assertThat(second.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 100_000, 250_000));
            assertThatThrownBy(first::read).isInstanceOf(IOException.class); // closed by newStream
        }
    }

    @Test
    void singleByteReadsStopAtTheEndOfTheRange() throws Exception {
        Path file = fileWith(new byte[] {1, 2, (byte) 200, 4});

        try (FileRangeContentProvider provider = new FileRangeContentProvider(file, 1, 2)) {
            InputStream stream = provider.newStream();
            assertThat(stream.read()).isEqualTo(2);
            assertThat(stream.read()).isEqualTo(200);
            assertThat(stream.read()).isEqualTo(-1);
        }
    }

    @Test
    void fileShorterThanTheRangeIsAnError() throws Exception {
        Path file = fileWith(new byte[10]);

        try (FileRangeContentProvider provider = new FileRangeContentProvider(file, 5, 10)) {
            assertThatThrownBy(() -> provider.newStream().readAllBytes()).hasMessageContaining("file shrank");
        }
    }

    @Test
    void contentMd5IsTheBase64Md5OfTheRange() throws Exception {
        byte[] content = random(200_000);
        Path file = fileWith(content);

        String expected = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("MD5").digest(Arrays.copyOfRange(content, 7, 150_007)));

        assertThat(ContentMd5.header(ContentMd5.of(file, 7, 150_000))).isEqualTo(expected);
        assertThat(ContentMd5.header(ContentMd5.of(file, 0, 0))).isEqualTo("1B2M2Y8AsgTpgAmY7PhCfg==");
        assertThat(ContentMd5.hex(ContentMd5.of(file, 0, 0))).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThatThrownBy(() -> ContentMd5.of(file, 100_000, 100_001)).isInstanceOf(IOException.class);
    }
}
