/**
 * SM3 (GB/T 32905-2016). WebCrypto has no SM3, so it is computed here. SM3 pads and appends the bit
 * length exactly like SHA-256, so @noble/hashes' Merkle–Damgård base does the buffering and padding
 * and this module supplies only the SM3 state, message expansion and compression.
 */
import { Chi, HashMD, Maj } from '@noble/hashes/_md.js';
import { clean, rotl } from '@noble/hashes/utils.js';

// prettier-ignore
const SM3_IV = Uint32Array.from([
  0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e,
]);

/** T_j <<< (j mod 32), precomputed for the 64 rounds. */
const SM3_T = Uint32Array.from({ length: 64 }, (_, j) => rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32));

/** Expanded message W_0..W_67 (W'_j is computed on the fly as W_j ^ W_{j+4}). */
const SM3_W = new Uint32Array(68);

const p0 = (x: number): number => x ^ rotl(x, 9) ^ rotl(x, 17);
const p1 = (x: number): number => x ^ rotl(x, 15) ^ rotl(x, 23);

class Sm3 extends HashMD<Sm3> {
  // Scalar fields rather than an array: V8 keeps them in registers in the hot loop.
  private A = SM3_IV[0]! | 0;
  private B = SM3_IV[1]! | 0;
  private C = SM3_IV[2]! | 0;
  private D = SM3_IV[3]! | 0;
  private E = SM3_IV[4]! | 0;
  private F = SM3_IV[5]! | 0;
  private G = SM3_IV[6]! | 0;
  private H = SM3_IV[7]! | 0;

  constructor() {
    super(64, 32, 8, false);
  }

  protected get(): [number, number, number, number, number, number, number, number] {
    const { A, B, C, D, E, F, G, H } = this;
    return [A, B, C, D, E, F, G, H];
  }

  // prettier-ignore
  protected set(A: number, B: number, C: number, D: number, E: number, F: number, G: number, H: number): void {
    this.A = A | 0; this.B = B | 0; this.C = C | 0; this.D = D | 0;
    this.E = E | 0; this.F = F | 0; this.G = G | 0; this.H = H | 0;
  }

  _cloneInto(to?: Sm3): Sm3 {
    const target = to ?? new Sm3();
    target.set(...this.get());
    return this._cloneIntoMeta(target);
  }

  protected process(view: DataView, offset: number): void {
    const W = SM3_W;
    for (let j = 0; j < 16; j++, offset += 4) W[j] = view.getUint32(offset, false);
    for (let j = 16; j < 68; j++) {
      W[j] = p1(W[j - 16]! ^ W[j - 9]! ^ rotl(W[j - 3]!, 15)) ^ rotl(W[j - 13]!, 7) ^ W[j - 6]!;
    }
    let { A, B, C, D, E, F, G, H } = this;
    for (let j = 0; j < 64; j++) {
      const a12 = rotl(A, 12);
      const ss1 = rotl((a12 + E + SM3_T[j]!) | 0, 7);
      const ss2 = ss1 ^ a12;
      const ff = j < 16 ? A ^ B ^ C : Maj(A, B, C);
      const gg = j < 16 ? E ^ F ^ G : Chi(E, F, G);
      const tt1 = (ff + D + ss2 + (W[j]! ^ W[j + 4]!)) | 0;
      const tt2 = (gg + H + ss1 + W[j]!) | 0;
      D = C;
      C = rotl(B, 9);
      B = A;
      A = tt1;
      H = G;
      G = rotl(F, 19);
      F = E;
      E = p0(tt2);
    }
    // SM3 chains with XOR, where SHA-2 adds.
    this.set(A ^ this.A, B ^ this.B, C ^ this.C, D ^ this.D, E ^ this.E, F ^ this.F, G ^ this.G, H ^ this.H);
  }

  protected roundClean(): void {
    clean(SM3_W);
  }

  destroy(): void {
    this.destroyed = true;
    this.set(0, 0, 0, 0, 0, 0, 0, 0);
    clean(this.buffer);
  }
}

/** SM3 digest (32 bytes) of `data`. */
export function sm3(data: Uint8Array): Uint8Array {
  return new Sm3().update(data).digest();
}
