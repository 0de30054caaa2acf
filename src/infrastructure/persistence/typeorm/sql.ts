import type { EntityManager } from "typeorm";

export interface SqlResult<R> {
  readonly rows: R[];
  readonly affected: number;
}

/**
 * Runs one statement on the manager's connection (the transaction's, inside a unit of work) and
 * returns rows and affected count alike for SELECT, INSERT … RETURNING, UPDATE and DELETE, which
 * `EntityManager.query` shapes differently per command.
 */
export async function sql<R = Record<string, unknown>>(
  manager: EntityManager,
  text: string,
  params: readonly unknown[] = [],
): Promise<SqlResult<R>> {
  const runner = manager.queryRunner ?? manager.dataSource.createQueryRunner();
  try {
    const result = await runner.query(text, params as unknown[], true);
    const rows = (result.records ?? []) as R[];
    return { rows, affected: result.affected ?? rows.length };
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
