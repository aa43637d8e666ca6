/**
 * A signing worker: builds the signed forms of the licenses the pool sends it, with keys it opens itself
 * from their sealed envelopes, so signing and PDF rendering run on every core while the main thread keeps
 * to HTTP and the database.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { makeLicenseForms } from './license-forms.js';
import { createSealedKeyOpener } from './sealed-keys.js';
import type { SigningReply, SigningTask, SigningWorkerData } from './signing-pool.js';

const data = workerData as SigningWorkerData;
const open = createSealedKeyOpener(data.kek);
const port = parentPort!;

async function sign(task: SigningTask): Promise<SigningReply> {
  const signers = await Promise.all(task.keys.signers.map(open));
  const timeStampingSigner = task.keys.timeStamping ? await open(task.keys.timeStamping) : undefined;
  // The main thread's clock, which tests may set, moved on by the time that passes here.
  const now = () => new Date(Date.now() + task.clockOffsetMs);
  const forms = await makeLicenseForms(
    {
      signers,
      ...(task.keys.seal ? { seal: task.keys.seal } : {}),
      ...(timeStampingSigner ? { timeStampingSigner } : {}),
      font: data.font,
      verificationUrl: data.verificationUrl,
      now,
    },
    task.credential,
    task.type,
    { jsonOnly: task.jsonOnly },
  );
  return { id: task.id, signedJson: forms.signedJson, ...(forms.pdf ? { pdf: forms.pdf } : {}) };
}

port.on('message', (task: SigningTask) => {
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
