/** Turns schema issues into one line per problem: `<path>: <what is wrong and what is allowed>`. */
import type { z } from 'zod';
import { show } from './fields';

/** Bad config or props: every problem found, each on its own line. Commands exit 2 on it. */
export class ConfigError extends Error {
  constructor(
    /** Where the input came from, e.g. the config file's path. */
    readonly source: string,
    /** One line per problem, each starting with the field's path. */
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Keys written after a dot; any other key (empty, with spaces, ...) is written as `["key"]`. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * `environments.prod.key.administrators[0]` from `['environments','prod','key','administrators',0]`;
 * keys that are not plain names are quoted: `tags[""]`, `tags["Cost Center"]`.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    const key = String(part);
    if (!PLAIN_KEY.test(key)) return `${out}[${JSON.stringify(key)}]`;
    return out === '' ? key : `${out}.${key}`;
  }, '');
}

/** One line per issue, prefixed with `prefix` and the issue's path. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_key') {
      return formatIssues(issue.issues, path);
    }
    const where = formatPath(path);
    return [where === '' ? issue.message : `${where}: ${issue.message}`];
  });
}

/**
 * What the parse helpers need of a schema: its `safeParse`. Not `z.ZodType<Out, In>`: relating a
 * zod object schema to the whole `z.ZodType` interface makes tsc compare zod's generic classes
 * (ZodOptional, ZodDefault, ...) member by member, most of a second of every type-check.
 */
export interface Schema<Out> {
  safeParse(data: unknown, params?: z.core.ParseContext<z.core.$ZodIssue>): z.ZodSafeParseResult<Out>;
}

/**
 * `schema`, typed `z.ZodType<Out, In>` once tsc has checked that it gives `Out` and reads `In`
 * (`typed<ResolvedKeySettings, KeySettings>()(strictObject({...}))`): the compile-time proof that a
 * schema matches its documented interfaces, without the slow `const s: z.ZodType<Out, In> = ...`.
 */
export function typed<Out, In>() {
  return <S extends { readonly _zod: { readonly output: Out; readonly input: In } }>(schema: S): z.ZodType<Out, In> =>
    schema as unknown as z.ZodType<Out, In>;
}

/** Parses `input` with `schema`, or throws a ConfigError listing every problem. */
export function parseOrThrow<Out>(schema: Schema<Out>, input: unknown, source: string, prefix: readonly PropertyKey[] = []): Out {
  const result = schema.safeParse(input);
  if (!result.success) throw new ConfigError(source, formatIssues(result.error.issues, prefix));
  return result.data;
}

/**
 * JSON read from outside the program (a plan file, a synthesized stack, a lock's holder file, an AWS
 * answer kept as JSON, a test runner's report) that is not what the code reads. Formatted as a
 * ConfigError is (the source, then one line per problem starting with the field's path), and
 * commands exit 2 on it as on bad config: the input, not the program, is at fault.
 */
export class ExternalJsonError extends ConfigError {
  constructor(source: string, problems: readonly string[]) {
    super(source, problems);
    this.name = 'ExternalJsonError';
  }

  /** `<source>: <problem>; <problem>`, for messages that must stay on one line. */
  get oneLine(): string {
    return `${this.source}: ${this.problems.join('; ')}`;
  }
}

/** What an `invalid_type` issue expected, in words: `string` becomes `a string`. */
const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  record: 'an object',
};

const typeWords = (expected: unknown) => TYPE_WORDS[String(expected)] ?? String(expected);

/**
 * Messages for schemas that carry none of their own (the external JSON schemas): `is required`,
 * `expected a string, got 3`, `"x" is not one of "a", "b"`, in the words the config's messages use.
 * Passed per parse (`schema.safeParse(input, { error: plainIssueMessages })`).
 */
export const plainIssueMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `expected ${typeWords(issue.expected)}, got ${show(issue.input)}`;
    case 'invalid_value':
      return `${show(issue.input)} is not ${issue.values.length === 1 ? show(issue.values[0]) : `one of ${issue.values.map((v) => show(v)).join(', ')}`}`;
    case 'invalid_union': {
      // A union of plain types ("a string or a list"): name them all, not the first alternative's complaint.
      const alternatives = issue.errors.map((branch) =>
        branch.length === 1 && branch[0].code === 'invalid_type' && branch[0].path.length === 0 ? branch[0].expected : undefined,
      );
      if (alternatives.every((a) => a !== undefined)) {
        return issue.input === undefined
          ? 'is required'
          : `expected ${[...new Set(alternatives.map(typeWords))].join(' or ')}, got ${show(issue.input)}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
};

/**
 * Each union issue whose value matched one alternative's type but not its content replaced by that
 * alternative's issues, so a bad field deep inside (a statement of a `Statement` list) is named by
 * its path rather than as an invalid `Statement`.
 */
function intoUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union') return [issue];
    const typeOnly = (branch: readonly z.core.$ZodIssue[]) =>
      branch.every((b) => b.path.length === 0 && (b.code === 'invalid_type' || b.code === 'invalid_value'));
    const closer = issue.errors.filter((branch) => !typeOnly(branch));
    if (closer.length !== 1) return [issue];
    return intoUnions(closer[0].map((b) => ({ ...b, path: [...issue.path, ...b.path] })));
  });
}

/** The most problems an ExternalJsonError lists. */
const MAX_EXTERNAL_PROBLEMS = 10;

/**
 * Parses JSON text read from outside with `schema`; throws an ExternalJsonError naming `source` and,
 * for a mismatch, the path of every bad field (`planned_values.root_module.resources[0].address:
 * expected a string, got 3`).
 */
export function parseExternalJson<Out>(schema: Schema<Out>, text: string, source: string): Out {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ExternalJsonError(source, [`not valid JSON: ${(error as Error).message}`]);
  }
  return checkExternalValue(schema, value, source);
}

/** Checks a value that came from outside (already parsed) with `schema`; throws ExternalJsonError as `parseExternalJson` does. */
export function checkExternalValue<Out>(schema: Schema<Out>, value: unknown, source: string): Out {
  const result = schema.safeParse(value, { error: plainIssueMessages });
  if (result.success) return result.data;
  // A file that is wrong throughout (another tool's output) would otherwise give thousands of lines.
  const problems = formatIssues(intoUnions(result.error.issues));
  const shown =
    problems.length > MAX_EXTERNAL_PROBLEMS
      ? [...problems.slice(0, MAX_EXTERNAL_PROBLEMS), `... and ${problems.length - MAX_EXTERNAL_PROBLEMS} more`]
      : problems;
  throw new ExternalJsonError(source, shown);
}

/** A file-system error as a short reason for a message: "no such file", "permission denied", ... */
export function fsReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'it or a folder above it is a file';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return (error as Error).message;
  }
}
