// Opens the embedded database twice on one directory, as `npm run dev` does across restarts, and
// prints what the second opening found. Run in a child process (PGlite cannot load inside Jest).
import { openDatabase, createTypeOrmStores, deriveOutboxKey } from "../../../src/infrastructure/persistence/typeorm";
import { ControllableClock } from "../../../src/infrastructure/clock/controllable-clock";
import { aUser } from "./fixtures";

async function main(dir: string): Promise<void> {
  const clock = new ControllableClock();
  const options = { clock, outboxKey: deriveOutboxKey("a-secret-that-is-at-least-32-bytes-long"), seedSecrets: ["a-secret-that-is-at-least-32-bytes-long"] };
  const user = aUser(clock.now(), "persisted@example.com");

  const first = await openDatabase({ embeddedDataDir: dir });
  await createTypeOrmStores(first.dataSource, options).stores.users.insert(user);
  await first.close();

  const second = await openDatabase({ embeddedDataDir: dir });
  const found = await createTypeOrmStores(second.dataSource, options).stores.users.findById(user.id);
  const migrations = await second.dataSource.query(`SELECT name FROM migrations ORDER BY id`);
  await second.close();
  process.stdout.write(`${JSON.stringify({ embedded: second.embedded, email: found?.email ?? null, migrations })}\n`);
}

main(process.argv[2]!).catch((error) => {
  console.error(error);
  process.exit(1);
});
