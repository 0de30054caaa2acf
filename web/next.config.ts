import type { NextConfig } from "next";

const config: NextConfig = {
  // TypeORM loads its driver dynamically: bundling it breaks the pg lookup at run time.
  serverExternalPackages: ["typeorm", "pg", "argon2", "@electric-sql/pglite", "@electric-sql/pglite-socket", "ioredis", "nodemailer"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
