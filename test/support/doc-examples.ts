/**
 * Reads a rule page (docs/rules/<id>.md): its header line and its marked examples. The convention is described
 * in docs/rules/README.md; test/rules/docs.test.ts and test/rules/docs-examples.test.ts check the pages with it.
 */

export interface PageHeader {
  /** The first word after **Default:** (`warning`, `off` …); any words after it only qualify it. */
  defaultSeverity: string;
  /** The first word after **Category:**. */
  category: string;
  /** `none` when the Fix text starts with "none", else the one kind (safe / suggestion) it names. */
  fixKind: string;
  line: number;
}

export type BlockRole = 'bad' | 'good' | 'history' | 'applied';

export interface DocBlock {
  lang: string;
  role: BlockRole;
  /** Path relative to the project root (`prisma/migrations/…/migration.sql`), when the block gives one. */
  path?: string;
  /** The rule's options, as JSON in `options=…` (no spaces). */
  options?: Record<string, unknown>;
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
}

const HEADER = /^\*\*Default:\*\*\s*(.+?)\s*·\s*\*\*Category:\*\*\s*(.+?)\s*·\s*\*\*Fix:\*\*\s*(.+)$/;
const ROLES = new Set<string>(['bad', 'good', 'history', 'applied']);

/** The header line, or a reason why the page has none that can be read. */
export function parseHeader(page: string): PageHeader | string {
  const lines = page.split('\n');
  const at = lines.findIndex((l) => l.startsWith('**Default:**'));
  if (at < 0) return 'no "**Default:** … · **Category:** … · **Fix:** …" line';
  const m = HEADER.exec(lines[at].trim());
  if (!m) return `line ${at + 1} is not "**Default:** … · **Category:** … · **Fix:** …": ${lines[at]}`;
  const fixText = m[3].replace(/`[^`]*`/g, '');
  const kinds = new Set([...fixText.matchAll(/\b(safe|suggestions?)\b/g)].map((k) => (k[1] === 'safe' ? 'safe' : 'suggestion')));
  let fixKind: string;
  if (/^none\b/.test(fixText)) fixKind = 'none';
  else if (kinds.size === 1) fixKind = [...kinds][0];
  else fixKind = kinds.size === 0 ? '(no kind: say "none", "(safe)" or "(suggestion)")' : `(ambiguous: ${[...kinds].join(' and ')})`;
  return { defaultSeverity: firstWord(m[1]), category: firstWord(m[2]), fixKind, line: at + 1 };
}

function firstWord(s: string): string {
  return s.split(/[\s(]/)[0];
}

/** The fenced blocks whose info string has a role (```sql bad …); other blocks are prose and are skipped. */
export function parseBlocks(page: string): DocBlock[] {
  const lines = page.split('\n');
  const out: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`unclosed code fence at line ${i + 1}`);
    const [role, ...attrs] = open[2].split(/\s+/).filter(Boolean);
    if (role && ROLES.has(role)) {
      const block: DocBlock = { lang: open[1], role: role as BlockRole, text: lines.slice(i + 1, end).join('\n') + '\n', line: i + 1 };
      for (const a of attrs) {
        const kv = /^(path|options)=(.+)$/.exec(a);
        if (!kv) throw new Error(`line ${i + 1}: unknown attribute "${a}" (path=…, options=…)`);
        if (kv[1] === 'path') block.path = kv[2];
        else block.options = JSON.parse(kv[2]) as Record<string, unknown>;
      }
      out.push(block);
    } else if (role && (open[1] === 'sql' || open[1] === 'prisma')) {
      throw new Error(`line ${i + 1}: unknown role "${role}" (bad, good, history, applied)`);
    }
    i = end;
  }
  return out;
}

export interface DocExample {
  block: DocBlock;
  /** `bad 1`, `good 2` …: the test name, counting that role's examples from the top of the page. */
  label: string;
  /** The `history` blocks above it on the page, in order. */
  history: DocBlock[];
  /** The `applied` block above it with the same path: the text as applied (in the base ref). */
  applied?: DocBlock;
}

/** Each bad/good block with the history and applied text above it. */
export function examplesOf(blocks: DocBlock[]): DocExample[] {
  const out: DocExample[] = [];
  const counts = { bad: 0, good: 0 };
  blocks.forEach((block, i) => {
    if (block.role !== 'bad' && block.role !== 'good') return;
    const above = blocks.slice(0, i);
    const applied = above.filter((b) => b.role === 'applied' && b.path === block.path).pop();
    out.push({ block, label: `${block.role} ${++counts[block.role]}`, history: above.filter((b) => b.role === 'history'), applied });
  });
  return out;
}
