package io.s3logger.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3logger.domain.model.ObjectKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * What the store sends to AWS itself (SDK checksum defaults kept), checked against a scripted
 * HTTP client since no test may call AWS: multipart uploads declare CRC32, every part carries its
 * Content-MD5 and CRC32, and completion lists each part's CRC32.
 */
class AwsChecksumRequestsTest {

    private static final Pattern TRAILER = Pattern.compile("x-amz-checksum-crc32:([A-Za-z0-9+/=]+)");

    @TempDir
    Path dir;

    record Exchange(SdkHttpRequest request, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** Answers like S3 would for the calls an upload makes, and records them. */
    static final class ScriptedS3 implements SdkHttpClient {
        final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    byte[] body = new byte[0];
                    if (request.contentStreamProvider().isPresent()) {
                        try (InputStream in = request.contentStreamProvider().get().newStream()) {
                            body = in.readAllBytes();
                        }
                    }
                    Exchange exchange = new Exchange(request.httpRequest(), body);
                    exchanges.add(exchange);
                    return answer(exchange, uploadParts());
                }

                @Override
                public void abort() {}
            };
        }

        /** S3's ETags: the MD5 of the bytes (S3 checked them against Content-MD5), for a multipart object the MD5 of the parts' MD5s. */
        private static HttpExecuteResponse answer(Exchange exchange, List<Exchange> parts) {
            SdkHttpRequest request = exchange.request();
            Map<String, List<String>> query = request.rawQueryParameters();
            SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(200);
            String xml = "";
            if (request.method() == SdkHttpMethod.POST && query.containsKey("uploads")) {
                xml = "<InitiateMultipartUploadResult><Bucket>logs</Bucket><Key>k</Key>"
                        + "<UploadId>upload-1</UploadId></InitiateMultipartUploadResult>";
            } else if (request.method() == SdkHttpMethod.POST) {
                xml = "<CompleteMultipartUploadResult><Bucket>logs</Bucket><Key>k</Key>"
                        + "<ETag>\"" + ContentMd5.multipartETag(parts.stream().map(ScriptedS3::md5).toList())
                        + "\"</ETag></CompleteMultipartUploadResult>";
            } else if (request.method() == SdkHttpMethod.PUT) {
                response.putHeader("ETag", "\"" + ContentMd5.hex(md5(exchange)) + "\"");
                Matcher crc = TRAILER.matcher(exchange.text());
                if (crc.find()) {
                    response.putHeader("x-amz-checksum-crc32", crc.group(1));
                }
            }
            byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
            return HttpExecuteResponse.builder()
                    .response(response.putHeader("Content-Length", String.valueOf(bytes.length)).build())
                    .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                    .build();
        }

        private static byte[] md5(Exchange exchange) {
            return Base64.getDecoder().decode(exchange.request().firstMatchingHeader("Content-MD5").orElseThrow());
        }

        List<Exchange> uploadParts() {
            return exchanges.stream().filter(e -> e.request().rawQueryParameters().containsKey("partNumber")).toList();
        }

        @Override
        public void close() {}
    }

    private static String base64Crc32(byte[] content, int from, int to) {
        CRC32 crc = new CRC32();
        crc.update(content, from, to - from);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static String base64Md5(byte[] content, int from, int to) throws Exception {
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("MD5").digest(Arrays.copyOfRange(content, from, to)));
    }

    private static S3ObjectStore storeOnAws(ScriptedS3 http) {
        S3StoreSettings settings = new S3StoreSettings("logs", Optional.of("eu-west-1"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                S3StoreSettings.MIN_PART_SIZE_BYTES, S3StoreSettings.MIN_PART_SIZE_BYTES,
                S3StoreSettings.DEFAULT_CONTENT_TYPE, Optional.empty());
        var client = new S3ClientFactory(Map.of())
                .configure(settings)
                .httpClientBuilder(null) // replaced by the scripted client
                .httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .build();
        return new S3ObjectStore(client, settings, "");
    }

    @Test
    void multipartUploadCarriesMd5AndCrc32OfEveryPart() throws Exception {
        ScriptedS3 http = new ScriptedS3();
        int mib = 1024 * 1024;
        byte[] content = new byte[12 * mib];
        new Random(5).nextBytes(content);
        Path file = Files.write(dir.resolve("segment.json.gz"), content);

        try (S3ObjectStore store = storeOnAws(http)) {
            store.put(new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000c0.json.gz"), file);
        }

        Exchange create = http.exchanges.getFirst();
        assertThat(create.request().firstMatchingHeader("x-amz-checksum-algorithm")).contains("CRC32");
        List<Exchange> parts = http.uploadParts();
        int[][] ranges = {{0, 5 * mib}, {5 * mib, 10 * mib}, {10 * mib, 12 * mib}};
        assertThat(parts).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Exchange part = parts.get(i);
            int from = ranges[i][0];
            int to = ranges[i][1];
            assertThat(part.request().firstMatchingHeader("Content-MD5")).contains(base64Md5(content, from, to));
            Matcher crc = TRAILER.matcher(part.text());
            assertThat(crc.find()).as("CRC32 trailer of part %d", i + 1).isTrue();
            assertThat(crc.group(1)).isEqualTo(base64Crc32(content, from, to));
        }
        Exchange complete = http.exchanges.getLast();
        assertThat(complete.request().rawQueryParameters()).containsKey("uploadId");
        for (int[] range : ranges) {
            assertThat(complete.text())
                    .contains("<ChecksumCRC32>" + base64Crc32(content, range[0], range[1]) + "</ChecksumCRC32>");
        }
    }

    @Test
    void singlePutCarriesMd5AndCrc32() throws Exception {
        ScriptedS3 http = new ScriptedS3();
        byte[] content = new byte[1000];
        new Random(6).nextBytes(content);
        Path file = Files.write(dir.resolve("segment.json.gz"), content);

        try (S3ObjectStore store = storeOnAws(http)) {
            store.put(new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000c1.json.gz"), file);
        }

        assertThat(http.exchanges).hasSize(1);
        Exchange put = http.exchanges.getFirst();
        assertThat(put.request().firstMatchingHeader("Content-MD5")).contains(base64Md5(content, 0, content.length));
        assertThat(put.request().firstMatchingHeader("Content-Type")).contains("application/gzip");
        Matcher crc = TRAILER.matcher(put.text());
        assertThat(crc.find()).isTrue();
        assertThat(crc.group(1)).isEqualTo(base64Crc32(content, 0, content.length));
    }
}
