import { AwsClients } from './aws/index';
import { explainAwsError } from './aws/errors';
import { formatDuration, sortNewestFirst, type JobStatus } from './core/jobs';
import { normalizeTarget } from './core/settings';

const USAGE = `Usage: sagemaker-processing <command> [options]

Commands:
  jobs [--status S] [--name-contains X] [--max N]   list processing jobs, newest first

Options:
  --profile P      AWS profile (default: the SDK default chain)
  --region R       AWS region (default: AWS_REGION or the profile's)
  --endpoint-url U endpoint for every service (default: AWS_ENDPOINT_URL or AWS)
  --json           machine-readable output
`;

interface Parsed { command?: string; positional: string[]; flags: Map<string, string | true> }

export function parseArgs(argv: string[]): Parsed {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      if (v !== undefined) flags.set(k, v);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--') && !['json', 'wait', 'logs', 'follow', 'local', 'help'].includes(k)) flags.set(k, argv[++i]);
      else flags.set(k, true);
    } else positional.push(a);
  }
  return { command: positional.shift(), positional, flags };
}

function str(p: Parsed, k: string): string | undefined {
  const v = p.flags.get(k);
  return typeof v === 'string' ? v : undefined;
}

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<number> {
  const p = parseArgs(argv);
  if (!p.command || p.flags.has('help')) {
    out(USAGE);
    return p.command || p.flags.has('help') ? 0 : 2;
  }
  const aws = new AwsClients(normalizeTarget({ profile: str(p, 'profile'), region: str(p, 'region'), endpointUrl: str(p, 'endpoint-url') }));
  try {
    switch (p.command) {
      case 'jobs': {
        const sm = await aws.sagemaker();
        const max = Number(str(p, 'max') ?? '100');
        const jobs = [];
        let token: string | undefined;
        do {
          const page = await sm.listProcessingJobs({ status: str(p, 'status') as JobStatus | undefined, nameContains: str(p, 'name-contains') }, token);
          jobs.push(...page.jobs);
          token = page.nextToken;
        } while (token && jobs.length < max);
        const sorted = sortNewestFirst(jobs).slice(0, max);
        if (p.flags.has('json')) out(JSON.stringify(sorted, null, 2));
        else for (const j of sorted) out(`${j.name}\t${j.status}\t${j.creationTime.toISOString()}\t${j.endTime ? formatDuration(j.endTime.getTime() - j.creationTime.getTime()) : ''}`);
        return 0;
      }
      default:
        out(`Unknown command "${p.command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    process.stderr.write(`error: ${explainAwsError(err)}\n`);
    return 1;
  } finally {
    aws.dispose();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
