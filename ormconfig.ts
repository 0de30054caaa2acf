// The DataSource the TypeORM CLI uses (`npm run db:migrate`). Only for a real PostgreSQL: the
// embedded database of `npm run dev` migrates itself when the app starts.
import { createDataSource } from "./src/infrastructure/persistence/typeorm/data-source";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    "DATABASE_URL is not set: set it to postgres://user:password@host:port/database to migrate that database (the embedded database migrates itself on start).",
  );
  process.exit(1);
}

export default createDataSource({ url, poolSize: 2, applicationName: "nextauth-hex migrate" });
