/**
 * Reads JSON text strictly: every duplicate key is an error with its line and column (where
 * `JSON.parse` silently keeps the last one, and a whole environment can vanish), syntax errors
 * give line and column, and nesting is bounded so that hostile input cannot exhaust the stack.
 * Keys become own properties even when they are `__proto__`, so a tag named `__proto__` is kept.
 */
import { parse, type ValueNode } from '@humanwhocodes/momoa';
import { ConfigError, formatPath } from './errors';
import { objectFromEntries } from './fields';

/** Deeper nesting than any config needs; the parser recurses once per level. */
export const MAX_JSON_DEPTH = 64;

/** The parser's token names, as the characters a user typed. */
const TOKENS: Readonly<Record<string, string>> = {
  LBrace: '"{"',
  RBrace: '"}"',
  LBracket: '"["',
  RBracket: '"]"',
  Comma: '","',
  Colon: '":"',
};

/** Line and column (both from 1) of `offset` in `text`. */
function position(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line += 1;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

/** The offset where nesting first goes deeper than `MAX_JSON_DEPTH`, if it does. */
function tooDeepAt(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) return i;
    } else if (c === '}' || c === ']') depth -= 1;
  }
  return undefined;
}

/** The JavaScript value of a node, collecting a problem for every duplicate key. */
function toValue(node: ValueNode, path: (string | number)[], problems: string[]): unknown {
  switch (node.type) {
    case 'Object': {
      const entries: [string, unknown][] = [];
      const seen = new Map<string, number>();
      for (const member of node.members) {
        const key = member.name.type === 'String' ? member.name.value : member.name.name;
        const first = seen.get(key);
        if (first !== undefined) {
          const where = formatPath([...path, key]);
          problems.push(
            `${where}: appears twice (line ${first}, then line ${member.name.loc.start.line}, column ${member.name.loc.start.column}); JSON.parse would silently keep the last one, so remove one`,
          );
          continue;
        }
        seen.set(key, member.name.loc.start.line);
        entries.push([key, toValue(member.value, [...path, key], problems)]);
      }
      return objectFromEntries(entries);
    }
    case 'Array':
      return node.elements.map((element, index) => toValue(element.value, [...path, index], problems));
    case 'Null':
      return null;
    case 'String':
    case 'Number':
    case 'Boolean':
      return node.value;
    default:
      // JSON has no other values; momoa's JSON5 and JSONC node kinds are not enabled.
      throw new Error(`unexpected JSON node ${(node as { type: string }).type}`);
  }
}

/**
 * Parses `text` (a leading byte order mark is ignored) or throws a ConfigError naming `source`
 * and every problem: each duplicate key, or the syntax error, with line and column.
 */
export function parseJsonStrict(text: string, source: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const deep = tooDeepAt(body);
  if (deep !== undefined) {
    throw new ConfigError(source, [`not valid config JSON: nested more than ${MAX_JSON_DEPTH} levels deep at ${position(body, deep)}`]);
  }
  let root: ValueNode;
  try {
    root = parse(body, { mode: 'json', ranges: false, tokens: false }).body;
  } catch (error) {
    const { line, column, message } = error as { line?: number; column?: number; message: string };
    const text = message.replace(/ \(\d+:\d+\)$/, '').replace(/token (\w+)/, (whole, name: string) => TOKENS[name] ?? whole);
    const where = /end of input/.test(message)
      ? position(body, body.length)
      : line === undefined
        ? undefined
        : `line ${line}, column ${column}`;
    throw new ConfigError(source, [`not valid JSON${where ? ` at ${where}` : ''}: ${text}`]);
  }
  const problems: string[] = [];
  const value = toValue(root, [], problems);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return value;
}
