import type { DataSource, EntityManager } from "typeorm";
import type { Stores, UnitOfWork } from "../stores";
import { isFailure } from "../../../domain/shared/result";

/**
 * One database transaction per `run`, on a connection of its own; the stores handed to `work` are
 * bound to that transaction's manager. Commits unless `work` throws or resolves a failed Result.
 */
export class TypeOrmUnitOfWork implements UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bind: (manager: EntityManager) => Stores,
  ) {}

  async run<T>(work: (stores: Stores) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      let result: T;
      try {
        result = await work(this.bind(runner.manager));
      } catch (error) {
        await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
      if (isFailure(result)) await runner.rollbackTransaction();
      else await runner.commitTransaction();
      return result;
    } finally {
      // Always give the connection back: on the embedded server a leaked transaction stalls everyone.
      await runner.release();
    }
  }
}
