/**
 * A signing worker: builds the signed forms of the licenses the pool sends it, with keys it opens itself
 * from their sealed envelopes, so signing and PDF rendering run on every core while the main thread keeps
 * to HTTP and the database.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Signer } from '@elicense/core';
import { makeLicenseForms } from './license-forms.js';
import { createSealedKeyOpener, type SealedOfficeKeys } from './sealed-keys.js';
import type { Shared, SigningReply, SigningTask, SigningWorkerData } from './signing-pool.js';

const data = workerData as SigningWorkerData;
const open = createSealedKeyOpener(data.kek);
const port = parentPort!;

/** The values the pool shared with this worker, by ref (see Shared). */
const kept = new Map<number, unknown>();
/** An office's keys opened, by the ref of its sealed keys. */
const openedKeys = new Map<number, Promise<{ signers: Signer[]; timeStampingSigner?: Signer }>>();

function take<T>(shared: Shared<T>): T {
  if (shared.value !== undefined) kept.set(shared.ref, shared.value);
  if (!kept.has(shared.ref)) throw new Error(`the signing pool named value ${shared.ref}, which this worker does not keep`);
  return kept.get(shared.ref) as T;
}

function openKeys(shared: Shared<SealedOfficeKeys>, keys: SealedOfficeKeys) {
  let opened = openedKeys.get(shared.ref);
  if (!opened) {
    opened = (async () => ({
      signers: await Promise.all(keys.signers.map(open)),
      ...(keys.timeStamping ? { timeStampingSigner: await open(keys.timeStamping) } : {}),
    }))();
    openedKeys.set(shared.ref, opened);
    opened.catch(() => openedKeys.delete(shared.ref));
  }
  return opened;
}

async function sign(task: SigningTask): Promise<SigningReply> {
  const keys = take(task.keys);
  const type = take(task.type);
  const { signers, timeStampingSigner } = await openKeys(task.keys, keys);
  // The main thread's clock, which tests may set, moved on by the time that passes here.
  const now = () => new Date(Date.now() + task.clockOffsetMs);
  const forms = await makeLicenseForms(
    {
      signers,
      ...(keys.seal ? { seal: keys.seal } : {}),
      ...(timeStampingSigner ? { timeStampingSigner } : {}),
      font: data.font,
      verificationUrl: data.verificationUrl,
      now,
    },
    task.credential,
    type,
    { jsonOnly: task.jsonOnly },
  );
  return { id: task.id, signedJson: forms.signedJson, ...(forms.pdf ? { pdf: forms.pdf } : {}) };
}

port.on('message', (task: SigningTask) => {
  for (const ref of task.forget) {
    kept.delete(ref);
    openedKeys.delete(ref);
  }
  sign(task).then(
    (reply) => {
      // Hand the PDF's memory over instead of copying it, when the array owns its whole buffer.
      const pdf = 'pdf' in reply && reply.pdf ? (reply.pdf.byteOffset === 0 && reply.pdf.byteLength === reply.pdf.buffer.byteLength ? reply.pdf : reply.pdf.slice()) : undefined;
      port.postMessage(pdf ? { ...reply, pdf } : reply, pdf ? [pdf.buffer as ArrayBuffer] : []);
    },
    (error: unknown) => port.postMessage({ id: task.id, error: error instanceof Error ? error.message : String(error) } satisfies SigningReply),
  );
});
port.postMessage({ ready: true });
