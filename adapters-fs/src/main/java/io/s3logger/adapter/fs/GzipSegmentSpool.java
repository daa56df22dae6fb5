package io.s3logger.adapter.fs;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.model.status.SpoolStatus;
import io.s3logger.domain.port.out.OpenSegment;
import io.s3logger.domain.port.out.SegmentSpool;
import io.s3logger.domain.port.out.SpoolStatusSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segment spool on a local directory, writing gzip files (RFC 1952) made of one or more
 * members, which every standard reader reads as one stream.
 *
 * <p>The directory is created owner-only ({@code rwx------}) if missing, and segment files are
 * created {@code rw-------}. One spool instance owns the directory at a time: {@link #open} takes
 * an exclusive lock on {@value #LOCK_FILE_NAME} in it, held until {@link #close()}, and fails with
 * {@link SpoolLockedException} while another process (or another instance) holds it.
 *
 * <p>Files: {@code <base>.json.gz.open} while written, {@code <base>.json.gz} once sealed, where
 * {@code <base>} is {@link SegmentId#baseName()}. See {@link GzipOpenSegment} for the write and
 * failure guarantees of a segment. {@link #create}, {@link #recover} and {@link #delete} may be
 * called from different threads.
 *
 * <p>Compression runs on the spool's own pool of compression threads, which deflate consecutive
 * 1 MiB blocks of a segment in parallel while the members are written in order, with ISA-L
 * (through Intel's GKL) where its bundled library loads and the JDK's zlib elsewhere ({@link
 * DeflateEngine}); memory for a segment stays below about {@code (2 × threads + 1) × 2 MiB}.
 * {@link #close()} stops the pool.
 */
public final class GzipSegmentSpool implements SegmentSpool, SpoolStatusSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GzipSegmentSpool.class);
    static final String LOCK_FILE_NAME = ".lock";

    private final Path dir;
    private final BlockCompressor compressor;
    private final FileLock lock;
    private final String compression;
    private final SegmentFiles files;
    private final SegmentSalvager salvager;
    /** The largest member a segment holds: one block's worth of input, compressed, with room to spare. */
    private static final int MAX_MEMBER_BYTES = BlockCompressor.BLOCK_BYTES + 64 * 1024;

    /** Temporary files of segments this instance is writing: recovery must not touch them. */
    private final Set<Path> liveFiles = ConcurrentHashMap.newKeySet();
    private final AtomicLong damagedSegments = new AtomicLong();

    private GzipSegmentSpool(Path dir, BlockCompressor compressor, FileLock lock, String compression, SpoolFileSystem fs) {
        this.dir = dir;
        this.compressor = compressor;
        this.lock = lock;
        this.compression = compression;
        this.files = new SegmentFiles(dir, fs);
        this.salvager = new SegmentSalvager(files, compressor);
    }

    /**
     * Opens the spool with one compression thread per available processor; see {@link
     * #open(Path, int, int)}.
     */
    public static GzipSegmentSpool open(Path dir, int compressionLevel) throws IOException {
        return open(dir, compressionLevel, 0);
    }

    /**
     * Opens (creating if needed) the spool in {@code dir} and locks it for this instance.
     *
     * @param compressionLevel deflate level 0..9; 1 is fast and is what the program uses. Levels
     *     1 and 2 use ISA-L where its library loads (one WARN where it does not), the others the
     *     JDK's zlib ({@link DeflateEngine#best})
     * @param compressionThreads threads compressing blocks in parallel, 1 or more; 0 means one
     *     per available processor
     * @throws SpoolLockedException if another process or instance uses the directory
     * @throws IOException if the directory cannot be created or the lock file cannot be opened
     */
    public static GzipSegmentSpool open(Path dir, int compressionLevel, int compressionThreads) throws IOException {
        return open(dir, compressionLevel, compressionThreads, DeflateEngine.best(compressionLevel), SpoolFileSystem.REAL);
    }

    /**
     * As {@link #open(Path, int, int)}, compressing with {@code engine} and creating, renaming and
     * forcing files through {@code fs}.
     */
    static GzipSegmentSpool open(Path dir, int compressionLevel, int compressionThreads, DeflateEngine engine,
            SpoolFileSystem fs)
            throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (compressionLevel < 0 || compressionLevel > 9) {
            throw new IllegalArgumentException("compression level must be 0..9: " + compressionLevel);
        }
        if (compressionThreads < 0) {
            throw new IllegalArgumentException("compression threads must be 0 (one per processor) or more: "
                    + compressionThreads);
        }
        int threads = compressionThreads == 0 ? Runtime.getRuntime().availableProcessors() : compressionThreads;
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            Files.createDirectories(absolute, OwnerOnlyPermissions.directory(absolute));
        }
        FileChannel lockChannel = FileChannel.open(
                absolute.resolve(LOCK_FILE_NAME),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                OwnerOnlyPermissions.file(absolute));
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another instance in this JVM
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        if (lock == null) {
            lockChannel.close();
            throw new SpoolLockedException(absolute);
        }
        String compression = "gzip level " + compressionLevel + " with " + engine.displayName()
                + " on " + threads + (threads == 1 ? " thread" : " threads");
        return new GzipSegmentSpool(absolute, BlockCompressor.withThreads(engine, compressionLevel, threads,
                compressorThreadName(absolute)), lock, compression, fs);
    }

    /** How segments are compressed, e.g. "gzip level 1 with ISA-L (Intel GKL) on 2 threads". */
    public String compression() {
        return compression;
    }

    /**
     * Finished segments are returned as they are. Each unfinished {@code .open} file (except the
     * ones this instance is writing) is salvaged: its complete lines become a finished segment,
     * a torn last line is dropped with a WARN, and a file without any complete line is deleted.
     * Each finished segment is checked cheaply ({@link GzipTail}); one that does not end with a
     * complete member (truncated) is logged at ERROR, counted in the {@link #spoolStatus() status} and
     * salvaged the same way instead of being delivered as it is.
     * Leftover temporary files of an interrupted salvage are deleted. A file that cannot be
     * salvaged now (disk full, ...) is logged at ERROR and left for the next start. Files whose
     * names are not segment names are left alone with a WARN.
     */
    @Override
    public List<SealedSegment> recover() throws IOException {
        checkOpen();
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        }
        Map<Path, SealedSegment> finished = new HashMap<>();
        List<Path> finishedCandidates = new ArrayList<>();
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.equals(LOCK_FILE_NAME) || liveFiles.contains(entry)) {
                continue;
            }
            Optional<SegmentId> unfinished = SegmentFiles.idOf(name, SegmentFiles.OPEN_SUFFIX);
            Optional<SegmentId> leftover = SegmentFiles.idOf(name, SegmentFiles.SALVAGE_SUFFIX);
            if (name.endsWith(SegmentFiles.FINISHED_SUFFIX) && Files.isRegularFile(entry)) {
                finishedCandidates.add(entry);
            } else if (unfinished.isPresent() && Files.isRegularFile(entry)) {
                try {
                    salvager.salvage(unfinished.get(), entry).ifPresent(s -> finished.put(s.file(), s));
                } catch (IOException e) {
                    // One bad file must not keep the program from starting and delivering the others.
                    LOG.error("Cannot salvage unfinished segment {}; it stays in the spool for the next start: {}",
                            entry, e.toString());
                }
            } else if (leftover.isPresent()) {
                LOG.info("Deleting {}, left over from an interrupted salvage", entry);
                Files.deleteIfExists(entry);
            } else {
                LOG.warn("Leaving {} alone in the spool directory: not a segment file", entry);
            }
        }
        for (Path file : finishedCandidates) {
            if (finished.containsKey(file)) {
                continue; // rewritten by a salvage above
            }
            String name = file.getFileName().toString();
            Optional<SegmentId> id = SegmentFiles.idOf(name, SegmentFiles.FINISHED_SUFFIX);
            if (id.isEmpty()) {
                LOG.warn("Leaving {} alone in the spool directory: not a segment name", file);
            } else if (GzipTail.endsWithCompleteMember(file, MAX_MEMBER_BYTES)) {
                finished.put(file, new SealedSegment(id.get(), file, Files.size(file)));
            } else {
                damagedSegments.incrementAndGet();
                LOG.error("Finished segment {} is damaged (it does not end with a complete gzip member); salvaging"
                        + " its complete lines", file);
                try {
                    salvager.salvage(id.get(), file).ifPresent(s -> finished.put(s.file(), s));
                } catch (IOException e) {
                    LOG.error("Cannot salvage damaged segment {}; it stays in the spool for the next start: {}",
                            file, e.toString());
                }
            }
        }
        List<SealedSegment> oldestFirst = new ArrayList<>(finished.values());
        oldestFirst.sort(null);
        return oldestFirst;
    }

    /** The compression and the damaged segments salvaged by {@link #recover()} in this run. */
    @Override
    public SpoolStatus spoolStatus() {
        return new SpoolStatus(compression, damagedSegments.get());
    }

    /**
     * Creates {@code <base>.json.gz.open} (owner-only). Fails with {@link
     * FileAlreadyExistsException} if a segment with this id exists already, open or finished.
     */
    @Override
    public OpenSegment create(SegmentId id) throws IOException {
        checkOpen();
        Path finishedFile = files.finishedFile(id);
        if (Files.exists(finishedFile)) {
            throw new FileAlreadyExistsException(finishedFile.toString(), null, "a segment with this id exists");
        }
        Path openFile = files.openFile(id);
        liveFiles.add(openFile);
        try {
            return files.create(id, openFile, compressor, () -> liveFiles.remove(openFile));
        } catch (IOException | RuntimeException e) {
            liveFiles.remove(openFile);
            throw e;
        }
    }

    @Override
    public void delete(SealedSegment segment) throws IOException {
        Files.deleteIfExists(segment.file());
    }

    /**
     * Stops the compression threads (blocks already submitted are finished first) and releases the
     * directory lock; the spool cannot be used afterwards, and open segments fail with an
     * IOException. Open segments are not sealed; the next start salvages them. Closing twice does
     * nothing.
     */
    @Override
    public void close() throws IOException {
        if (!lock.channel().isOpen()) {
            return;
        }
        try {
            compressor.close();
            lock.release();
        } finally {
            lock.channel().close();
        }
    }

    /** Names the threads after the spool, so each spool's pool can be told apart in thread dumps. */
    static String compressorThreadName(Path dir) {
        return "spool-compressor[" + dir + "]-";
    }

    private void checkOpen() {
        if (!lock.isValid()) {
            throw new IllegalStateException("spool " + dir + " is closed");
        }
    }
}
