/** Where status lists are published, and which list holds which index. */
import { MIN_STATUS_LIST_BITS, type StatusPurpose } from '@elicense/core';

/** Each list is the minimum size the Bitstring Status List spec allows (16 KB): herd privacy without bulk. */
export const STATUS_LIST_SIZE = MIN_STATUS_LIST_BITS;

export function statusListId(typeCode: string, purpose: StatusPurpose, listNo: number): string {
  return `${typeCode}/${purpose}/${listNo}`;
}

export function statusListUrl(publicUrl: string, typeCode: string, purpose: StatusPurpose, listNo: number): string {
  return `${publicUrl}/status/${statusListId(typeCode, purpose, listNo)}`;
}

export function statusListOf(index: number): number {
  return Math.floor(index / STATUS_LIST_SIZE);
}
