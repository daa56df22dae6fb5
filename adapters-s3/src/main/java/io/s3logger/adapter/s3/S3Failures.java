package io.s3logger.adapter.s3;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.port.out.ObjectStoreException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Turns SDK and I/O failures into {@link ObjectStoreException}s an operator can act on. Messages
 * are built from the S3 status, error code and the SDK's message, which never carry credentials;
 * the original exception stays as the cause. A failure caused by an interrupt restores the
 * thread's interrupt flag, which the SDK may have consumed.
 */
final class S3Failures {

    private static final Logger LOG = LoggerFactory.getLogger(S3Failures.class);
    static final String NO_CREDENTIALS = "no AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,"
            + " a profile (-profile, AWS_PROFILE) or a role";
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
        if (missingCredentials(e)) {
            hint = NO_CREDENTIALS;
        } else if (e instanceof AwsServiceException service && credentialsHint(service) != null) {
            hint = credentialsHint(service);
        } else if (e instanceof AwsServiceException service) {
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
        String detail = hint.equals(NO_CREDENTIALS) ? "" : " (" + describe(e) + ")";
        return new ObjectStoreException("bucket '" + bucket + "' at " + location + " is not usable: " + hint + detail, e);
    }

    /**
     * Status, error code, the store's message and request id of an SDK failure, once each (the
     * SDK's own message repeats its "(Service: S3, Status Code: ...)" suffix, and is empty for a
     * HEAD); for missing credentials, one line saying so (the SDK's account of every provider it
     * tried goes to DEBUG); the message alone otherwise.
     */
    static String describe(Throwable e) {
        if (missingCredentials(e)) {
            LOG.debug("No AWS credentials: {}", e.getMessage());
            return NO_CREDENTIALS;
        }
        if (e instanceof AwsServiceException service) {
            StringBuilder text = new StringBuilder("HTTP ").append(service.statusCode());
            AwsErrorDetails details = service.awsErrorDetails();
            if (details != null && details.errorCode() != null) {
                text.append(' ').append(details.errorCode());
            }
            String message = details == null || details.errorMessage() == null || details.errorMessage().isBlank()
                    ? details == null ? null : details.sdkHttpResponse().statusText().orElse(null)
                    : details.errorMessage();
            if (message != null) {
                text.append(": ").append(message);
            }
            if (service.requestId() != null) {
                text.append(" (request id ").append(service.requestId()).append(')');
            }
            return text.toString();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The credentials at fault, for the error codes that say so; null for other failures. */
    private static String credentialsHint(AwsServiceException service) {
        String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
        if (code == null) {
            return null;
        }
        return switch (code) {
            case "InvalidAccessKeyId" -> "the store does not know the access key (InvalidAccessKeyId); check"
                    + " AWS_ACCESS_KEY_ID or the profile (-profile, AWS_PROFILE)";
            case "SignatureDoesNotMatch" -> "the secret key does not match the access key (SignatureDoesNotMatch); check"
                    + " AWS_SECRET_ACCESS_KEY or the profile (-profile, AWS_PROFILE)";
            case "ExpiredToken", "InvalidToken", "TokenRefreshRequired" -> "the session token is expired or invalid ("
                    + code + "); renew the credentials (AWS_SESSION_TOKEN, the profile or the role)";
            default -> null;
        };
    }

    /** The SDK found no credentials in its chain, or none in the profile given. */
    private static boolean missingCredentials(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof SdkClientException && t.getMessage() != null
                    && (t.getMessage().startsWith("Unable to load credentials")
                            || t.getMessage().startsWith("Profile file contained no credentials"))) {
                return true;
            }
        }
        return false;
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
