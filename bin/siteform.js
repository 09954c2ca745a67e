#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx siteform` needs no build step
// and can never run stale output.
import { register } from "tsx/esm/api";

register();
const { run } = await import("../src/cli/main.ts");
process.exitCode = await run(process.argv);
