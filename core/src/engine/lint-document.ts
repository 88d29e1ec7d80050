import type { DirectoryView } from '../catalog/layouts';
import type { ResolvedConfig } from './resolve-config';
import { OverlayFileSystem } from '../fs/overlay';
import { reparseSqlFile } from '../parse/sql/incremental';
import type { SqlFile } from '../parse/sql/parser';
import { lintSql, type LintResult } from './lint';
import type { MigrationState } from '../rule-kit/types';
import { prismaSiblings } from './prisma-files';
import { lintPrisma, type PrismaLintResult } from './prisma-lint';
import { schemaFindings } from './schema-owner';
import type { NotUtf8 } from './text-check';
import type { Finding } from '../rule-kit/types';
import { indexedHistories, type WorkspaceIndex } from './workspace';

/**
 * The front door of the engine: the files (the editor's unsaved text over the disk) and the migration
 * histories found in them. The language server, the CLI and the rule tests lint through `lintDocument`; they
 * keep only their own ends (diagnostics, report lines, assertions).
 */
export class Workspace {
  readonly files: OverlayFileSystem;

  /** `index`: the histories, once found (the server indexes in the background; a plain file has none). */
  constructor(disk: DirectoryView, private readonly indexOf: () => WorkspaceIndex | undefined = () => undefined) {
    this.files = disk instanceof OverlayFileSystem ? disk : new OverlayFileSystem(disk);
  }

  get index(): WorkspaceIndex | undefined {
    return this.indexOf();
  }

  /** A document is open (or was edited) in the editor: its text wins over the disk from now on. */
  open(path: string, text: string): void {
    this.files.set(path, text);
  }

  /** A document was closed: back to the disk. True when that changed a history (closed without saving). */
  close(path: string): boolean {
    const index = this.index;
    return this.files.delete(path) && index !== undefined && index.refresh(path);
  }

  /**
   * The text that offsets into the catalog refer to: a migration's text as the index last took it in (an open one's
   * unsaved text once linted), else the file as the editor or the disk has it.
   */
  readonly textOf = (path: string): string | undefined => this.index?.fileText(path) ?? this.files.readFile(path);
}

export interface DocumentInput {
  /** Undefined for a document that is no file (an untitled editor): linted alone. */
  path?: string;
  text: string;
  language: 'sql' | 'prisma';
  config: ResolvedConfig;
  /** Where the bytes stopped being UTF-8, when the CLI read the file in another encoding. */
  notUtf8?: NotUtf8;
  /**
   * A migration the editor does not show, linted for the workspace's Problems (server/src/handlers/workspace-problems.ts):
   * `'schema'` runs the schema rules only (not unused-ignore either, which needs every rule's findings), `'all'`
   * every rule. The index's text is linted as it stands (nothing is taken in), and the schema rules run without
   * focusing on this file unless every rule runs. Absent: a document the editor shows, or the CLI's.
   */
  closed?: 'schema' | 'all';
  /** The parse of an earlier text of the same document (the editor's last lint): only changed statements are parsed again. */
  previous?: SqlFile;
}

interface Common {
  findings: Finding[];
  /** Rules that threw, the schema rules' included: the other findings are still there. */
  ruleFailures: { ruleId: string; error: string }[];
}

export type DocumentLint =
  | (Common & {
      language: 'sql';
      result: LintResult;
      /** The folder of the history the file is a migration of. */
      historyDir?: string;
      migration?: MigrationState;
      /** Taking in this text changed its history: the history's other open files need linting again. */
      historyChanged: boolean;
    })
  | (Common & {
      language: 'prisma';
      result: PrismaLintResult;
      /** Every file of its schema, itself first. */
      schemaFiles: string[];
    });

/**
 * Lints one document of the workspace: a .prisma file against its schema's other files and the migrations
 * beside it; a SQL file with, when it is a migration of a history, the schema rules' findings placed in it, the
 * schema before it, whether it is applied, and the index's parse of the same text.
 */
export function lintDocument(workspace: Workspace, input: DocumentInput): DocumentLint {
  const { path, text, config } = input;
  const index = workspace.index;
  if (input.language === 'prisma') {
    const siblings = path ? prismaSiblings(path, workspace.files) : [];
    const self = path ?? '';
    const result = lintPrisma({ path: self, text, config, siblings, histories: index && indexedHistories(index), fs: workspace.files });
    return { language: 'prisma', result, findings: result.findings, ruleFailures: result.ruleFailures, schemaFiles: [self, ...siblings.map((s) => s.path)] };
  }
  const { closed } = input;
  const history = path !== undefined && index ? index.setOf(path) : undefined;
  // The editor's text of a migration feeds its history's catalog before the schema rules run.
  const historyChanged = history !== undefined && !closed && index!.refresh(path!);
  const catalogFindings = path !== undefined && index ? schemaFindings(index, path, config, closed !== 'schema') : undefined;
  const catalogBefore = path !== undefined && index && closed !== 'schema' ? index.catalogBefore(path) : undefined;
  const migration = path !== undefined && index ? index.migrationState(path) : undefined;
  const indexed = path !== undefined && index ? index.parsedText(path, text) : undefined;
  const parsed = indexed ?? (input.previous && reparseSqlFile(input.previous, text));
  const rules = closed === 'schema' ? { ...config, rules: config.rules.filter((r) => !r.rule.check) } : config;
  const result = lintSql({ text, path, config: rules, fs: workspace.files, catalogFindings, catalogBefore, migration, parsed, notUtf8: input.notUtf8 });
  const ruleFailures = [...result.ruleFailures, ...(path !== undefined && index ? index.catalogRuleFailures(path) : [])];
  return { language: 'sql', result, findings: result.findings, ruleFailures, historyDir: history?.dir, migration, historyChanged };
}
