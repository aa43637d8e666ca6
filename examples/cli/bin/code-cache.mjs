// Runs the CLI's CommonJS bundle with V8's code cache. Compiling the 3.7 MB bundle, and the functions a
// command then calls, is most of a command's start-up; V8 can save the compiled code and load it on the
// next run instead. The cache sits beside the bundle and is written after a run that had none (or one V8
// refused), so it holds what that run compiled. V8 checks only the source's length and its own version
// and flags, so the bundle's size and modification time are stamped on the cache too: a rebuilt bundle
// never runs with the code of the one before. Without write access the CLI simply runs uncached.
import { Buffer } from 'node:buffer';
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script, constants } from 'node:vm';

/** What the cache must have been made from; `stats` are the bundle's. */
function stampOf(stats) {
  return Buffer.from(`elicense code cache ${stats.size} ${stats.mtimeMs} ${process.version} ${process.arch}\n`);
}

function readCache(cacheFile, stamp) {
  try {
    const bytes = readFileSync(cacheFile);
    return bytes.subarray(0, stamp.length).equals(stamp) ? bytes.subarray(stamp.length) : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(cacheFile, stamp, script) {
  // Written aside and renamed, so a run that starts meanwhile reads the old cache or the new, never half.
  const partial = `${cacheFile}.${process.pid}.tmp`;
  let fd;
  try {
    fd = openSync(partial, 'w');
  } catch {
    // A read-only installation runs without the cache, and does not make one it could not keep.
    return;
  }
  try {
    writeFileSync(fd, Buffer.concat([stamp, script.createCachedData()]));
    closeSync(fd);
    fd = undefined;
    renameSync(partial, cacheFile);
  } catch {
    // A full disk: no cache this time, and no half-written file left behind.
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(partial);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Runs the CommonJS script `file` as Node would, compiling it from the cache when there is a good one.
 * Returns whether it did.
 */
export function runWithCodeCache(file, stats) {
  const cacheFile = `${file}.v8-cache`;
  const stamp = stampOf(stats);
  const cachedData = readCache(cacheFile, stamp);
  const source = readFileSync(file, 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    ...(constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ? { importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER } : {}),
  });
  // After the run, so the cache holds the functions the command compiled, not only the top level.
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeCache(cacheFile, stamp, script));
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return { fromCache: cachedData !== undefined && !script.cachedDataRejected };
}
