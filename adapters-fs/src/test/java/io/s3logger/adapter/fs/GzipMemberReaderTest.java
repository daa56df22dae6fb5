package io.s3logger.adapter.fs;

import static io.s3logger.adapter.fs.GzipFiles.bytes;
import static io.s3logger.adapter.fs.GzipFiles.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipMemberReaderTest {

    @Test
    void readsConcatenatedMembers() throws IOException {
        byte[] file = concat(member(bytes(lines(0, 3))), member(new byte[0]), member(bytes(lines(3, 3))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        GzipMemberReader.Outcome outcome = read(file, out);

        assertThat(outcome.clean()).isTrue();
        assertThat(outcome.completeMembers()).isEqualTo(3);
        assertThat(out.toByteArray()).isEqualTo(bytes(lines(0, 6)));
    }

    @Test
    void readsHeadersWithOptionalFieldsLikeOtherReaders() throws IOException {
        byte[] plain = member(bytes(lines(0, 2)));
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(plain, 0, 10);
        byte[] fields = {3, 0, 'x', 'y', 'z', 'n', 'a', 'm', 'e', 0, 'c', 0};
        header.write(fields);
        byte[] withFields = header.toByteArray();
        withFields[3] = 0x1e; // FHCRC | FEXTRA | FNAME | FCOMMENT
        CRC32 crc = new CRC32();
        crc.update(withFields);
        byte[] file = concat(withFields, new byte[] {(byte) crc.getValue(), (byte) (crc.getValue() >>> 8)},
                Arrays.copyOfRange(plain, 10, plain.length));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(read(file, out).clean()).isTrue();
        assertThat(out.toByteArray()).isEqualTo(bytes(lines(0, 2)));
        assertThat(new GZIPInputStream(new ByteArrayInputStream(file)).readAllBytes()).isEqualTo(bytes(lines(0, 2)));
    }

    @Test
    void anyCorruptByteEndsTheStreamWithoutThrowingOrIsHarmless() throws IOException {
        byte[] file = concat(member(bytes(lines(0, 4))), member(bytes(lines(4, 4))));
        for (int i = 0; i < file.length; i++) {
            for (int flip : new int[] {0x01, 0x80, 0xff}) {
                byte[] corrupt = file.clone();
                corrupt[i] ^= (byte) flip;
                ByteArrayOutputStream out = new ByteArrayOutputStream();

                GzipMemberReader.Outcome outcome = read(corrupt, out);

                if (outcome.clean()) {
                    // Only bits nobody checks (FTEXT, MTIME, XFL, OS, padding after the last block) can
                    // be flipped without notice, and they do not change the data.
                    assertThat(out.toByteArray()).as("clean after flipping byte %d ^ %x", i, flip).isEqualTo(bytes(lines(0, 8)));
                } else {
                    assertThat(outcome.completeMembers()).as("byte %d ^ %x", i, flip).isLessThan(2);
                }
            }
        }
    }

    @Test
    void trailerMismatchIsReportedAsCorrupt() throws IOException {
        byte[] file = member(bytes(lines(0, 2)));
        file[file.length - 1] ^= 1; // ISIZE

        GzipMemberReader.Outcome outcome = read(file, new ByteArrayOutputStream());

        assertThat(outcome.completeMembers()).isZero();
        assertThat(outcome.problem()).contains("trailer does not match").contains("member 1");
    }

    private static GzipMemberReader.Outcome read(byte[] file, ByteArrayOutputStream out) throws IOException {
        return new GzipMemberReader(new ByteArrayInputStream(file)).readTo(out::write);
    }

    private static byte[] member(byte[] content) {
        GzipMemberEncoder encoder = new ZlibMemberEncoder(6);
        try {
            ByteBuffer member = encoder.encode(content, content.length);
            byte[] bytes = new byte[member.remaining()];
            member.get(bytes);
            return bytes;
        } finally {
            encoder.end();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
