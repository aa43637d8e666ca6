/**
 * Turns the verify command's options into what the core verifier takes: a verified trust list, CRLs,
 * and a status resolver over the status documents the user named (files or URLs).
 */
import {
  certificatesFromPem,
  isJsonObject,
  looksLikePem,
  parseJsonStrict,
  parseJws,
  parsePem,
  verifyTrustList,
  verifyTrustListTrustingEmbeddedOperator,
  type StatusResolver,
  type TrustInput,
} from '@elicense/core';
import { UsageError } from '../errors.js';
import { readInput, readText } from '../io.js';

const FETCH_TIMEOUT_MS = 10_000;

async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (error) {
    throw new UsageError(`cannot fetch ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new UsageError(`cannot fetch ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function isUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

export async function loadTrust(path: string | undefined, operatorPath: string | undefined, at: Date): Promise<TrustInput | undefined> {
  if (path === undefined) return undefined;
  const bytes = isUrl(path) ? await fetchBytes(path) : await readInput(path, 'trust list');
  try {
    if (operatorPath !== undefined) {
      const operatorCertificates = certificatesFromPem(await readText(operatorPath, 'operator certificate')).map((c) => c.der);
      if (operatorCertificates.length === 0) throw new UsageError(`${operatorPath} holds no PEM certificate`);
      return { list: await verifyTrustList(bytes, { at, operatorCertificates }) };
    }
    return { list: await verifyTrustListTrustingEmbeddedOperator(bytes, { at }) };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return { error: (error as Error).message };
  }
}

export interface StatusSources {
  readonly crls: Uint8Array[];
  readonly resolver: StatusResolver;
}

/** CRLs (PEM or DER) go to certificate checking; signed status lists are looked up by their `id`. */
export async function loadStatusSources(values: readonly string[]): Promise<StatusSources> {
  const crls: Uint8Array[] = [];
  const lists = new Map<string, string>();
  for (const value of values) {
    const bytes = isUrl(value) ? await fetchBytes(value) : await readInput(value, 'status source');
    if (looksLikePem(bytes)) {
      const blocks = parsePem(new TextDecoder().decode(bytes)).filter((b) => b.label === 'X509 CRL');
      if (blocks.length === 0) throw new UsageError(`${value}: a PEM status source must hold X509 CRL blocks`);
      crls.push(...blocks.map((b) => b.der));
      continue;
    }
    if (bytes[0] === 0x30) {
      crls.push(bytes);
      continue;
    }
    const text = new TextDecoder().decode(bytes).trim();
    let id: unknown;
    try {
      const payload = parseJsonStrict(new TextDecoder().decode(parseJws(text).payload));
      id = isJsonObject(payload) ? payload.id : undefined;
    } catch (error) {
      throw new UsageError(`${value} is neither a CRL nor a signed status list: ${(error as Error).message}`);
    }
    if (typeof id !== 'string') throw new UsageError(`${value}: the status list has no "id"`);
    lists.set(id, text);
    if (isUrl(value)) lists.set(value, text);
  }
  return { crls, resolver: async (url) => lists.get(url) };
}
