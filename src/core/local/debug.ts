// "Debug Locally in Docker", planned without touching the disk or the engine: how the job's entrypoint starts its
// script under debugpy, which instances wait for a debugger, where debugpy is mounted, the path mappings from the
// container's code folder to the workspace, and the small Python programs that the host side runs in the container
// (through `<cli> exec -i`) to reach debugpy on the container's own loopback.
//
// Why `exec` and not a published port: a local run has no network unless the job allows it (`--network none`, or an
// `--internal` network between instances), and an engine publishes ports only for containers on a non-internal
// network, which would also give the script the network it must not have. debugpy listens on 127.0.0.1 inside the
// container; the host listens on 127.0.0.1:<port> and pipes each connection through `<cli> exec -i <container>`.
import * as path from 'node:path';
import type { ContainerSpec } from '../definition/containerSpec';
import { CODE_DIR, ENTRYPOINT_DIR, ENTRYPOINT_INPUT, RUNPROC } from '../definition/layout';
import type { Mount } from './plan';
import { t } from '../l10n';

/** Where the debugpy package folder is mounted (read-only) in the container. */
export const DEBUGPY_MOUNT = '/opt/smp-debug/debugpy';
/** The port debugpy listens on, on the container's loopback. */
export const CONTAINER_DEBUG_PORT = 5678;
/** The runproc variant (sourceDir jobs) that starts the script under debugpy. */
export const RUNPROC_DEBUG = 'runproc-debug.sh';

export type DebugInstances = 'first' | 'all';

/** The hosts whose script waits for a debugger: algo-1, or every instance. */
export function debugHosts(hosts: string[], which: DebugInstances): string[] {
  return which === 'all' ? [...hosts] : hosts.slice(0, 1);
}

/** `-m debugpy` would need debugpy on PYTHONPATH (and override the image's); running its folder needs nothing. */
export function debugpyArgs(port = CONTAINER_DEBUG_PORT): string[] {
  return [DEBUGPY_MOUNT, '--listen', `127.0.0.1:${port}`, '--wait-for-client'];
}

const PYTHON = /^python(\d+(\.\d+)?)?$/;

function isPython(exe: string): boolean {
  return PYTHON.test(path.posix.basename(exe));
}

export interface DebugEntrypoint {
  /** The entrypoint of a debugged instance. */
  entrypoint: string[];
  /** The python the script runs with (the relay and probe run with it too). */
  python: string;
  /** An extra generated file for the `entrypoint` input (sourceDir jobs): name → text. */
  extraFile?: { input: string; name: string; text: string };
}

/** One token of a runproc command line as layout.ts's shellQuote writes it, at the end of a string. */
const LAST_TOKEN = /(?:'(?:[^']|'"'"')*'|[A-Za-z0-9_@%+=:,./-]+)$/;

/**
 * The entrypoint that starts the job's script under debugpy: `python [opts] <debugpy> --listen … --wait-for-client
 * <script> args` for a script job; for a sourceDir job a runproc variant whose last line does the same. Throws when
 * the job does not run a Python script the way the definition does (then there is nothing to attach to).
 */
