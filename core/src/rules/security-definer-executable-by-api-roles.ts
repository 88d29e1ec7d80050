import { z } from 'zod';
import { allFunctions, mentionsColumn, originOrder } from '../catalog/queries';
import { allTables, type Catalog, type FunctionSignature, type Origin } from '../catalog/model';
import { canUseSchema, effectiveAcl, PUBLIC } from '../catalog/privileges';
import { newMigrationFix } from '../fixes/new-migration';
import { insertAfterOrigin } from '../fixes/edits';
import { defineRule } from '../rule-kit/define-rule';
import { functionLabel, functionReference, revokedExecute } from '../rule-kit/functions';
import { functionObject } from '../rule-kit/object-identity';
import type { CatalogRuleContext, Fix } from '../rule-kit/types';

/** The role of signed-in API users (Supabase, PostgREST's tutorial). */
const SIGNED_IN = 'authenticated';

interface Options {
  mode: 'auto' | 'on' | 'off';
  /** The roles API clients run as, besides PUBLIC: Supabase's (and PostgREST's tutorial's) anon and authenticated. */
  roles: string[];
}

/** Whether the history grants, revokes or writes policies for one of the API roles: it has an API to speak of. */
function mentionedApiRoles(catalog: Catalog, roles: readonly string[]): Set<string> {
  const wanted = new Set(roles);
  const out = new Set<string>();
  const add = (acl?: { grantee: string }[]) => {
    for (const i of acl ?? []) if (wanted.has(i.grantee)) out.add(i.grantee);
  };
  for (const d of catalog.defaultPrivileges) add(d.acl);
  for (const schema of catalog.schemas.values()) {
    add(schema.acl);
    for (const list of schema.functions.values()) for (const f of list) add(f.acl);
    for (const v of schema.views.values()) add(v.acl);
  }
  for (const t of allTables(catalog)) {
    add(t.acl);
    for (const p of t.policies) for (const r of p.roles) if (wanted.has(r)) out.add(r);
  }
  return out;
}

/** The policies of the catalog with the lower-case words of their clauses, made once per check (asked per function). */
function policyWords(catalog: Catalog) {
  const out: { label: string; roles: string[]; using?: string; withCheck?: string; words: Set<string> }[] = [];
  for (const t of allTables(catalog)) {
    for (const p of t.policies) {
      const words = new Set(`${p.using ?? ''} ${p.withCheck ?? ''}`.toLowerCase().match(/[a-z0-9_$]+/g) ?? []);
      out.push({ label: `${p.name} on ${t.name}`, roles: p.roles, using: p.using, withCheck: p.withCheck, words });
    }
  }
  return out;
}

/** Policies that call the function for roles that would lose EXECUTE: revoking would make their queries fail. */
function policyCallers(policies: ReturnType<typeof policyWords>, f: FunctionSignature, roles: readonly string[]): string[] {
  const lower = f.name.toLowerCase();
  const camel = f.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()).toLowerCase();
  // The words first: the exact check (mentionsColumn) builds a regular expression per call. A name with other
  // characters (quoted) is not one word: it goes straight to the exact check.
  const plain = /^[a-z0-9_$]+$/.test(lower);
  const out: string[] = [];
  for (const p of policies) {
    if (plain && !p.words.has(lower) && !p.words.has(camel)) continue;
    const forRoles = p.roles.length === 0 || p.roles.some((r) => r === PUBLIC || roles.includes(r));
    if (forRoles && (mentionsColumn(p.using, f.name) || mentionsColumn(p.withCheck, f.name))) out.push(p.label);
  }
  return out;
}

interface Access {
  /** PUBLIC and the API roles that can call `f` (they have USAGE on its schema and EXECUTE, their own or PUBLIC's). */
  callers: string[];
  /** Those that hold EXECUTE in their own name (a REVOKE must name them). */
  direct: Set<string>;
}

/**
 * Who can call `f`: from its ACL, and in a Supabase project anon and authenticated also through the platform's
 * default privileges (functions the postgres role creates in public are granted to them) unless the history
 * revokes them. A role without USAGE on the function's schema cannot reach it.
 */
function access(ctx: CatalogRuleContext<Options>, f: FunctionSignature, mentioned: Set<string>, order: (o: Origin) => number): Access {
  const { catalog } = ctx;
  const schema = catalog.schemas.get(f.schema);
  const revoked = ctx.exposure.supabase ? revokedExecute(ctx.files, f, (o) => order(o) > order(f.origin)) : new Set<string>();
  const acl = effectiveAcl(catalog, 'function', f);
  const direct = new Set<string>();
  for (const role of [PUBLIC, ...ctx.options.roles]) {
    const platformGrant = ctx.exposure.supabase && f.schema === 'public' && ['anon', 'authenticated'].includes(role) && !revoked.has(role);
    if (platformGrant || acl.some((i) => i.privilege === 'EXECUTE' && i.grantee === role)) direct.add(role);
  }
  // Only roles that exist: Supabase's, or those the history names (mode "on" must not invent an anon role).
  const present = ctx.options.roles.filter((r) => ctx.exposure.supabase || mentioned.has(r));
  const callers = [PUBLIC, ...present].filter((role) => (!schema || canUseSchema(catalog, schema, role)) && (direct.has(role) || direct.has(PUBLIC)));
  return { callers, direct };
}

