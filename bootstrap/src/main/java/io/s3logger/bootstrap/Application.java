package io.s3logger.bootstrap;

/** What every component of the program gives: the assembled program. */
public interface Application {

    S3Logger s3logger();
}
