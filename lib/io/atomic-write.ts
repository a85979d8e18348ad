/**
 * Writing a file so that a crash or an error part way leaves the previous file as it was: the
 * bytes go to a temporary file beside the target (same directory, so same file system), are
 * flushed to disk, and only then renamed over the target, which is atomic on POSIX and Windows.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Writes all of bytes at the file's current position (writeSync may write less than asked). */
export function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

/**
 * Calls write(fd) on a fresh temporary file next to target, fsyncs it and renames it to target.
 * On any error the temporary file is removed, target is untouched, and the error is rethrown.
 */
export function writeFileAtomic(target: string, write: (fd: number) => void): void {
  const dir = path.dirname(path.resolve(target));
  // Unique per call, so two writers of one target never share a temporary file.
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = fs.openSync(tmp, 'wx');
  try {
    write(fd);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== null) closeQuietly(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  syncDirectory(dir);
}

/** Closes fd while another error is on its way out: that error is the one to report. */
function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // the first error says more
  }
}

/** Makes the rename itself durable; some systems (Windows) cannot open a directory, which is fine. */
function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // The data is safe on disk already; only the rename may be lost by a power cut here.
  } finally {
    if (fd !== null) closeQuietly(fd);
  }
}
