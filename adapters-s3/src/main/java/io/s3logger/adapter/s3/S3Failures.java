package io.s3logger.adapter.s3;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.port.out.ObjectStoreException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;

/**
 * Turns SDK and I/O failures into {@link ObjectStoreException}s an operator can act on. Messages
 * are built from the S3 status, error code and the SDK's message, which never carry credentials;
 * the original exception stays as the cause. A failure caused by an interrupt restores the
 * thread's interrupt flag, which the SDK may have consumed.
 */
final class S3Failures {

    /** Guards against cause cycles, which initCause allows. */
    private static final int MAX_CAUSE_DEPTH = 32;

    private S3Failures() {}

    /** "cannot {action} s3://bucket/key: ..." */
    static ObjectStoreException translate(String action, String bucket, ObjectKey key, Exception e) {
        restoreInterrupt(e);
        return new ObjectStoreException(
                "cannot " + action + " s3://" + bucket + "/" + key + ": " + describe(e), e);
    }

    /** The reason {@code bucket} cannot be used, with what to check. */
    static ObjectStoreException unavailable(String bucket, String location, Exception e) {
        restoreInterrupt(e);
        String hint;
        if (e instanceof AwsServiceException service) {
            hint = switch (service.statusCode()) {
                case 404 -> "the bucket does not exist; create it or fix -bucket (s3logger.s3.bucket)";
                case 403 -> "access denied; the credentials need s3:ListBucket on arn:aws:s3:::" + bucket
                        + " and s3:PutObject on its objects (check AWS_PROFILE / -profile and the role's policy)";
                case 301, 307 -> "the bucket is in another region; set -region (s3logger.s3.region)";
                case 400 -> "the request was rejected; check -region and, for S3-compatible stores,"
                        + " -endpoint and -path-style";
                default -> "the store answered with an error";
            };
        } else {
            hint = "the store is unreachable; check -endpoint (or AWS_ENDPOINT_URL_S3), DNS, proxy and"
                    + " network access";
        }
        return new ObjectStoreException(
                "bucket '" + bucket + "' at " + location + " is not usable: " + hint + " (" + describe(e) + ")", e);
    }

    /** Status, error code and message of an SDK failure; the message alone otherwise. */
    static String describe(Throwable e) {
        if (e instanceof AwsServiceException service) {
            StringBuilder text = new StringBuilder("HTTP ").append(service.statusCode());
            if (service.awsErrorDetails() != null && service.awsErrorDetails().errorCode() != null) {
                text.append(' ').append(service.awsErrorDetails().errorCode());
            }
            return text.append(": ").append(service.getMessage()).toString();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static void restoreInterrupt(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof InterruptedException
                    || t instanceof AbortedException
                    || t instanceof ClosedByInterruptException
                    || (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException))) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
