// Runs the embedded PostgreSQL in a process of its own for the test suites: PGlite loads Node
// built-ins through dynamic import(), which Jest's module sandbox refuses. Prints one JSON line
// with the URL, then serves until its stdin closes (also when the test process dies) or SIGTERM.
import { PGlite } from "@electric-sql/pglite";
import { readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startEmbeddedPostgres } from "../../../src/infrastructure/persistence/embedded/embedded-postgres";

// A freshly initialised data directory, made once per machine and PGlite version: starting from it
// takes about half a second instead of four.
async function template(): Promise<Blob> {
  const manifest = join(dirname(require.resolve("@electric-sql/pglite")), "..", "package.json");
  const { version } = JSON.parse(await readFile(manifest, "utf8")) as { version: string };
  const file = join(tmpdir(), `nextauth-hex-pglite-${version}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const db = await PGlite.create();
    const dump = await db.dumpDataDir("none");
    await db.close();
    const partial = `${file}.${process.pid}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  }
}

async function main(): Promise<void> {
  const server = await startEmbeddedPostgres({
    maxConnections: process.env.EMBEDDED_MAX_CONNECTIONS ? Number(process.env.EMBEDDED_MAX_CONNECTIONS) : undefined,
    loadDataDir: await template(),
  });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(0);
  };
  process.stdin.on("end", stop);
  process.stdin.on("error", stop);
  process.stdin.resume();
  process.on("SIGTERM", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
