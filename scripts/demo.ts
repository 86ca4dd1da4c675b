// The demo: moto as the AWS endpoint, code-server with the built .vsix on a copy of examples/census.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto } from '../test/support/moto';
import { startCodeServer } from '../test/support/codeServer';
import { ROOT, CACHE } from '../test/support/paths';

async function main(): Promise<void> {
  const port = Number(process.env.SMP_DEMO_PORT ?? 8080);
  const ws = path.join(CACHE, 'demo-workspace', 'census');
  if (!fs.existsSync(ws)) fs.cpSync(path.join(ROOT, 'examples', 'census'), ws, { recursive: true });
  const moto = await startMoto();
  console.log(`moto (AWS API emulator) at ${moto.endpoint}`);
  const cs = await startCodeServer({
    folder: ws,
    port,
    env: moto.env,
    settings: { 'sagemakerProcessing.endpointUrl': moto.endpoint, 'sagemakerProcessing.region': 'us-east-1' },
  });
  console.log(`\nSageMaker Processing demo is ready: ${cs.url}/?folder=${encodeURIComponent(ws)}`);
  console.log('Open it in a browser. Ctrl+C stops code-server and moto.\n');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await cs.stop();
    await moto.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e) => {
  console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
