import { z } from 'zod';
import { allFunctions, functionSearchPath } from '../catalog/queries';
import { effectiveAcl, PUBLIC } from '../catalog/privileges';
import type { Catalog, FunctionSignature } from '../catalog/model';
import { statementTokens, stmtOf } from '../parse/sql/ast';
import { statementStartingAt } from '../fixes/edits';
import { newMigrationFix } from '../fixes/new-migration';
import { defineRule } from '../rule-kit/define-rule';
import { functionLabel, functionReference } from '../rule-kit/functions';
import { functionObject } from '../rule-kit/object-identity';
import type { CatalogRuleContext, Fix, TextEdit } from '../rule-kit/types';

/** Roles that reach the database through an API without owning anything: who must not create in the path. */
const UNTRUSTED = [PUBLIC, 'anon', 'authenticated'];

interface Problem {
  what: string;
  /** The search_path the fix sets; undefined: no value pgvet can choose (the user picks the schemas). */
  value?: string;
  /** The function's CREATE has no SET search_path, so the fix may add one there. */
  missing?: true;
}

/** What is wrong with the function's search_path, or undefined when it is fixed and safe. */
function problem(catalog: Catalog, f: FunctionSignature, supabase: boolean): Problem | undefined {
  const path = functionSearchPath(f);
  if (path === undefined) return { what: 'has no fixed search_path: it resolves unqualified names through the caller\'s', value: fixedPath(supabase), missing: true };
  const temp = path.indexOf('pg_temp');
  if (temp >= 0 && temp < path.length - 1) {
    const value = [...path.filter((s) => s !== 'pg_temp'), 'pg_temp'].map(pathEntry).join(', ');
    return { what: `lists pg_temp before ${path[temp + 1]} in its search_path, so temporary objects of the caller shadow that schema's`, value };
  }
  for (const name of path) {
    const schema = catalog.schemas.get(name);
    if (!schema) continue;
    const creators = [...new Set(effectiveAcl(catalog, 'schema', schema).filter((i) => i.privilege === 'CREATE' && UNTRUSTED.includes(i.grantee)).map((i) => i.grantee))];
    if (creators.length) return { what: `has schema "${name}" in its search_path, where ${creators.map((r) => (r === PUBLIC ? 'PUBLIC' : r)).join(' and ')} can create objects` };
  }
  return undefined;
}

/** A schema name as a search_path entry: bare when it needs no quotes. */
function pathEntry(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * The path the fix sets: the schemas a default caller had (public; Supabase's API adds extensions), so unqualified
 * names keep resolving as they did, then pg_temp, last, so temporary objects shadow nothing.
 */
function fixedPath(supabase: boolean): string {
  return supabase ? 'public, extensions, pg_temp' : 'public, pg_temp';
}

/** `SET search_path = …` right after SECURITY DEFINER in the function's own CREATE, when that is where it was said. */
function editCreate(ctx: CatalogRuleContext<unknown>, f: FunctionSignature, value: string): TextEdit | undefined {
  const file = ctx.files.get(f.origin.file);
  const stmt = file && statementStartingAt(file.parsed, f.origin.start);
  if (!file || !stmt || !stmtOf(stmt, 'CreateFunctionStmt')) return undefined;
  const tokens = statementTokens(file.parsed, stmt);
  const k = tokens.findIndex((t, i) => /^definer$/i.test(t.text) && /^security$/i.test(tokens[i - 1]?.text ?? ''));
  if (k < 0) return undefined;
  return { start: tokens[k].end, end: tokens[k].end, newText: ` SET search_path = ${value}` };
}

export const securityDefinerSearchPath = defineRule<Record<string, never>>({
  id: 'security-definer-search-path',
  meta: {
    description: 'A SECURITY DEFINER function or procedure without a fixed, safe search_path.',
    category: 'schema',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  options: z.object({}).strict(),
  checkCatalog(ctx) {
    for (const f of allFunctions(ctx.catalog)) {
      if (!f.securityDefiner) continue;
      const found = problem(ctx.catalog, f, ctx.exposure.supabase);
      if (!found) continue;
      const { what, value } = found;
      const label = functionLabel(f);
      const advice = value === undefined
        ? `Take that schema out of the path (SET search_path = '' once every name in the body is schema-qualified).`
        : `Fix the path: SET search_path = ${value} keeps names resolving as they did, or SET search_path = '' once every name in the body is schema-qualified.`;
      const message = `SECURITY DEFINER ${f.kind} ${label} ${what}. It runs with its owner's privileges, so a caller who can put a table, `
        + `function or operator of the same name earlier in that path makes it run theirs. ${advice}`;
      if (value === undefined) {
        ctx.report({ origin: f.origin, object: functionObject(f), message });
        continue;
      }
      const alter = `ALTER ${functionReference(f)} SET search_path = ${value};`;
      // Only a CREATE without SET search_path can take one (a second SET of the same name is an error).
      const edit = found.missing ? editCreate(ctx, f, value) : undefined;
      const inPlace: Fix | undefined = edit && { title: `Set search_path = ${value} on ${label}`, edits: [edit] };
      const later = newMigrationFix(ctx.files, f.origin.file, {
        name: `set_search_path_${f.name}`, up: () => [alter], wantsConcurrently: false, down: () => [found.missing ? `ALTER ${functionReference(f)} RESET search_path;` : `ALTER ${functionReference(f)} SET ${f.config.find((c) => c.startsWith('search_path='))!.replace('=', ' = ')};`],
        title: (m) => `Set search_path = ${value} on ${label} in a new migration (${m.label})`,
      });
      ctx.report({ origin: f.origin, object: functionObject(f), message, fix: inPlace ?? later, otherFixes: inPlace && later ? [later] : undefined });
    }
  },
});
