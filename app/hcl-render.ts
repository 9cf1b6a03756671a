/**
 * Makes cdktf 0.21's HCL renderer (node_modules/cdktf/lib/hcl/render.js, driven by
 * `TerraformStack.toHclTerraform`) write what the JSON output means. Each fix answers a failure
 * found by running `terraform validate` on, and comparing with the JSON, the HCL of the fixtures
 * (__tests__/terraform/hcl-output.test.ts):
 *
 * 1. Strings. The renderer escapes `"` only in strings without `${`, never escapes `\`, and writes
 *    a string with a line break as a heredoc (no escapes, and a newline added at the end). An
 *    EventBridge pattern, JSON with the key's ARN in it, came out as `"{"source":...}"`, which is
 *    not HCL; a description with `\` or a line break would change. Before rendering, every string
 *    of every element is resolved and rewritten as the content of an HCL quoted template with the
 *    meaning its JSON form has (`hclTemplateContent`); the renderer then adds only the quotes.
 * 2. Stack overrides. Of `stack.addOverride`, only `terraform.*` reaches the HCL: the `import`
 *    blocks of a key, alias or role made elsewhere (constructs/imports.ts) vanished without a word,
 *    and Terraform would have planned a second key. They are rendered here; any other stack
 *    override is refused, since it would vanish the same way.
 * 3. Meta-arguments. `depends_on` and `provider` were written as quoted references, which
 *    Terraform accepts with a "Quoted references are deprecated" warning; written here bare.
 */
import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformStack, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';

/** What `TerraformStack.toHclTerraform` returns. */
export interface StackHcl {
  readonly hcl: string;
  readonly metadata: unknown;
}

/** A Terraform address or provider reference: `aws_kms_key.key`, `data.x.y`, `aws.us_west_2`. */
const REFERENCE = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)+$/;

/** The stack overrides the HCL keeps: `terraform` (cdktf renders it) and `import` (rendered here). */
const RENDERED_STACK_OVERRIDES = new Set(['terraform', 'import']);

/** A string that cannot be written as HCL with its meaning kept. */
export class HclRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HclRenderError';
  }
}

/** The index just after the `}` that closes the template sequence whose body starts at `start`. */
function endOfSequence(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = endOfQuoted(text, i + 1) - 1;
    else if (c === '\n' || c === '\r') {
      throw new HclRenderError(`a line break inside \${...} cannot be written in an HCL quoted string: ${JSON.stringify(text)}`);
    } else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i + 1;
      depth--;
    }
  }
  throw new HclRenderError(`unterminated \${ or %{ sequence in ${JSON.stringify(text)}`);
}

/** The index just after the `"` that closes the quoted string (inside an expression) starting at `start`. */
function endOfQuoted(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 2;
    else if ((c === '$' || c === '%') && text[i + 1] === '{') i = endOfSequence(text, i + 2) - 1;
  }
  throw new HclRenderError(`unterminated string inside a \${...} sequence in ${JSON.stringify(text)}`);
}

/** One literal character of a template as an HCL quoted string writes it. */
function literalChar(c: string): string {
  switch (c) {
    case '\\':
      return '\\\\';
    case '"':
      return '\\"';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
  }
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c;
}

/**
 * `text`, a string of Terraform JSON (which Terraform reads as a template), as the content of an
 * HCL quoted template with the same meaning: in the literal parts `\`, `"` and control characters
 * are escaped; the escapes `$${` and `%%{` and the sequences `${...}` and `%{...}` (Terraform
 * expressions, the same in both syntaxes) are kept as they are.
 */
export function hclTemplateContent(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      out += text.slice(i, i + 3);
      i += 3;
    } else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      const end = endOfSequence(text, i + 2);
      out += text.slice(i, end);
      i = end;
    } else {
      out += literalChar(c);
      i++;
    }
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Every string (and map key) of an element's resolved HCL fragment rewritten by
 * `hclTemplateContent`. Left alone: cdktf's metadata (`//`) and values cdktf writes as bare
 * references (`type: 'reference'`). Keys are defined, not assigned, so `__proto__` stays a key.
 */
