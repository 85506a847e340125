package comms.cli.mcp;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;

/** An in-memory byte pipe between threads: what one side writes, the other reads; closing the writer is end of stream. */
final class Pipe {
  private static final byte[] END = new byte[0];
  private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();

  final OutputStream writer =
      new OutputStream() {
        @Override
        public void write(int b) {
          chunks.add(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) {
          byte[] c = new byte[len];
          System.arraycopy(b, off, c, 0, len);
          chunks.add(c);
        }

        @Override
        public void close() {
          chunks.add(END);
        }
      };

  final InputStream reader =
      new InputStream() {
        private byte[] current = new byte[0];
        private int at;
        private boolean ended;

        @Override
        public int read() {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
          if (ended) {
            return -1;
          }
          while (at >= current.length) {
            try {
              current = chunks.take();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return -1;
            }
            at = 0;
            if (current == END) {
              ended = true;
              return -1;
            }
          }
          int n = Math.min(len, current.length - at);
          System.arraycopy(current, at, b, off, n);
          at += n;
          return n;
        }
      };
}
