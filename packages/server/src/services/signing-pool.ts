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

export interface SigningTask {
  readonly id: number;
  readonly keys: SealedOfficeKeys;
  readonly credential: LicenseCredential;
  readonly type: LicenseType;
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

interface Pending {
  readonly task: SigningTask;
  resolve(forms: SignedForms): void;
  reject(error: Error): void;
}

interface Slot {
  readonly worker: Worker;
  readonly running: Map<number, Pending>;
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
  let usable = true;
  let closed = false;

  const spawn = (): Slot => {
    const source = workerSource();
    const worker = new Worker(source, { eval: typeof source === 'string', workerData });
    const slot: Slot = { worker, running: new Map(), started: false };
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

  const dispatch = () => {
    while (queue.length > 0 && usable && !closed) {
      let slot = slots.reduce<Slot | undefined>((best, s) => (s.running.size < TASKS_PER_WORKER && (!best || s.running.size < best.running.size) ? s : best), undefined);
      if ((!slot || slot.running.size > 0) && slots.length < size) slot = spawn();
      if (!slot) return;
      const pending = queue.shift()!;
      slot.running.set(pending.task.id, pending);
      slot.worker.ref();
      slot.worker.postMessage(pending.task);
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
        const task: SigningTask = { id: nextId++, keys, credential, type, clockOffsetMs: signOptions.now.getTime() - Date.now(), jsonOnly: signOptions.jsonOnly ?? false };
        queue.push({ task, resolve, reject });
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
