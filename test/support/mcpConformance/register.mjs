// `node --import <this>` before the MCP conformance suite's CLI on Node 20: its bundle imports fs.globSync (Node 22+)
// for its tier-check command only; this hands it node:fs plus a globSync that says so. The server scenarios do not
// use it.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