export function debugEntrypoint(spec: ContainerSpec, port = CONTAINER_DEBUG_PORT): DebugEntrypoint {
  const ep = spec.entrypoint;
  const runproc = `${ENTRYPOINT_DIR}/${RUNPROC}`;
  if (ep.length === 2 && ep[1] === runproc) {
    const input = spec.inputs.find((i) => i.name === ENTRYPOINT_INPUT && i.source.kind === 'content');
    const text = input?.source.kind === 'content' ? input.source.files[RUNPROC] : undefined;
    if (!text) throw new Error(t('the job runs {0}, and its text is not known', runproc));
    const lines = text.split('\n');
    const i = lines.map((l, n) => [l, n] as const).filter(([l]) => l.endsWith(' "$@"')).pop()?.[1];
    if (i === undefined) throw new Error(t('{0} has no line that runs the script', RUNPROC));
    const head = lines[i].slice(0, -' "$@"'.length);
    const script = LAST_TOKEN.exec(head)?.[0];
    const cmd = script ? head.slice(0, head.length - script.length).trimEnd() : '';
    const python = cmd.split(' ')[0] ?? '';
    if (!script || !isPython(python.replace(/'/g, ''))) throw new Error(t('the job\'s command ({0}) is not python, so debugpy cannot start the script', cmd || '?'));
    lines[i] = `${cmd} ${debugpyArgs(port).join(' ')} ${script} "$@"`;
    return { entrypoint: [ep[0], `${ENTRYPOINT_DIR}/${RUNPROC_DEBUG}`], python, extraFile: { input: ENTRYPOINT_INPUT, name: RUNPROC_DEBUG, text: lines.join('\n') } };
  }
  const scriptAt = ep.findIndex((a, n) => n > 0 && a.startsWith(CODE_DIR + '/') && a.endsWith('.py'));
  if (scriptAt < 1 || !isPython(ep[0])) {
    throw new Error(ep.length
      ? t('the job\'s entrypoint ({0}) does not run a Python script with python, so debugpy cannot start it', ep.join(' '))
      : t('the job\'s entrypoint (the image\'s own) does not run a Python script with python, so debugpy cannot start it'));
  }
  return { entrypoint: [...ep.slice(0, scriptAt), ...debugpyArgs(port), ...ep.slice(scriptAt)], python: ep[0] };
}

/** The spec of a debug run: the runproc variant added to the `entrypoint` input (the entrypoint itself is per host). */
export function debugSpec(spec: ContainerSpec, d: DebugEntrypoint): ContainerSpec {
  if (!d.extraFile) return spec;
  const extra = d.extraFile;
  return {
    ...spec,
    inputs: spec.inputs.map((i) => (i.name === extra.input && i.source.kind === 'content'
      ? { ...i, source: { kind: 'content' as const, files: { ...i.source.files, [extra.name]: extra.text } } }
      : i)),
  };
}

/** The read-only mount of the debugpy package folder. */
export function debugpyMount(debugpyDir: string): Mount {
  return { source: debugpyDir, target: DEBUGPY_MOUNT, readonly: true };
}

export interface PathMapping {
  localRoot: string;
  remoteRoot: string;
}

/**
 * Where the job's local files are in the container, for the debugger's pathMappings: the script's folder (or the
 * sourceDir) at the code folder, then every local-folder input at its destination. Most specific first.
 */
export function debugPathMappings(spec: ContainerSpec): PathMapping[] {
  const out: PathMapping[] = [];
  for (const i of spec.inputs) {
    if (i.source.kind !== 'local') continue;
    const local = i.source.path;
    if (i.destination === CODE_DIR) {
      // The script file lands in the code folder; a sourceDir is the code folder.
      out.push({ localRoot: local.endsWith('.py') ? path.dirname(local) : local, remoteRoot: CODE_DIR });
    } else if (!path.extname(local)) {
      out.push({ localRoot: local, remoteRoot: i.destination });
    }
  }
  // The code folder first: a breakpoint in the script binds there even if an input maps the same folder.
  return out.sort((a, b) => Number(b.remoteRoot === CODE_DIR) - Number(a.remoteRoot === CODE_DIR));
}

/** The DAP `attach` arguments for a debugpy adapter reached on 127.0.0.1:port. */
export function attachArguments(port: number, mappings: PathMapping[]): Record<string, unknown> {
  return { connect: { host: '127.0.0.1', port }, pathMappings: mappings, justMyCode: true };
}

/** What the CLI prints for each waiting instance: how to attach from VS Code (launch.json) or any DAP client. */
export function attachInstructions(host: string, port: number, mappings: PathMapping[]): string[] {
  const config = { name: t('Attach to {0}', host), type: 'debugpy', request: 'attach', ...attachArguments(port, mappings) };
  return [
    t('{0}: debugpy is waiting for a debugger on 127.0.0.1:{1}. Attach with this launch configuration (VS Code, Python Debugger):', host, port),
    ...JSON.stringify(config, null, 2).split('\n').map((l) => `  ${l}`),
  ];
}

/**
 * Run in the container with `<python> -c RELAY <port> <seconds>`: connects to debugpy on the container's loopback
 * (retrying until it listens, up to the deadline) and pipes stdin/stdout to it. Exit 3 when it never listened.
 */
export const RELAY_PY = [
  'import os, socket, sys, threading, time',
  'port, deadline = int(sys.argv[1]), time.time() + float(sys.argv[2])',
  'while True:',
  '    try:',
  '        s = socket.create_connection(("127.0.0.1", port)); break',
  '    except OSError:',
  '        if time.time() > deadline:',
  '            sys.stderr.write("debugpy is not listening on port %d in the container\\n" % port); sys.exit(3)',
  '        time.sleep(0.05)',
  'def up():',
  '    while True:',
  '        b = os.read(0, 65536)',
  '        if not b: break',
  '        s.sendall(b)',
  '    try: s.shutdown(socket.SHUT_WR)',
  '    except OSError: pass',
  'threading.Thread(target=up, daemon=True).start()',
  'while True:',
  '    b = s.recv(65536)',
  '    if not b: break',
  '    while b: b = b[os.write(1, b):]',
].join('\n');

/**
 * Run in the container with `<python> -c PROBE <port> <seconds>`: waits until something listens on the port (read from
 * /proc/net/tcp, so debugpy's one client connection is not used up). Exit 0 when it does, 3 at the deadline.
 */
export const PROBE_PY = [
  'import sys, time',
  'port, deadline = int(sys.argv[1]), time.time() + float(sys.argv[2])',
  'def listening():',
  '    for f in ("/proc/net/tcp", "/proc/net/tcp6"):',
  '        try: rows = open(f).read().split("\\n")[1:]',
  '        except OSError: continue',
  '        for r in rows:',
  '            c = r.split()',
  '            if len(c) > 3 and c[3] == "0A" and int(c[1].split(":")[1], 16) == port: return True',
  '    return False',
  'while not listening():',
  '    if time.time() > deadline: sys.exit(3)',
  '    time.sleep(0.05)',
].join('\n');
