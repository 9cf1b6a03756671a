/**
 * Plans synthesized stacks offline: each stack is copied into the harness's own folder with the
 * offline override, Terraform is initialised once per set of required providers (the `.terraform`
 * folder, which only links the mirrored provider, and the lock file are copied to the other stacks
 * instead of running concurrent inits), then `plan -out` and `show -json` run for every stack,
 * with no more Terraform processes at a time than the machine-wide limit allows (`terraformSlots`:
 * one per core, shared by every process, so jest's workers together stay within it). Never `apply`.
 */
import {
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { STACK_FILE } from '../../app/output-format';
import { readJsonFile } from '../lib/external-json';
import { runTerraform, TerraformCommandError, type TerraformResult } from './cli';
import { type Limiter, terraformSlots } from './concurrency';
import { writeMirrorCliConfig } from './mirror';
import { offlineTerraformEnv } from './offline-env';
import { OFFLINE_STATE_FILE, OVERRIDE_FILE, writeOfflineOverride } from './offline-override';
import type { PlanJson } from './plan-json';
import { writePlanJson } from './plan-output';
import { DEFAULT_OFFLINE_ACCOUNT_ID, offlineAccessKeyId, startStsStandIn, type StsStandIn } from './sts-stand-in';

/** The Terraform binary and the provider mirror the harness runs with. */
export interface HarnessTools {
  readonly terraformBinary: string;
  readonly mirrorRoot: string;
}

/** Options of a harness. */
export interface HarnessOptions {
  /**
   * What bounds the Terraform processes this harness runs at once; each `plan` takes about 500 MB.
   * @default the machine-wide limiter (`terraformSlots()`: `TERRAFORM_SLOTS`, else one per core)
   */
  readonly limiter?: Limiter;
}

/** How to add a stack. */
export interface AddStackOptions {
  /** The environment's name: the plan is written as `<planDir>/<name>.plan.json`. */
  readonly name: string;
  /** Where the plan JSON goes. */
  readonly planDir: string;
  /**
   * The account the STS stand-in reports for this stack's credentials.
   * @default the stack's `allowed_account_ids[0]`, else 111122223333
   */
  readonly callerAccountId?: string;
  /**
   * More of the provider's service endpoints for this stack only, each a loopback stand-in the
   * caller runs, e.g. `{ kms: kmsStandIn.endpoint }` for a stack that imports an existing key.
   * @default none: only STS is answered, every other service is refused
   */
  readonly endpoints?: Readonly<Record<string, string>>;
  /**
   * For a stack folder that holds HCL (`cdk.tf`, from `npm run synth -- --hcl`): the same stack
   * synthesized as Terraform JSON (a `cdk.tf.json` file), which the harness reads for the providers
   * and accounts the HCL declares. The caller shows the two equal (hcl-output.test.ts compares them).
   * @default none: the folder must hold `cdk.tf.json`
   */
  readonly jsonTwin?: string;
}

/** A stack in the harness. */
export interface HarnessStack {
  readonly name: string;
  /** The harness's copy of the stack, where Terraform runs. */
  readonly dir: string;
  /** `<planDir>/<name>.plan.json`. */
  readonly planJsonFile: string;
  /** The account the stand-in answers for this stack. */
  readonly callerAccountId: string;
  /** The stack's `terraform.required_providers`, as JSON: stacks with equal ones share an init. */
  readonly providersKey: string;
}

/** Files of a synthesized stack folder the harness does not copy. */
const NOT_COPIED = new Set(['.terraform', '.terraform.lock.hcl', OVERRIDE_FILE]);

/** An `aws` provider configuration, as far as the harness reads it. */
const providerJsonSchema = z.looseObject({
  alias: z.string().optional(),
  allowed_account_ids: z.array(z.string()).optional(),
});

/** The parts of a synthesized stack the harness reads; everything else passes through unread. */
const stackJsonSchema = z.looseObject({
  provider: z.looseObject({ aws: z.union([z.array(providerJsonSchema), providerJsonSchema]).optional() }).optional(),
  terraform: z.looseObject({ required_providers: z.unknown().optional() }).optional(),
});

type StackJson = z.infer<typeof stackJsonSchema>;
type ProviderJson = z.infer<typeof providerJsonSchema>;

function awsProviders(stack: StackJson): readonly ProviderJson[] {
  const aws = stack.provider?.aws;
  return aws === undefined ? [] : Array.isArray(aws) ? aws : [aws];
}

/**
 * The stack's configuration as JSON: its own `cdk.tf.json`, or for an HCL stack (`cdk.tf` only)
 * the JSON twin the caller names. Anything else is refused, naming what the folder holds.
 */
function readStackJson(sourceDir: string, jsonTwin: string | undefined): StackJson {
  const json = join(sourceDir, STACK_FILE.json);
  const hcl = join(sourceDir, STACK_FILE.hcl);
  if (existsSync(json) && existsSync(hcl)) {
    throw new Error(
      `${sourceDir} holds both ${STACK_FILE.json} and ${STACK_FILE.hcl}; Terraform would read both and define everything twice`,
    );
  }
  if (existsSync(json)) return readJsonFile(stackJsonSchema, json);
  if (!existsSync(hcl))
    throw new Error(`${sourceDir} holds neither ${STACK_FILE.json} nor ${STACK_FILE.hcl}: not a synthesized stack folder`);
  if (jsonTwin === undefined) {
    throw new Error(`${sourceDir} holds HCL (${STACK_FILE.hcl}); pass the same stack synthesized as JSON as addStack's jsonTwin`);
  }
  return readJsonFile(stackJsonSchema, jsonTwin);
}

function allowedAccountIds(stack: StackJson): readonly string[] {
  return awsProviders(stack).find((p) => p.alias === undefined)?.allowed_account_ids ?? [];
}

/**
 * Copies a folder, recreating symbolic links as links (init links the mirrored provider; copying
 * its 675 MB binary instead would cost more than the init saved).
 */
function copyKeepingLinks(from: string, to: string): void {
  const stat = lstatSync(from);
  if (stat.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
  else if (stat.isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from)) copyKeepingLinks(join(from, entry), join(to, entry));
  } else copyFileSync(from, to);
}

