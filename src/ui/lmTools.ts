// Thin registration, at activation, of the agent tools (package.json `contributes.languageModelTools`) and of the MCP
// server definition (`contributes.mcpServerDefinitionProviders`). Each tool is a shell: the first prepareInvocation or
// invoke loads dist/lazy-lmTools.js (src/ui/lazy/lmTools.ts), which runs the tools of src/core/tools. Hosts without
// `vscode.lm` (or without the MCP API) get neither. In an untrusted workspace only the read-only tools are offered (the
// writing ones' `when` is isWorkspaceTrusted); called by name there, run_job and stop_job refuse and say why.
import * as vscode from 'vscode';
import type { Ctx } from './context';
import { readTarget } from './settings';
import { t } from './l10n';

/** The tools of src/core/tools/specs.ts, by name, and whether they write (test/unit/agentTools.test.ts checks). */
export const LM_TOOLS: readonly { name: string; writes: boolean }[] = [
  { name: 'list_jobs', writes: false }, { name: 'describe_job', writes: false }, { name: 'read_job_logs', writes: false },
  { name: 'list_job_outputs', writes: false }, { name: 'list_definitions', writes: false }, { name: 'validate_definition', writes: false },
  { name: 'compare_runs', writes: false }, { name: 'list_schedules', writes: false }, { name: 'run_job', writes: true }, { name: 'stop_job', writes: true },
];

export const MCP_PROVIDER_ID = 'sagemakerProcessing.mcpServer';

/** The parts of the MCP server definition API this extension uses (VS Code 1.101+; @types/vscode 1.100 lacks them). */
interface McpApi {
  lm?: { registerMcpServerDefinitionProvider?(id: string, provider: { provideMcpServerDefinitions(): unknown[]; onDidChangeMcpServerDefinitions?: vscode.Event<void> }): vscode.Disposable };
  McpStdioServerDefinition?: new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => unknown;
}

type Input = Record<string, unknown>;

/** Registers what this host supports; returns the names of the tools registered now (the in-host tests read them). */
export interface AgentToolsApi {
  /** The tools registered in this window now. */
  tools: () => string[];
  /** Whether the MCP server definition provider is registered. */
  mcp: boolean;
  /** The stdio server the MCP provider defines now (command, args, env), as VS Code would start it. */
  mcpServer: () => { command: string; args: string[]; env: Record<string, string> };
  /** A tool's prepareInvocation, as the chat calls it (the in-host tests read the confirmations). */
  prepare: (name: string, input: Input) => Promise<vscode.PreparedToolInvocation>;
}

export function registerAgentTools(ctx: Ctx): AgentToolsApi {
  const lm = (vscode as { lm?: typeof vscode.lm }).lm;
  const registered = new Set<string>();
  if (lm?.registerTool) {
    for (const tool of LM_TOOLS) {
      const lazy = () => import('./lazy/lmTools');
      ctx.push(lm.registerTool<Input>(tool.name, {
        prepareInvocation: async (o, token) => (await lazy()).prepareInvocation(ctx, tool.name, o, token),
        invoke: async (o, token) => (await lazy()).invoke(ctx, tool.name, o, token),
      }));
      registered.add(tool.name);
    }
  }
  const mcpServer = () => ({ command: process.execPath, args: mcpServerArgs(ctx.extension.extensionPath), env: { ELECTRON_RUN_AS_NODE: '1' } });
  const api = vscode as unknown as McpApi;
  let mcp = false;
  if (api.lm?.registerMcpServerDefinitionProvider && api.McpStdioServerDefinition) {
    const Def = api.McpStdioServerDefinition;
    const changed = new vscode.EventEmitter<void>();
    ctx.push(changed, ctx.onDidChangeTarget(() => changed.fire()));
    try {
      ctx.push(api.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
        onDidChangeMcpServerDefinitions: changed.event,
        provideMcpServerDefinitions: () => {
          const s = mcpServer();
          return [new Def(t('SageMaker Processing job tools'), s.command, s.args, s.env)];
        },
      }));
      mcp = true;
    } catch (err) {
      // A host whose MCP API differs from VS Code 1.101's: the tools above still work; activation must not fail.
      ctx.log.warn(t('The MCP server definition could not be registered: {0}', (err as Error)?.message ?? String(err)));
    }
  }
  const prepare = async (name: string, input: Input) => {
    const cts = new vscode.CancellationTokenSource();
    try {
      return await (await import('./lazy/lmTools')).prepareInvocation(ctx, name, { input }, cts.token);
    } finally {
      cts.dispose();
    }
  };
  return { tools: () => [...registered], mcp, mcpServer, prepare };
}

/** The bundled CLI's `mcp` with the extension's profile, region and endpoint, read-only (no --allow-writes). */
export function mcpServerArgs(extensionPath: string): string[] {
  const target = readTarget();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return [
    `${extensionPath}/dist/cli.js`, 'mcp',
    ...(target.profile ? ['--profile', target.profile] : []),
    ...(target.region ? ['--region', target.region] : []),
    ...(target.endpointUrl ? ['--endpoint-url', target.endpointUrl] : []),
    ...(folder ? ['--folder', folder] : []),
  ];
}
