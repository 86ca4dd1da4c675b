// The engine API attach for Run Locally (one ordered stream of a container's stdout and stderr, src/local/engineAttach.ts),
// loaded when a local run starts (dist/lazy-engineAttach.js): the activation bundle has no room for it.
import '../l10n';

export { resolveAttacher } from '../../local/engineAttach';
