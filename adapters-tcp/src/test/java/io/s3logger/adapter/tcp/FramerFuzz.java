package io.s3logger.adapter.tcp;

import io.s3logger.adapter.tcp.FramerFuzzing.Shape;
import java.time.Duration;

/**
 * Long-running fuzzing of {@link JsonObjectFramer} for the benchmark profile (docs/protocol.md):
 * {@code FramerFuzz <minutes> [first seed]} runs the shapes of {@link FramerFuzzing} on ever new
 * seeds until the time is up, printing progress every ten seconds. Exit status 0 if the contract
 * held for every case, 1 with the failing shape and seed (rerun it with that seed) otherwise.
 */
public final class FramerFuzz {

    private FramerFuzz() {}

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: FramerFuzz <minutes> [first seed]");
            System.exit(2);
        }
        Duration budget = Duration.ofSeconds(Math.round(Double.parseDouble(args[0]) * 60));
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
        long firstSeed = seed;
        long start = System.nanoTime();
        long nextReport = start + Duration.ofSeconds(10).toNanos();
        long cases = 0;
        System.out.printf("FramerFuzz: %s from seed %d%n", budget, firstSeed);
        while (System.nanoTime() - start < budget.toNanos()) {
            for (Shape shape : Shape.values()) {
                try {
                    FramerFuzzing.run(shape, seed);
                } catch (AssertionError e) {
                    System.out.printf("FramerFuzz: FAILED after %d cases: %s%n", cases, e.getMessage());
                    e.printStackTrace(System.out);
                    System.exit(1);
                }
                cases++;
            }
            seed++;
            if (System.nanoTime() >= nextReport) {
                System.out.printf("FramerFuzz: %d cases, seeds %d..%d, all kept the contract%n", cases, firstSeed, seed - 1);
                nextReport += Duration.ofSeconds(10).toNanos();
            }
        }
        System.out.printf("FramerFuzz: done, %d cases, seeds %d..%d, all kept the contract%n", cases, firstSeed, seed - 1);
    }
}
