package io.s3logger.adapter.s3;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Records every HTTP request the client is about to send, and can make the client fail from the
 * {@code n}-th request of one operation on (every attempt, so retries fail too).
 */
final class RecordingInterceptor implements ExecutionInterceptor {

    record Sent(String operation, SdkHttpRequest request) {}

    /** Thrown instead of sending an injected-failure request. */
    static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String operation) {
            super("injected failure of " + operation);
        }
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final String failingOperation;
    private final int failFromCall;

    /** Records only. */
    RecordingInterceptor() {
        this("", Integer.MAX_VALUE);
    }

    RecordingInterceptor(String failingOperation, int failFromCall) {
        this.failingOperation = failingOperation;
        this.failFromCall = failFromCall;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        sent.add(new Sent(operation, context.httpRequest()));
        if (operation.equals(failingOperation) && requests(operation).size() >= failFromCall) {
            throw new InjectedFailure(operation);
        }
    }

    List<SdkHttpRequest> requests(String operation) {
        return sent.stream().filter(s -> s.operation().equals(operation)).map(Sent::request).toList();
    }

    List<String> operations() {
        return sent.stream().map(Sent::operation).toList();
    }
}
