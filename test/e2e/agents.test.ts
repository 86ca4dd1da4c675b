// End-to-end (#28): the language-model tools in code-server's extension host (VS Code 1.100.3), against moto: the
// in-host tests of test/e2e/inhost/agentTools.test.ts (vscode.lm.invokeTool, prepareInvocation confirmations).
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { startMoto } from '../support/moto';
import { seedJobs } from '../support/seed';
import { runInHostSuite } from '../support/inhost';
import { copyCensusExample } from '../support/session';

describe('agent tools in code-server\'s extension host', () => {
  it('registers the tools, invokes the read-only ones through vscode.lm.invokeTool, and the writing ones ask first', async () => {
    const moto = await startMoto();
    try {
      await seedJobs(moto.endpoint, ['agents-seeded-job']);
      const result = await runInHostSuite({
        folder: copyCensusExample('agents-ws'),
        env: { ...moto.env, SMP_SEEDED_JOB: 'agents-seeded-job', SMP_INHOST_GREP: 'agent tools' },
        timeoutMs: 300_000,
      });
      assert.equal(result.exitCode, 0, `in-host suite failed:\n${result.log}`);
      assert.match(result.log, /3 passing/);
      // code-server 1.100 has the MCP server definition API under its earlier contribution name
      // (contributes.modelContextServerCollections, also declared): the provider registers.
      assert.match(result.log, /MCP_PROVIDER=true/);
    } finally {
      await moto.stop();
    }
  });
});
