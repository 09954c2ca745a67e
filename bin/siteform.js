#!/usr/bin/env node
// Runs the built bundle (npm run build, which npm ci and npm pack run through `prepare`): plain
// JavaScript starts in a fraction of the time tsx needs to compile the sources.
let main;
try {
  main = await import("../dist/main.js");
} catch (err) {
  if (err?.code !== "ERR_MODULE_NOT_FOUND" || !String(err.message).includes("dist/main.js")) throw err;
  process.stderr.write("siteform is not built: run `npm run build` (npm ci does it) in its directory, then try again\n");
  process.exit(1);
}
process.exitCode = await main.run(process.argv);
