/**
 * Opening a logged-in session on a PKCS#11 token: loading the module, finding the token by label or
 * slot id, logging in with the user PIN, and turning the module's CKR_* codes into errors an operator
 * can act on. The signer and the key generator build on it; so can operators' tools.
 *
 * A PKCS#11 module is initialised once per process (C_Initialize may not be called twice, and
 * C_Finalize ends every session of the process), so modules are shared and reference-counted: the
 * last session closed finalises the module. Login state is per token and process too: a second
 * session on a token that is already logged in finds it logged in (CKR_USER_ALREADY_LOGGED_IN, taken
 * as success, so its PIN is not checked again), and closing the token's last session logs out.
 *
 * SoftHSM2 reads SOFTHSM2_CONF when the module is initialised, so it must be set before the first
 * session of the process opens.
 *
 * The PIN is never part of an error message; PKCS#11 errors carry only the CKR name and the function.
 */
import { Module, SessionFlag, TokenFlag, UserType, type Session, type Slot } from 'graphene-pk11';
import { ElicenseError } from '@elicense/core';

/** Where Debian's `libsofthsm2` package installs SoftHSM2's module. */
export const DEFAULT_PKCS11_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export interface Pkcs11TokenOptions {
  /** The PKCS#11 module (shared library); SoftHSM2's Debian path when absent. */
  readonly modulePath?: string;
  /** The token's label, as `softhsm2-util --show-slots` prints it. Give this or `slot`. */
  readonly tokenLabel?: string;
  /** The slot id (not its index), as `softhsm2-util --show-slots` prints it. Give this or `tokenLabel`. */
  readonly slot?: number;
  /** The user PIN. */
  readonly pin: string;
}

export interface Pkcs11Session {
  readonly session: Session;
  /** The token's label, for messages. */
  readonly tokenLabel: string;
  /** Closes the session and, with the last session of the module, finalises the module. Idempotent. */
  close(): void;
}

interface LoadedModule {
  readonly module: Module;
  users: number;
}

const loadedModules = new Map<string, LoadedModule>();

/** The CKR_* name of a PKCS#11 error (graphene-pk11 and pkcs11js put it in the message), if it is one. */
export function pkcs11ErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  return /^(CKR_[A-Z0-9_]+)/.exec(error.message)?.[1];
}

function tokenError(what: string, error: unknown): ElicenseError {
  const code = pkcs11ErrorCode(error);
  // A non-PKCS#11 error (a missing library, say) has a plain message that names no secret.
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  return new ElicenseError('ERR_KEY_INVALID', `${what} (${detail})`, { cause: error });
}

function acquireModule(modulePath: string): Module {
  const loaded = loadedModules.get(modulePath);
  if (loaded) {
    loaded.users++;
    return loaded.module;
  }
  let module: Module;
  try {
    module = Module.load(modulePath);
  } catch (error) {
    throw tokenError(`the PKCS#11 module ${modulePath} cannot be loaded`, error);
  }
  try {
    module.initialize();
  } catch (error) {
    module.close();
    throw tokenError(`the PKCS#11 module ${modulePath} cannot be initialised`, error);
  }
  loadedModules.set(modulePath, { module, users: 1 });
  return module;
}

function releaseModule(modulePath: string): void {
  const loaded = loadedModules.get(modulePath);
  if (!loaded || --loaded.users > 0) return;
  loadedModules.delete(modulePath);
  try {
    loaded.module.finalize();
  } finally {
    loaded.module.close();
  }
}

/** A slot handle is the CK_SLOT_ID in native byte order, 8 bytes on 64-bit Linux. */
function slotId(slot: Slot): number {
  return Number(slot.handle.readBigUInt64LE(0));
}

function findSlot(module: Module, options: Pkcs11TokenOptions): { slot: Slot; label: string } {
  const slots = module.getSlots(true);
  const tokens: { slot: Slot; label: string; id: number }[] = [];
  for (let i = 0; i < slots.length; i++) {
    const slot = slots.items(i);
    const token = slot.getToken();
    // An uninitialised token (SoftHSM2 always offers one spare) can hold no key.
    if (token.flags & TokenFlag.TOKEN_INITIALIZED) tokens.push({ slot, label: token.label.trim(), id: slotId(slot) });
  }
  const found =
    options.tokenLabel !== undefined
      ? tokens.filter((t) => t.label === options.tokenLabel)
      : tokens.filter((t) => t.id === options.slot);
  const wanted = options.tokenLabel !== undefined ? `labelled ${JSON.stringify(options.tokenLabel)}` : `in slot ${options.slot}`;
  const available = tokens.map((t) => `${JSON.stringify(t.label)} (slot ${t.id})`).join(', ') || 'none';
  if (found.length === 0) {
    throw new ElicenseError('ERR_INVALID_INPUT', `no initialised PKCS#11 token ${wanted}; tokens present: ${available}`);
  }
  if (found.length > 1) {
    throw new ElicenseError('ERR_INVALID_INPUT', `${found.length} PKCS#11 tokens are ${wanted}: select one by slot id; tokens present: ${available}`);
  }
  return found[0]!;
}

function login(session: Session, pin: string, label: string): void {
  try {
    session.login(pin, UserType.USER);
  } catch (error) {
    const code = pkcs11ErrorCode(error);
    if (code === 'CKR_USER_ALREADY_LOGGED_IN') return;
    const why =
      code === 'CKR_PIN_INCORRECT'
        ? 'the PIN is incorrect'
        : code === 'CKR_PIN_LOCKED'
          ? 'the PIN is locked after too many wrong tries; the security officer must reset it'
          : code === 'CKR_PIN_LEN_RANGE'
            ? 'the PIN has a length the token does not accept'
            : code === 'CKR_USER_PIN_NOT_INITIALIZED'
              ? 'the token has no user PIN yet'
              : 'the token refused the login';
    // Same code as a wrong passphrase on a key file: the secret that unlocks the key was not accepted.
    throw new ElicenseError('ERR_KEY_DECRYPT_FAILED', `login to PKCS#11 token ${JSON.stringify(label)} failed: ${why} (${code ?? 'unknown error'})`, {
      cause: error,
    });
  }
}

/**
 * Opens a session on the token and logs in. `readWrite` is for creating objects (key generation);
 * signing needs only a read-only session.
 */
export function openPkcs11Session(options: Pkcs11TokenOptions, readWrite = false): Pkcs11Session {
  if ((options.tokenLabel === undefined) === (options.slot === undefined)) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'select the PKCS#11 token by exactly one of tokenLabel and slot');
  }
  if (typeof options.pin !== 'string' || options.pin.length === 0) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'a PKCS#11 user PIN is needed');
  }
  const modulePath = options.modulePath ?? DEFAULT_PKCS11_MODULE;
  const module = acquireModule(modulePath);
  let session: Session | undefined;
  try {
    const { slot, label } = findSlot(module, options);
    try {
      session = slot.open(SessionFlag.SERIAL_SESSION | (readWrite ? SessionFlag.RW_SESSION : 0));
    } catch (error) {
      throw tokenError(`cannot open a session on PKCS#11 token ${JSON.stringify(label)}`, error);
    }
    login(session, options.pin, label);
    const opened = session;
    let closed = false;
    return {
      session: opened,
      tokenLabel: label,
      close() {
        if (closed) return;
        closed = true;
        try {
          opened.close();
        } finally {
          releaseModule(modulePath);
        }
      },
    };
  } catch (error) {
    try {
      session?.close();
    } finally {
      releaseModule(modulePath);
    }
    throw error;
  }
}
