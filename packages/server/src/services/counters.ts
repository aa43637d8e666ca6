/**
 * Serial numbers and status-list indexes come from counters that only move forward. A block is taken in
 * its own short transaction before the slow work (signing, rendering); if that work never commits, the
 * numbers are skipped, never handed out twice.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** Takes `count` consecutive values and returns the first. Counters start at 1. */
export async function takeCounterBlock(db: Kysely<Database>, name: string, count = 1): Promise<number> {
  const row = await db
    .insertInto('counters')
    .values({ name, next_value: count + 1 })
    .onConflict((conflict) => conflict.column('name').doUpdateSet({ next_value: sql`counters.next_value + ${count}` }))
    .returning('next_value')
    .executeTakeFirstOrThrow();
  return Number(row.next_value) - count;
}

export const serialCounter = (officeCode: string, typeCode: string) => `serial:${officeCode}:${typeCode}`;
export const statusCounter = (typeCode: string) => `status:${typeCode}`;