function escapeFragment(value: unknown): unknown {
  if (typeof value === 'string') return hclTemplateContent(value);
  if (Array.isArray(value)) return value.map(escapeFragment);
  if (!isPlainObject(value)) return value;
  if ('value' in value && (value.type === 'reference' || value.storageClassType === 'reference')) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const escaped = key === '//' ? inner : escapeFragment(inner);
    Object.defineProperty(out, key === '//' ? key : hclTemplateContent(key), {
      value: escaped,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** The stack's elements, as cdktf collects them for rendering (not descending into nested stacks). */
function elementsOf(stack: TerraformStack): TerraformElement[] {
  const found: TerraformElement[] = [];
  const visit = (node: IConstruct) => {
    if (TerraformElement.isTerraformElement(node)) found.push(node);
    for (const child of node.node.children) if (!TerraformStack.isStack(child)) visit(child);
  };
  visit(stack);
  return found;
}

/** The stack's own overrides (`stack.addOverride`); a private field of cdktf 0.21's TerraformStack. */
function stackOverrides(stack: TerraformStack): Record<string, unknown> {
  const overrides = (stack as unknown as { rawOverrides?: unknown }).rawOverrides;
  if (!isPlainObject(overrides)) {
    throw new Error('internal: cdktf no longer keeps stack overrides where app/hcl-render.ts expects them (rawOverrides)');
  }
  return overrides;
}

/** The `import` blocks of a stack override, checked and rendered. */
function renderImports(stack: TerraformStack, imports: unknown): string {
  if (imports === undefined) return '';
  if (!Array.isArray(imports)) throw new Error(`internal: stack ${stack.node.id} has an import override that is not a list`);
  return imports
    .map((block: unknown) => {
      const { to, id } = isPlainObject(block) ? block : {};
      if (typeof to !== 'string' || !REFERENCE.test(to) || typeof id !== 'string') {
        throw new Error(
          `internal: stack ${stack.node.id} has an import override that is not { to: <address>, id: <string> }: ${JSON.stringify(block)}`,
        );
      }
      return `import {\n  to = ${to}\n  id = "${hclTemplateContent(id)}"\n}\n`;
    })
    .join('\n');
}

/**
 * The meta-arguments cdktf writes as quoted references (`depends_on = ["aws_iam_role.x"]`,
 * `provider = "aws.us_west_2"`), which Terraform accepts with a deprecation warning, turned into
 * values cdktf writes bare (`type: 'reference'`). Only on resources and data sources, where these
 * names are meta-arguments, never inside a map.
 */
function bareMetaReferences(fragment: unknown): unknown {
  if (!isPlainObject(fragment)) return fragment;
  for (const kind of ['resource', 'data']) {
    const byType = fragment[kind];
    if (!isPlainObject(byType)) continue;
    for (const byName of Object.values(byType)) {
      if (!isPlainObject(byName)) continue;
      for (const attributes of Object.values(byName)) {
        if (!isPlainObject(attributes)) continue;
        const { depends_on: dependsOn, provider } = attributes;
        if (Array.isArray(dependsOn) && dependsOn.every((ref) => typeof ref === 'string' && REFERENCE.test(ref))) {
          attributes.depends_on = { value: `[${dependsOn.join(', ')}]`, type: 'reference' };
        }
        if (typeof provider === 'string' && REFERENCE.test(provider)) attributes.provider = { value: provider, type: 'reference' };
      }
    }
  }
  return fragment;
}

/**
 * Renders `stack` as HCL through cdktf's own `render` (the stack's `toHclTerraform`), with the
 * fixes described above. Throws HclRenderError for a string that HCL cannot carry, and an
 * internal error for a stack override cdktf would drop.
 */
export function renderStackHcl(stack: TerraformStack, render: () => StackHcl): StackHcl {
  const overrides = stackOverrides(stack);
  const dropped = Object.keys(overrides).filter((key) => !RENDERED_STACK_OVERRIDES.has(key));
  if (dropped.length > 0) {
    throw new Error(
      `internal: stack ${stack.node.id} overrides ${dropped.join(', ')}, which cdktf's HCL output drops; only terraform and import are written (app/hcl-render.ts)`,
    );
  }
  const resolver = new DefaultTokenResolver(new StringConcat());
  const patched: { element: TerraformElement; own: PropertyDescriptor | undefined }[] = [];
  try {
    for (const element of elementsOf(stack)) {
      const own = Object.getOwnPropertyDescriptor(element, 'toHclTerraform');
      const original = element.toHclTerraform;
      patched.push({ element, own });
      // Resolved first, so that text a token stands for is escaped too; cdktf resolves again, which changes nothing.
      Object.defineProperty(element, 'toHclTerraform', {
        value: () =>
          bareMetaReferences(escapeFragment(Tokenization.resolve(original.call(element), { scope: stack, preparing: false, resolver }))),
        configurable: true,
        writable: true,
      });
    }
    const { hcl, metadata } = render();
    const imports = renderImports(stack, overrides.import);
    return { hcl: `${hcl}\n${imports ? `\n${imports}` : ''}`, metadata };
  } finally {
    for (const { element, own } of patched) {
      if (own) Object.defineProperty(element, 'toHclTerraform', own);
      else delete (element as unknown as { toHclTerraform?: unknown }).toHclTerraform;
    }
  }
}
