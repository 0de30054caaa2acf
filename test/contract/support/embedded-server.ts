// Runs the embedded PostgreSQL in a process of its own for the test suites: PGlite loads Node
// built-ins through dynamic import(), which Jest's module sandbox refuses. Prints one JSON line
// with the URL, then serves until its stdin closes (also when the test process dies) or SIGTERM.
import { startEmbeddedPostgres } from "../../../src/infrastructure/persistence/embedded/embedded-postgres";

async function main(): Promise<void> {
  const server = await startEmbeddedPostgres({ maxConnections: Number(process.env.EMBEDDED_MAX_CONNECTIONS ?? 10) });
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
