/**
 * A pool of signing workers (worker_threads), one per core: building, signing and rendering a license
 * takes tens of milliseconds of CPU, and on one thread a batch would use one core. Workers are started on
 * first use and let the process exit when idle; the database stays on the main thread.
 *
 * A task that fails (a license that cannot be signed) rejects with the worker's message. A worker that
 * dies rejects its tasks with SigningPoolError, and one that dies before it could start marks the pool
 * unusable, so callers sign on their own thread instead.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { LicenseCredential, LicenseType } from '@elicense/core';
import type { SignedForms } from './license-forms.js';
import type { SealedOfficeKeys } from './sealed-keys.js';

export interface SigningWorkerData {
  readonly kek: Uint8Array;
  readonly font: Uint8Array;
  readonly verificationUrl: string;
}

/**
 * A value a worker keeps between tasks: an office's keys (with its seal, tens of kilobytes) or a license
 * type. It travels to each worker once, with the first task that needs it; later tasks name it by `ref`.
 */
export interface Shared<T> {
  readonly ref: number;
  readonly value?: T;
}

export interface SigningTask {
  readonly id: number;
  readonly keys: Shared<SealedOfficeKeys>;
  readonly type: Shared<LicenseType>;
  /** Refs the worker may drop: the pool no longer counts on it keeping them. */
  readonly forget: readonly number[];
  readonly credential: LicenseCredential;
  /** The main thread's clock minus the real one, so a worker signs at the time the server keeps. */
  readonly clockOffsetMs: number;
  readonly jsonOnly: boolean;
}

export type SigningReply =
  | { readonly id: number; readonly signedJson: string; readonly pdf?: Uint8Array }
  | { readonly id: number; readonly error: string };

/** The pool, not the license, failed: the work may be retried. */
export class SigningPoolError extends Error {
  override readonly name = 'SigningPoolError';
}

export interface SigningPool {
  /** False once workers failed to start; sign on the calling thread then. */
  readonly usable: boolean;
  sign(keys: SealedOfficeKeys, credential: LicenseCredential, type: LicenseType, options: { now: Date; jsonOnly?: boolean }): Promise<SignedForms>;
  close(): Promise<void>;
}

/** Two tasks per worker: one is signed while the other's answer travels back. */
const TASKS_PER_WORKER = 2;

/** Shared values one worker keeps at most; the least recently used goes first. */
const SHARED_PER_WORKER = 32;

interface Pending {
  readonly id: number;
  readonly keys: SealedOfficeKeys;
  readonly type: LicenseType;
  readonly credential: LicenseCredential;
  readonly clockOffsetMs: number;
  readonly jsonOnly: boolean;
  resolve(forms: SignedForms): void;
  reject(error: Error): void;
}

interface Slot {
  readonly worker: Worker;
  readonly running: Map<number, Pending>;
  /** The refs this worker keeps, least recently used first: the pool's copy of the worker's own list. */
  readonly kept: Map<number, true>;
  started: boolean;
}

/** The worker module; under a TypeScript loader (tsx) the worker must register it before importing. */
function workerSource(): string | URL {
  const url = new URL(`./signing-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  if (!url.pathname.endsWith('.ts')) return url;
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
}

export function createSigningPool(options: SigningWorkerData & { size?: number; log: Logger }): SigningPool {
  const size = Math.max(1, options.size ?? availableParallelism());
  const workerData: SigningWorkerData = { kek: options.kek, font: options.font, verificationUrl: options.verificationUrl };
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  let nextId = 0;
  const refs = new WeakMap<object, number>();
  let nextRef = 0;
  let usable = true;
  let closed = false;

  const spawn = (): Slot => {
    const source = workerSource();
    const worker = new Worker(source, { eval: typeof source === 'string', workerData });
    const slot: Slot = { worker, running: new Map(), kept: new Map(), started: false };
    worker.on('message', (message: SigningReply | { ready: true }) => {
      if ('ready' in message) {
        slot.started = true;
        return;
      }
      const pending = slot.running.get(message.id);
      slot.running.delete(message.id);
      if (slot.running.size === 0) worker.unref();
      if ('error' in message) pending?.reject(new Error(message.error));
      else pending?.resolve({ signedJson: message.signedJson, ...(message.pdf ? { pdf: message.pdf } : {}) });
      dispatch();
    });
    worker.on('error', (error) => options.log.error({ err: error }, 'signing worker failed'));
    worker.on('exit', (code) => {
      slots.splice(slots.indexOf(slot), 1);
      if (!slot.started && !closed) {
        usable = false;
        options.log.error({ code }, 'signing workers cannot start; licenses are signed on the main thread');
      }
      for (const pending of slot.running.values()) pending.reject(new SigningPoolError(`a signing worker stopped (exit code ${code})`));
      if (!usable) for (const pending of queue.splice(0)) pending.reject(new SigningPoolError('the signing workers cannot start'));
      else dispatch();
    });
    slots.push(slot);
    return slot;
  };

  /** `value` as `slot`'s worker takes it: by ref when it has it, else whole, dropping its oldest beyond the limit. */
  const share = <T extends object>(slot: Slot, value: T, forget: number[]): Shared<T> => {
    let ref = refs.get(value);
    if (ref === undefined) refs.set(value, (ref = nextRef++));
    const kept = slot.kept.delete(ref);
    slot.kept.set(ref, true);
    if (kept) return { ref };
    if (slot.kept.size > SHARED_PER_WORKER) {
      const oldest = slot.kept.keys().next().value!;
      slot.kept.delete(oldest);
      forget.push(oldest);
    }
    return { ref, value };
  };

  const taskFor = (slot: Slot, pending: Pending): SigningTask => {
    const forget: number[] = [];
    const keys = share(slot, pending.keys, forget);
    const type = share(slot, pending.type, forget);
    return { id: pending.id, keys, type, forget, credential: pending.credential, clockOffsetMs: pending.clockOffsetMs, jsonOnly: pending.jsonOnly };
  };

  const dispatch = () => {
    while (queue.length > 0 && usable && !closed) {
      let slot = slots.reduce<Slot | undefined>((best, s) => (s.running.size < TASKS_PER_WORKER && (!best || s.running.size < best.running.size) ? s : best), undefined);
      if ((!slot || slot.running.size > 0) && slots.length < size) slot = spawn();
      if (!slot) return;
      const pending = queue.shift()!;
      slot.running.set(pending.id, pending);
      slot.worker.ref();
      slot.worker.postMessage(taskFor(slot, pending));
    }
  };

  return {
    get usable() {
      return usable && !closed;
    },
    sign(keys, credential, type, signOptions) {
      if (closed) return Promise.reject(new SigningPoolError('the signing pool is closed'));
      if (!usable) return Promise.reject(new SigningPoolError('the signing workers cannot start'));
      return new Promise<SignedForms>((resolve, reject) => {
        queue.push({ id: nextId++, keys, type, credential, clockOffsetMs: signOptions.now.getTime() - Date.now(), jsonOnly: signOptions.jsonOnly ?? false, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const pending of queue.splice(0)) pending.reject(new SigningPoolError('the signing pool is closed'));
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
