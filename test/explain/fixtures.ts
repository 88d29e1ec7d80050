import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PLANS_DIR = join(__dirname, '..', 'fixtures', 'plans');

export interface PlanFixture {
  name: string;
  server: string;
  sql: string;
  mode: 'analyze' | 'plan' | 'generic-plan';
  plan: unknown;
}

/** A recorded plan from test/fixtures/plans (regenerate with record.mts). */
export function loadPlan(name: string): PlanFixture {
  return { name, ...JSON.parse(readFileSync(join(PLANS_DIR, `${name}.json`), 'utf8')) };
}

export function allPlans(): PlanFixture[] {
  return readdirSync(PLANS_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => loadPlan(f.slice(0, -'.json'.length)));
}

/** The raw root object of a fixture, deep-copied so a test can edit it into a variant. */
export function rootOf(name: string): Record<string, any> {
  return structuredClone((loadPlan(name).plan as Record<string, any>[])[0]);
}
