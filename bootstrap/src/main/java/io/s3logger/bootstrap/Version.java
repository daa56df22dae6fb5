package io.s3logger.bootstrap;

/** The program's version, from the jar manifest. */
final class Version {

    private Version() {}

    static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
