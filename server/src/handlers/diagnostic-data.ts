import { z } from 'zod';

const position = z.object({ line: z.number().int().min(0), character: z.number().int().min(0) });
const range = z.object({ start: position, end: position });
const textEdit = z.object({ range, newText: z.string() });

export const fixData = z.object({
  title: z.string(),
  edits: z.array(textEdit),
  createFiles: z.array(z.object({ relativePath: z.string(), content: z.string() })).optional(),
});

/** What a pgvet diagnostic carries in `data`: everything the code-action handler needs, fixed at lint time. */
export const diagnosticData = z.object({
  ruleId: z.string(),
  version: z.number().int(),
  fix: fixData.optional(),
  fixSafe: z.boolean(),
  otherFixes: z.array(fixData).optional(),
  ignoreStatement: fixData.optional(),
  ignoreFile: fixData.optional(),
});

export type FixData = z.infer<typeof fixData>;
export type DiagnosticData = z.infer<typeof diagnosticData>;