const sqlRole = (r: string) => (r === PUBLIC ? 'PUBLIC' : r);

export const securityDefinerExecutableByApiRoles = defineRule<Options>({
  id: 'security-definer-executable-by-api-roles',
  meta: {
    description: 'A SECURITY DEFINER function in an exposed schema that PUBLIC or anon can execute through the API, with its owner\'s privileges.',
    category: 'schema',
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  options: z.object({
    mode: z.enum(['auto', 'on', 'off']).default('auto'),
    roles: z.array(z.string().min(1)).default(['anon', 'authenticated']),
  }).strict(),
  checkCatalog(ctx) {
    const { catalog, options, exposure } = ctx;
    if (options.mode === 'off') return;
    // A project with no API roles has no API that calls functions as PUBLIC: PUBLIC's default EXECUTE is then only
    // for roles that log in to the database itself, which is another matter.
    const mentioned = mentionedApiRoles(catalog, [...options.roles, SIGNED_IN]);
    if (options.mode === 'auto' && !exposure.supabase && !options.roles.some((r) => mentioned.has(r))) return;
    const order = originOrder(ctx.files);
    const policies = policyWords(catalog);
    for (const f of allFunctions(catalog)) {
      // Trigger functions cannot be called through the API (PostgreSQL refuses a direct call).
      if (!f.securityDefiner || f.returnsTrigger || !exposure.schemas.includes(f.schema)) continue;
      const { callers, direct } = access(ctx, f, mentioned, order);
      // Signed-in users calling a definer function is a design choice; anonymous callers (PUBLIC, anon) are the risk.
      if (!callers.some((r) => r !== SIGNED_IN)) continue;
      const revoke = [...direct].filter((r) => r !== SIGNED_IN);
      // Revoking PUBLIC also takes it from authenticated: grant it back so what works for signed-in users keeps working.
      const keep = callers.includes(SIGNED_IN) && !direct.has(SIGNED_IN) && (exposure.supabase || mentioned.has(SIGNED_IN));
      const label = functionLabel(f);
      const names = callers.map((r) => (r === PUBLIC ? 'PUBLIC (every role)' : r));
      const supabaseNote = exposure.supabase && f.schema === 'public' ? ' (in Supabase, anon and authenticated get EXECUTE on new functions in public through the platform\'s default privileges)' : '';
      const inPolicies = policyCallers(policies, f, revoke);
      const message = `SECURITY DEFINER ${f.kind} ${label} can be executed by ${names.join(', ')}${supabaseNote}, and schema "${f.schema}" is exposed `
        + `(${exposure.schemas.join(', ')}: ${exposure.source}): any API client can call it, and it runs with its owner's privileges. `
        + (inPolicies.length
          ? `Policies ${inPolicies.join(', ')} call it for those roles, so revoking would break them: move it to a schema that is not exposed, or make it SECURITY INVOKER.`
          : `Revoke EXECUTE from ${revoke.map(sqlRole).join(', ')}${keep ? ' (and grant it to authenticated, which had it through PUBLIC)' : ''}, or move it to a schema that is not exposed.`);
      if (inPolicies.length) {
        ctx.report({ origin: f.origin, object: functionObject(f), message });
        continue;
      }
      const target = functionReference(f);
      const up = [`REVOKE EXECUTE ON ${target} FROM ${revoke.map(sqlRole).join(', ')};`, ...(keep ? [`GRANT EXECUTE ON ${target} TO ${SIGNED_IN};`] : [])];
      const down = [...(keep ? [`REVOKE EXECUTE ON ${target} FROM ${SIGNED_IN};`] : []), `GRANT EXECUTE ON ${target} TO ${revoke.map(sqlRole).join(', ')};`];
      const title = `Revoke EXECUTE on ${label} from ${revoke.map(sqlRole).join(', ')}`;
      const edit = ctx.files.has(f.origin.file) ? insertAfterOrigin(ctx.files, f.origin, up.join('\n')) : undefined;
      const inPlace: Fix | undefined = edit && { title, edits: [edit] };
      const later = newMigrationFix(ctx.files, f.origin.file, {
        name: `revoke_execute_${f.name}`, up: () => up, down: () => down, wantsConcurrently: false,
        title: (m) => `${title} in a new migration (${m.label})`,
      });
      ctx.report({ origin: f.origin, object: functionObject(f), message, fix: inPlace ?? later, otherFixes: inPlace && later ? [later] : undefined });
    }
  },
});
