import type { AnyRule } from '../engine/types';
import { concurrentlyInTransaction } from './concurrently-in-transaction';
import { requireConcurrentIndexCreation } from './require-concurrent-index-creation';
import { syntaxError } from './syntax-error';
import { unusedIgnore } from './unused-ignore';

/** Every rule, sorted by id (a test keeps it sorted and in step with the files in this folder). */
export const RULES: readonly AnyRule[] = [
  concurrentlyInTransaction,
  requireConcurrentIndexCreation,
  syntaxError,
  unusedIgnore,
];

const byId = new Map(RULES.map((r) => [r.id, r]));

export function ruleById(id: string): AnyRule | undefined {
  return byId.get(id);
}
