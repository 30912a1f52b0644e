package org.jobstack.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * H2 files on a disk that can be made full: with {@code jdbc:h2:fulldisk:<path>}, every write
 * fails with "No space left on device" while {@link #fill} is in effect, as on a real full disk;
 * reads go on. {@link #free} gives the space back.
 */
public final class FullDiskFilePath extends FilePathWrapper {

    private static volatile boolean full;

    static {
        FilePath.register(new FullDiskFilePath());
    }

    /** Makes sure the {@code fulldisk:} scheme is known to H2. */
    public static void register() {
        // the static initializer registered it
    }

    public static void fill() {
        full = true;
    }

    public static void free() {
        full = false;
    }

    @Override
    public String getScheme() {
        return "fulldisk";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(getBase().open(mode));
    }

    private static void checkSpace() throws IOException {
        if (full) {
            throw new IOException("No space left on device");
        }
    }

    private static final class Channel extends FileBase {

        private final FileChannel base;

        Channel(FileChannel base) {
            this.base = base;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public synchronized int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            checkSpace();
            return base.write(src);
        }

        @Override
        public synchronized int write(ByteBuffer src, long position) throws IOException {
            checkSpace();
            return base.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            base.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            checkSpace();
            base.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
