/** Turns schema issues into one line per problem: `<path>: <what is wrong and what is allowed>`. */
import type { z } from 'zod';

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

/** Parses `input` with `schema`, or throws a ConfigError listing every problem. */
export function parseOrThrow<Out, In>(schema: z.ZodType<Out, In>, input: unknown, source: string, prefix: readonly PropertyKey[] = []): Out {
  const result = schema.safeParse(input);
  if (!result.success) throw new ConfigError(source, formatIssues(result.error.issues, prefix));
  return result.data;
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
