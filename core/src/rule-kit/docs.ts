/** Where a rule's page lives; the LSP links diagnostics to it. */
export const DOCS_BASE = 'https://github.com/pgvet/pgvet/blob/main/docs/rules/';

export function ruleDocsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}
