/**
 * The environment Terraform runs with in the harness: the caller's environment without anything
 * that points Terraform or the AWS SDK somewhere else (AWS profiles, credentials, endpoints, CLI
 * configuration, plugin cache, workspace), plus what keeps it offline, and a garbage collector
 * setting that halves the provider's CPU.
 */

/** Variables kept from the caller although they start with `TF_`: logging only. */
const KEPT_TF_VARIABLES = new Set(['TF_LOG', 'TF_LOG_CORE', 'TF_LOG_PROVIDER', 'TF_LOG_PATH']);

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];

/**
 * A proxy that refuses every connection (nothing listens on the discard port): a request that
 * was not sent to the loopback stand-in fails at once instead of reaching the network. Go never
 * proxies loopback addresses, so the stand-in is still reached directly.
 */
export const REFUSING_PROXY = 'http://127.0.0.1:9';

/**
 * The Go garbage collector's target for Terraform and the provider processes it starts (they
 * inherit the environment), unless the caller sets `GOGC`. Every start of the AWS provider (two or
 * three per plan: schema, validate walk, plan walk) validates its whole schema, mostly allocating;
 * a larger heap target collects less often. Measured on two cores (2026-12-02, the default
 * environment's stack, hashicorp/aws 5.100.0): a plan took 8.7 s of CPU and 340 MB with Go's
 * default of 100, 4.8 s and 480-540 MB with 400; 800 and above saved no more CPU and used more memory.
 */
export const OFFLINE_GOGC = '400';

/** The child environment for offline Terraform runs that use the CLI configuration `cliConfigFile`. */
export function offlineTerraformEnv(cliConfigFile: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (name.startsWith('AWS_')) continue;
    if (name.startsWith('TF_') && !KEPT_TF_VARIABLES.has(name)) continue;
    if (PROXY_VARIABLES.includes(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    HTTP_PROXY: REFUSING_PROXY,
    HTTPS_PROXY: REFUSING_PROXY,
    NO_PROXY: '127.0.0.1,localhost',
    GOGC: base.GOGC ?? OFFLINE_GOGC,
  };
}
