package io.s3logger.domain.port.out;

import io.s3logger.domain.model.status.ListenerStatus;

/**
 * Implemented by the driving adapter that receives the objects (the TCP listener): its own
 * counters, as one snapshot. Must be cheap and must not block the connections: it is read on
 * every metrics scrape and status line.
 */
public interface ListenerStatusSource {

    ListenerStatus listenerStatus();
}