/** A running harness: its temporary folder, CLI configuration and STS stand-in. Call `close()`. */
export class OfflineHarness {
  private readonly stacks: HarnessStack[] = [];
  private readonly initialized = new Map<string, Promise<string>>();
  private readonly ready = new Set<string>();
  private readonly limit: Limiter;

  private constructor(
    private readonly tools: HarnessTools,
    /** The harness's temporary folder; removed by `close()`. */
    readonly root: string,
    /** The CLI configuration that installs providers from the mirror (for `TF_CLI_CONFIG_FILE`). */
    readonly cliConfigFile: string,
    private readonly env: NodeJS.ProcessEnv,
    /** The loopback STS stand-in the stacks' providers talk to. */
    readonly sts: StsStandIn,
    options: HarnessOptions,
  ) {
    this.limit = options.limiter ?? terraformSlots();
  }

  /** Creates the temporary folder and CLI configuration and starts the STS stand-in. */
  static async start(tools: HarnessTools, options: HarnessOptions = {}): Promise<OfflineHarness> {
    const root = mkdtempSync(join(tmpdir(), 'tf-harness-'));
    try {
      const cliConfigFile = writeMirrorCliConfig(root, tools.mirrorRoot);
      const sts = await startStsStandIn();
      return new OfflineHarness(tools, root, cliConfigFile, offlineTerraformEnv(cliConfigFile), sts, options);
    } catch (error) {
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Copies the synthesized stack folder `sourceDir` (which holds `cdk.tf.json`, or `cdk.tf` with
   * `options.jsonTwin`) into the harness and writes the override.
   */
  addStack(sourceDir: string, options: AddStackOptions): HarnessStack {
    const stackJson = readStackJson(sourceDir, options.jsonTwin);
    const dir = join(this.root, 'stacks', `${this.stacks.length}-${options.name}`);
    mkdirSync(dir, { recursive: true });
    for (const entry of readdirSync(sourceDir)) {
      if (NOT_COPIED.has(entry) || entry.endsWith('.tfstate') || entry.endsWith('.tfplan')) continue;
      cpSync(join(sourceDir, entry), join(dir, entry), { recursive: true });
    }
    const callerAccountId = options.callerAccountId ?? allowedAccountIds(stackJson)[0] ?? DEFAULT_OFFLINE_ACCOUNT_ID;
    writeOfflineOverride(dir, {
      stsEndpoint: this.sts.endpoint,
      accessKeyId: offlineAccessKeyId(callerAccountId),
      endpoints: options.endpoints,
      providerAliases: awsProviders(stackJson).flatMap((p) => (p.alias === undefined ? [] : [p.alias])),
    });
    const stack: HarnessStack = {
      name: options.name,
      dir,
      planJsonFile: join(options.planDir, `${options.name}.plan.json`),
      callerAccountId,
      providersKey: JSON.stringify(stackJson.terraform?.required_providers ?? {}),
    };
    this.stacks.push(stack);
    return stack;
  }

  /** Runs a Terraform command in a stack's folder with the offline environment, waiting for a free slot. */
  run(stack: HarnessStack, args: readonly string[]): Promise<TerraformResult> {
    return this.limit(() => runTerraform(this.tools.terraformBinary, args, { cwd: stack.dir, env: this.env }));
  }

  private async runOrThrow(stack: HarnessStack, args: readonly string[]): Promise<TerraformResult> {
    const result = await this.run(stack, args);
    if (result.code !== 0) throw new TerraformCommandError(args, stack.dir, result);
    return result;
  }

  /**
   * Makes `stack` ready for plans: the first stack of its provider set runs `terraform init`, the
   * others get a copy of its `.terraform` folder and lock file. Safe to call concurrently.
   */
  async init(stack: HarnessStack): Promise<void> {
    if (this.ready.has(stack.dir)) return;
    let initDir = this.initialized.get(stack.providersKey);
    if (!initDir) {
      initDir = this.runOrThrow(stack, ['init', '-input=false', '-no-color']).then(() => stack.dir);
      this.initialized.set(stack.providersKey, initDir);
    }
    const source = await initDir;
    if (this.ready.has(stack.dir)) return;
    if (source !== stack.dir) {
      copyKeepingLinks(join(source, '.terraform'), join(stack.dir, '.terraform'));
      copyFileSync(join(source, '.terraform.lock.hcl'), join(stack.dir, '.terraform.lock.hcl'));
    }
    this.ready.add(stack.dir);
  }

  /** `init` (shared as above), then `terraform validate`; the result says whether the configuration is valid. */
  async validate(stack: HarnessStack): Promise<TerraformResult> {
    await this.init(stack);
    return this.run(stack, ['validate', '-no-color']);
  }

  /** `plan -out`, then `show -json`; writes `<planDir>/<name>.plan.json` and returns the parsed plan. */
  async plan(stack: HarnessStack): Promise<PlanJson> {
    await this.init(stack);
    await this.runOrThrow(stack, ['plan', '-input=false', '-no-color', '-lock=false', '-out=plan.tfplan']);
    const shown = await this.runOrThrow(stack, ['show', '-json', '-no-color', 'plan.tfplan']);
    return writePlanJson(stack.planJsonFile, shown.stdout);
  }

  /**
   * Plans every stack added so far (or the ones given); the results are in the stacks' order. All
   * plans are attempted; the first failure is thrown once all have settled.
   */
  async planAll(stacks: readonly HarnessStack[] = this.stacks): Promise<PlanJson[]> {
    const settled = await Promise.allSettled(stacks.map((stack) => this.plan(stack)));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<PlanJson>).value);
  }

  /**
   * Writes `state` as the stack's (local) state and runs `plan -destroy -refresh=false`: the
   * result's code and output say whether Terraform would destroy the resources in it.
   */
  async planDestroy(stack: HarnessStack, state: unknown): Promise<TerraformResult> {
    await this.init(stack);
    writeFileSync(join(stack.dir, OFFLINE_STATE_FILE), JSON.stringify(state, null, 2));
    return this.run(stack, ['plan', '-destroy', '-refresh=false', '-input=false', '-no-color', '-lock=false']);
  }

  /** Stops the stand-in and removes the temporary folder. */
  async close(): Promise<void> {
    try {
      await this.sts.close();
    } finally {
      rmSync(this.root, { recursive: true, force: true });
    }
  }
}
