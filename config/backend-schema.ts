/** Where Terraform keeps an environment's state: local file, S3, or Terraform Cloud. */
import { z } from 'zod';
import { bool, expected, matching, show, strictObject } from './fields';
import { region } from './fields';
import { normalizeStatePath } from './state-path';

/** Local state, in a file outside `cdktf.out` so that synth never deletes it. */
export interface LocalBackendSettings {
  readonly type: 'local';
  /**
   * State file path, relative to the project root (the folder holding `cdktf.json`), with `/`
   * between folders. It is normalised (`./a/../b.tfstate` is `b.tfstate`) and must stay inside the
   * project, name a file, and not lie inside `cdktf.out` or `node_modules`; absolute paths are
   * refused (they would make the output differ per machine). Two environments may not share it,
   * compared without case. At most 1024 characters.
   * @default "terraform.<environment>.tfstate"
   */
  readonly path?: string;
}

/** State in an S3 bucket, with Terraform's native S3 locking. */
export interface S3BackendSettings {
  readonly type: 's3';
  /**
   * Bucket name, as S3 allows it: 3-63 characters of lower-case letters, digits, `.` and `-`,
   * starting and ending with a letter or digit, no `..`, not an IP address, not starting with
   * `xn--`, `sthree-` or `amzn-s3-demo-`, not ending with `-s3alias`, `--ol-s3`, `.mrap`, `--x-s3` or
   * `--table-s3`.
   */
  readonly bucket: string;
  /**
   * Object key of the state file.
   * @default "<environment>/terraform.tfstate"
   */
  readonly key?: string;
  /**
   * Region of the bucket.
   * @default the environment's region
   */
  readonly region?: string;
  /**
   * Lock with a `.tflock` object next to the state (`use_lockfile`, Terraform >= 1.10).
   * @default true
   */
  readonly useLockfile?: boolean;
  /**
   * Server-side encryption of the state object.
   * @default true
   */
  readonly encrypt?: boolean;
}

/** Terraform Cloud / HCP Terraform (or Terraform Enterprise), for remote runs. */
export interface CloudBackendSettings {
  readonly type: 'cloud';
  /** Organization name. */
  readonly organization: string;
  /** Workspace name: letters, digits, `_` and `-`, at most 90 characters. */
  readonly workspace: string;
  /**
   * Hostname of Terraform Cloud or of a Terraform Enterprise installation.
   * @default "app.terraform.io"
   */
  readonly hostname?: string;
}

/** Any backend setting. */
export type BackendSettings = LocalBackendSettings | S3BackendSettings | CloudBackendSettings;

/** Prefixes and suffixes S3 reserves for its own kinds of buckets and access points. */
const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/**
 * What breaks S3's naming rules for general purpose buckets, or undefined: 3-63 characters of
 * `a-z 0-9 . -`, a letter or digit at both ends, no `..`, not shaped like an IPv4 address, none of
 * the reserved prefixes and suffixes.
 */
export function s3BucketNameProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return `is ${bucket.length} characters long; S3 bucket names have 3-63`;
  if (!/^[a-z0-9.-]+$/.test(bucket)) return 'is not a valid S3 bucket name; allowed: lower-case letters, digits, "." and "-"';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(bucket)) return 'must start and end with a lower-case letter or digit';
  if (bucket.includes('..')) return 'has two dots in a row, which S3 does not allow';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) return 'is shaped like an IP address, which S3 does not allow';
  const prefix = RESERVED_BUCKET_PREFIXES.find((p) => bucket.startsWith(p));
  if (prefix) return `starts with "${prefix}", which S3 reserves`;
  const suffix = RESERVED_BUCKET_SUFFIXES.find((p) => bucket.endsWith(p));
  if (suffix) return `ends with "${suffix}", which S3 reserves`;
  return undefined;
}

/** A local state path, checked and normalised (see `state-path.ts`). */
const statePath = z.string({ error: expected('a string') }).transform((input, ctx) => {
  const result = normalizeStatePath(input);
  if ('problem' in result) {
    ctx.addIssue({ code: 'custom', message: result.problem });
    return z.NEVER;
  }
  return result.path;
});

/** The backend schema; defaults that need the environment's name are filled in by the config. */
export const backendSchema = z.discriminatedUnion(
  'type',
  [
    strictObject({ type: z.literal('local'), path: statePath.optional() }),
    strictObject({
      type: z.literal('s3'),
      bucket: z.string({ error: expected('a string') }).superRefine((bucket, ctx) => {
        const problem = s3BucketNameProblem(bucket);
        if (problem) ctx.addIssue({ code: 'custom', message: `${show(bucket)} ${problem}` });
      }),
      key: matching(/^[^/].{0,1023}$/, 'is not a valid state key; expected a relative object key').optional(),
      region: region().optional(),
      useLockfile: bool().default(true),
      encrypt: bool().default(true),
    }),
    strictObject({
      type: z.literal('cloud'),
      organization: matching(/^[A-Za-z0-9_-]{1,40}$/, 'is not a valid organization name; allowed: letters, digits, _ and -'),
      workspace: matching(/^[A-Za-z0-9_-]{1,90}$/, 'is not a valid workspace name; allowed: 1-90 letters, digits, _ and -'),
      hostname: matching(/^[a-z0-9.-]+(:\d+)?$/, 'is not a hostname').default('app.terraform.io'),
    }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `${show((issue.input as { type?: unknown } | undefined)?.type)} is not a backend type; allowed: "local", "s3", "cloud"`
        : expected('an object with a "type" of "local", "s3" or "cloud"')(issue),
  },
);

/** A backend with the schema's defaults applied. */
export type ParsedBackend = z.output<typeof backendSchema>;
