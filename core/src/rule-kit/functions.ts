import type { FunctionSignature } from '../catalog/model';
import { quoteIdent } from '../parse/sql/ast';

/** `ALTER FUNCTION`'s object: `"schema".name(arg, types)`, bare in public; PROCEDURE for procedures. */
export function functionReference(f: FunctionSignature): string {
  const name = f.schema === 'public' ? quoteIdent(f.name) : `${quoteIdent(f.schema)}.${quoteIdent(f.name)}`;
  return `${f.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${name}(${f.args.join(', ')})`;
}

/** How messages name a function: `name(int, text)`, `auth.uid()` outside public. */
export function functionLabel(f: FunctionSignature): string {
  return `${f.schema === 'public' ? '' : `${f.schema}.`}${f.name}(${f.args.join(', ')})`;
}
